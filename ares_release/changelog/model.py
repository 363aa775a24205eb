"""The changelog model: value objects that point back at their source lines.

A :class:`Changelog` keeps the original text, so rendering an untouched file gives back every
byte; the structure (Unreleased, releases, sections, entries, link definitions) is an index
into those lines. Line numbers are 1-based, as editors show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str  # the heading's content, without the leading #s and closing sequence
    col: int  # 1-based column where ``text`` starts in the source line


@dataclass(frozen=True)
class ReleaseHeading:
    """A release heading split into its parts, as written (nothing normalised)."""

    label: str  # the version text, or "Unreleased"
    label_col: int
    bracketed: bool
    link: str  # "", "[]" (collapsed reference) or "(url)" (inline link)
    separator: str  # what stands between the label and the date (" - " when canonical)
    date: str  # "" when there is none
    date_col: int
    trailing: str  # what follows the date (" [YANKED]" or "")

    @property
    def is_unreleased(self) -> bool:
        return self.label.strip().lower() == "unreleased"

    @property
    def looks_like_version(self) -> bool:
        label = self.label[1:] if self.label[:1] in ("v", "V") else self.label
        return label[:1].isdigit()

    @property
    def yanked(self) -> bool:
        return self.trailing.strip().upper() == "[YANKED]"


@dataclass(frozen=True)
class Entry:
    line: int
    end_line: int  # last line of the item, continuation and nested lines included
    text: str  # the item without its list marker, continuation lines joined by newlines


@dataclass(frozen=True)
class Section:
    heading: Heading
    has_content: bool  # anything besides blank lines and HTML comments
    end_line: int  # last line that belongs to the section
    source: list[str] = field(repr=False, compare=False, default_factory=list)

    @property
    def name(self) -> str:
        return self.heading.text.strip()

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        """The section's top-level list items (computed when first asked for)."""
        from .parser import entries_in

        return entries_in(self.source, self.heading.line + 1, self.end_line)


@dataclass(frozen=True)
class Release:
    """One ``##`` block: the Unreleased section, a release, or some other heading."""

    heading: Heading
    parts: ReleaseHeading
    sections: tuple[Section, ...]
    body_end: int  # last line before the first section
    end_line: int  # last line of the block (link definitions at the file's end excluded)
    source: list[str] = field(repr=False, compare=False, default_factory=list)

    @property
    def kind(self) -> str:
        if self.parts.is_unreleased:
            return "unreleased"
        return "release" if self.parts.looks_like_version else "other"

    @property
    def version(self) -> str:
        return self.parts.label

    @property
    def date(self) -> str:
        return self.parts.date

    @property
    def yanked(self) -> bool:
        return self.parts.yanked

    @property
    def line(self) -> int:
        return self.heading.line

    @cached_property
    def loose_entries(self) -> tuple[Entry, ...]:
        """List items directly under the heading, before any section."""
        from .parser import entries_in

        return entries_in(self.source, self.heading.line + 1, self.body_end)

    def entries(self) -> tuple[Entry, ...]:
        found = list(self.loose_entries)
        for section in self.sections:
            found.extend(section.entries)
        return tuple(found)

    def section(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name == name:
                return section
        return None


@dataclass(frozen=True)
class LinkDefinition:
    line: int
    label: str  # as written
    url: str

    @property
    def key(self) -> str:
        """Labels match case-insensitively with collapsed whitespace (CommonMark)."""
        return " ".join(self.label.split()).casefold()


@dataclass(frozen=True)
class Changelog:
    text: str
    lines: tuple[str, ...]  # each with its own line ending, so "".join(lines) == text
    headings: tuple[Heading, ...]
    title: Heading | None
    blocks: tuple[Release, ...]  # every release-level block, top to bottom
    links: tuple[LinkDefinition, ...]

    def render(self) -> str:
        return self.text

    @property
    def unreleased(self) -> Release | None:
        for block in self.blocks:
            if block.kind == "unreleased":
                return block
        return None

    @property
    def releases(self) -> tuple[Release, ...]:
        return tuple(b for b in self.blocks if b.kind == "release")

    def release(self, version: str) -> Release | None:
        for block in self.releases:
            if block.version == version:
                return block
        return None

    def link(self, label: str) -> LinkDefinition | None:
        key = " ".join(label.split()).casefold()
        for definition in self.links:
            if definition.key == key:
                return definition
        return None

    def body(self, block: Release) -> str:
        """The block's text below its heading, without surrounding blank lines."""
        chunk = self.lines[block.heading.line : block.end_line]
        return "".join(chunk).strip("\r\n") + ("\n" if any(s.strip() for s in chunk) else "")
