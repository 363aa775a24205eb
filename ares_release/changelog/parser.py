"""A fast structural parser for Keep a Changelog files.

The scanner (:mod:`.scanner`) finds the constructs a changelog's structure depends on, as
CommonMark's block parser would: ATX and setext headings, fenced code, HTML comments and
blocks, list items, thematic breaks and link reference definitions. This module builds the
model from them: the Unreleased section, releases, sections, entries. Inline Markdown is never
parsed, which keeps ``check`` fast on megabyte files; the tests hold the scanner to mistune's
block parser on real changelogs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Changelog, Entry, Heading, LinkDefinition, Release, ReleaseHeading, Section
from .scanner import (
    BLANK,
    BREAK,
    HEADING,
    HTML,
    ITEM,
    ITEM_MARKER,
    LINKDEF,
    LINKDEF_LINE,
    TEXT,
    Lines,
    Structure,
    line_content,
    split_lines,
)

KNOWN_SECTIONS = frozenset(
    s.casefold() for s in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
)

_BRACKETED = re.compile(r"\[([^\]]*)\](\[\]|\([^)]*\))?")
_REST = re.compile(r"(\s*(?:[-–—:|,]\s*)?|\s*\(?)(\S*)(.*)$")


def parse_release_heading(heading: Heading) -> ReleaseHeading:
    text = heading.text
    base = heading.col
    match = _BRACKETED.match(text)
    if match:
        label, link, bracketed = match.group(1), match.group(2) or "", True
        label_col, pos = base + 1, match.end()
    else:
        label = text.split(None, 1)[0] if text.strip() else ""
        link, bracketed, label_col, pos = "", False, base, len(label)
    rest = _REST.match(text, pos)
    assert rest is not None  # the pattern matches any string
    separator, date, trailing = rest.group(1), rest.group(2), rest.group(3)
    if not separator and date:  # text glued to the label: not a date
        date, trailing = "", text[pos:]
    return ReleaseHeading(
        label=label,
        label_col=label_col,
        bracketed=bracketed,
        link=link,
        separator=separator,
        date=date,
        date_col=base + rest.start(2),
        trailing=trailing,
    )


def entries_in(lines: tuple[str, ...] | list[str], start: int, end: int) -> tuple[Entry, ...]:
    """Top-level list items among lines ``start..end`` (1-based, inclusive)."""
    if end < start:
        return ()
    scan = Lines(list(lines))
    scan.run(start, end)
    kinds, indents = scan.kinds, scan.indents
    entries: list[Entry] = []
    base: int | None = None
    current: list[int] = []

    def close() -> None:
        if current:
            last = current[-1]
            while last > current[0] and kinds[last - start] == BLANK:
                last -= 1
            body = [line_content(lines[i - 1]) for i in range(current[0], last + 1)]
            first = ITEM_MARKER.sub("", body[0].lstrip("\ufeff"), count=1)
            text = "\n".join([first, *(b.strip() for b in body[1:])])
            entries.append(Entry(current[0], last, text))
            current.clear()

    for number in range(start, end + 1):
        kind, indent = kinds[number - start], indents[number - start]
        if kind == ITEM and (base is None or indent <= base):
            close()
            base = indent if base is None else base
            current.append(number)
        elif kind in (HEADING, BREAK, LINKDEF, HTML) and indent <= (base or 0):
            close()
        elif current and (
            kind != TEXT or indent > 0 or number == start or kinds[number - start - 1] != BLANK
        ):
            current.append(number)
        elif kind == TEXT:
            close()
    close()
    return tuple(entries)


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _has_content(lines: list[str], start: int, end: int) -> bool:
    """Does lines ``start..end`` hold anything besides blank lines and HTML comments?"""
    for index in range(start - 1, end):
        line = lines[index].strip()
        if line:
            if not line.startswith("<!--"):
                return True
            chunk = _COMMENT.sub("", "".join(lines[index:end]))
            return bool(chunk.strip())
    return False


def _footer_start(lines: list[str]) -> int:
    """First line of the trailing run of link definitions, comments and blank lines."""
    number = len(lines)
    while number >= 1:
        line = line_content(lines[number - 1]).strip()
        if (
            line
            and not LINKDEF_LINE.match(line)
            and not (line.startswith("<!--") and line.endswith("-->"))
        ):
            break
        number -= 1
    return number + 1


def _is_section_name(text: str, sections: frozenset[str]) -> bool:
    return text.strip().casefold() in sections


def _blocks(
    headings: list[Heading], lines: list[str], sections: frozenset[str]
) -> tuple[Heading | None, tuple[Release, ...]]:
    footer = _footer_start(lines)
    title: Heading | None = None
    starts: list[int] = []  # indexes into headings of block headings
    for index, heading in enumerate(headings):
        if heading.level > 2:
            continue
        if starts and _is_section_name(heading.text, sections):
            continue  # a misleveled section inside a block
        if (
            heading.level == 1
            and not starts
            and title is None
            and not parse_release_heading(heading).looks_like_version
        ):
            title = heading
            continue
        starts.append(index)
    blocks: list[Release] = []
    for n, index in enumerate(starts):
        heading = headings[index]
        following = starts[n + 1] if n + 1 < len(starts) else len(headings)
        stop = headings[following].line - 1 if following < len(headings) else len(lines)
        if following == len(headings) and footer > heading.line:
            stop = min(stop, footer - 1)
        inner = headings[index + 1 : following]
        blocks.append(_release(lines, heading, inner, stop))
    return title, tuple(blocks)


def _release(lines: list[str], heading: Heading, inner: list[Heading], stop: int) -> Release:
    section_heads = [h for h in inner if h.level <= 3]
    first_section = section_heads[0].line - 1 if section_heads else stop
    sections: list[Section] = []
    for k, head in enumerate(section_heads):
        end = section_heads[k + 1].line - 1 if k + 1 < len(section_heads) else stop
        sections.append(Section(head, _has_content(lines, head.line + 1, end), end))
    while stop > heading.line and not lines[stop - 1].strip():
        stop -= 1
    parts = parse_release_heading(heading)
    if parts.is_unreleased:
        kind = "unreleased"
    else:
        kind = "release" if parts.looks_like_version else "other"
    return Release(heading, parts, kind, tuple(sections), first_section, stop)


def parse(text: str, *, sections: Iterable[str] = ()) -> Changelog:
    """Parse ``text``; never raises. ``sections`` adds names recognised as misleveled sections."""
    lines = split_lines(text)
    structure = Structure(text, lines)
    structure.run()
    names = KNOWN_SECTIONS | {s.casefold() for s in sections}
    title, blocks = _blocks(structure.headings, lines, names)
    index: dict[str, LinkDefinition] = {}
    for definition in structure.links:
        index.setdefault(definition.key, definition)
    return Changelog(
        text=text,
        lines=tuple(lines),
        headings=tuple(structure.headings),
        title=title,
        blocks=blocks,
        links=tuple(structure.links),
        releases=tuple(b for b in blocks if b.kind == "release"),
        link_index=index,
    )
