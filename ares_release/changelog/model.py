"""The changelog model: value objects that point back at their source lines.

A :class:`Changelog` keeps the original text, so rendering an untouched file gives back every
byte; the structure (Unreleased, releases, sections, entries, link definitions) is an index
into those lines. Line numbers are 1-based, as editors show them.

The value objects are NamedTuples rather than dataclasses: ``check`` runs on every commit and
builds thousands of them, and NamedTuples cost a fraction to define and to create.
"""

from __future__ import annotations

from typing import NamedTuple


class Heading(NamedTuple):
    line: int
    level: int
    text: str  # the heading's content, without the leading #s and closing sequence
    col: int  # 1-based column where ``text`` starts in the source line


class ReleaseHeading(NamedTuple):
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


class Entry(NamedTuple):
    line: int
    end_line: int  # last line of the item, continuation and nested lines included
    text: str  # the item without its list marker, continuation lines joined by newlines


class Section(NamedTuple):
    heading: Heading
    has_content: bool  # anything besides blank lines and HTML comments
    end_line: int  # last line that belongs to the section

    @property
    def name(self) -> str:
        return self.heading.text.strip()


class Release(NamedTuple):
    """One ``##`` block: the Unreleased section, a release, or some other heading."""

    heading: Heading
    parts: ReleaseHeading
    kind: str  # "unreleased", "release" (a version-like heading) or "other"
    sections: tuple[Section, ...]
    body_end: int  # last line before the first section
    end_line: int  # last line of the block (link definitions at the file's end excluded)

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

    def section(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name == name:
                return section
        return None


def label_key(label: str) -> str:
    """Link labels match case-insensitively with collapsed whitespace (CommonMark)."""
    return " ".join(label.split()).casefold()


class LinkDefinition(NamedTuple):
    line: int
    label: str  # as written
    url: str

    @property
    def key(self) -> str:
        return label_key(self.label)


class Changelog(NamedTuple):
    text: str
    lines: tuple[str, ...]  # each with its own line ending, so "".join(lines) == text
    headings: tuple[Heading, ...]
    title: Heading | None
    blocks: tuple[Release, ...]  # every release-level block, top to bottom
    links: tuple[LinkDefinition, ...]
    releases: tuple[Release, ...]  # the blocks whose heading names a version
    link_index: dict[str, LinkDefinition]  # by normalised label; the first definition wins

    def render(self) -> str:
        return self.text

    @property
    def unreleased(self) -> Release | None:
        for block in self.blocks:
            if block.kind == "unreleased":
                return block
        return None

    def release(self, version: str) -> Release | None:
        for block in self.releases:
            if block.version == version:
                return block
        return None

    def link(self, label: str) -> LinkDefinition | None:
        return self.link_index.get(label_key(label))

    def section_entries(self, section: Section) -> tuple[Entry, ...]:
        """The section's top-level list items."""
        from .parser import entries_in

        return entries_in(self.lines, section.heading.line + 1, section.end_line)

    def entries_in_range(self, start: int, end: int) -> tuple[Entry, ...]:
        """Top-level list items among lines ``start..end`` (1-based, inclusive)."""
        from .parser import entries_in

        return entries_in(self.lines, start, end)

    def loose_entries(self, block: Release) -> tuple[Entry, ...]:
        """List items directly under the block's heading, before any section."""
        from .parser import entries_in

        return entries_in(self.lines, block.heading.line + 1, block.body_end)

    def entries(self, block: Release) -> tuple[Entry, ...]:
        """All of a block's entries: loose items under its heading, then each section's."""
        found = list(self.loose_entries(block))
        for section in block.sections:
            found.extend(self.section_entries(section))
        return tuple(found)

    def body(self, block: Release) -> str:
        """The block's text below its heading, without surrounding blank lines."""
        chunk = self.lines[block.heading.line : block.end_line]
        return "".join(chunk).strip("\r\n") + ("\n" if any(s.strip() for s in chunk) else "")
