"""A fast structural parser for Keep a Changelog files.

One pass over the lines classifies each one the way CommonMark's block parser would for the
constructs a changelog's structure depends on: ATX and setext headings, fenced code, HTML
comments and HTML blocks, list items, thematic breaks and link reference definitions. Inline
Markdown is never parsed, which keeps ``check`` fast on megabyte files; the tests hold this
scanner to mistune's block parser on real changelogs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Changelog, Entry, Heading, LinkDefinition, Release, ReleaseHeading, Section

KNOWN_SECTIONS = frozenset(
    s.casefold() for s in ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
)

# Line kinds.
BLANK, TEXT, HEADING, ITEM, LINKDEF, FENCE, HTML, BREAK, CODE = range(9)

_ATX = re.compile(r"( {0,3})(#{1,6})(?:[ \t]+|$)(.*?)(?:(?<=[ \t])#+)?[ \t]*$")
_ITEM = re.compile(r"( {0,3})([-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}(?=[^`]*$)|~{3,})")
_LINKDEF = re.compile(r" {0,3}\[((?:[^\]\\\[]|\\.)*[^\]\\\[\s](?:[^\]\\\[]|\\.)*)\]:[ \t]*(\S+)")
_HTML_BLOCK = re.compile(
    r" {0,3}<(?:(!--)|(script|pre|style|textarea)(?:[\s>]|$)|/?(address|article|aside|base|"
    r"basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|"
    r"fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|"
    r"legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|"
    r"section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[\s/>]|$))",
    re.IGNORECASE,
)
_HTML_END_1 = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)


def split_lines(text: str) -> list[str]:
    """Split after every ``\\n``, keeping line endings, so joining gives ``text`` back."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def _content(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-1]
    if line.endswith("\r"):
        line = line[:-1]
    return line


_CANDIDATE = re.compile(
    r"^[ \t]*(?:`{3,}|~{3,}|<|#|\[|=+[ \t]*\r?$|-+[ \t]*\r?$)", re.MULTILINE
)
_BLANK_LINE = re.compile(r"\n[ \t]*\r?(?:\n|$)")


class _Lines:
    """Classifies lines one by one; used on small ranges (a section's entries)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.kinds: list[int] = []
        self.indents: list[int] = []

    def run(self, start: int, end: int) -> None:
        """Classify lines ``start..end`` (1-based, inclusive), starting outside any block."""
        fence: tuple[str, int] | None = None
        html_end: str | None = None
        in_para = in_list = False
        kinds, indents = self.kinds, self.indents
        for number in range(start, end + 1):
            line = _content(self.lines[number - 1])
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            stripped = line.lstrip(" \t")
            indent = len(line) - len(stripped)
            indents.append(indent)
            if fence is not None:
                kinds.append(FENCE)
                if stripped.startswith(fence[0] * fence[1]) and not stripped.strip(fence[0]).strip():
                    fence = None
                continue
            if html_end is not None:
                kinds.append(HTML)
                if html_end == "" and not stripped:
                    kinds[-1] = BLANK
                    html_end = None
                elif (html_end == "-->" and "-->" in line) or (
                    html_end == "</>" and _HTML_END_1.search(line)
                ):
                    html_end = None
                continue
            if not stripped:
                kinds.append(BLANK)
                in_para = False
                continue
            first = stripped[0]
            if indent >= 4 and not in_list and not in_para:
                kinds.append(CODE)
                continue
            if first in "`~" and _FENCE_OPEN.match(line):
                mark = _FENCE_OPEN.match(line).group(1)  # type: ignore[union-attr]
                fence = (mark[0], len(mark))
                kinds.append(FENCE)
                in_para = False
                continue
            if indent <= 3:
                kind, html_end = _block_start(line, first, in_para)
                if kind is not None:
                    kinds.append(kind)
                    if kind == ITEM:
                        in_list = True
                    elif kind in (HEADING, BREAK):
                        in_list = False
                    in_para = False
                    continue
            kinds.append(TEXT)
            if in_list and indent == 0 and len(kinds) >= 2 and kinds[-2] == BLANK:
                in_list = False
            in_para = not in_list and first != ">"


def _block_start(line: str, first: str, in_para: bool) -> tuple[int | None, str | None]:
    """The kind of a block that starts on ``line`` (and, for HTML, what ends it)."""
    if first == "#" and _ATX.match(line):
        return HEADING, None
    if first == "<":
        match = _HTML_BLOCK.match(line)
        if match:
            if match.group(1):
                return HTML, (None if "-->" in line[line.index("<!--") + 4 :] else "-->")
            if match.group(2):
                return HTML, (None if _HTML_END_1.search(line) else "</>")
            return HTML, ""
    if first in "=-" and in_para and _SETEXT.match(line):
        return HEADING, None
    if first in "-*_" and _BREAK.match(line):
        return BREAK, None
    if first in "-*+" or first.isdigit():
        match = _ITEM.match(line)
        if match and (match.end() < len(line) or not in_para):
            return ITEM, None
    if first == "[" and not in_para and _LINKDEF.match(line):
        return LINKDEF, None
    return None, None


class _Structure:
    """Finds headings and link definitions by jumping between candidate lines only."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.lines = lines
        self.headings: list[Heading] = []
        self.links: list[LinkDefinition] = []

    def _line_at(self, pos: int, line: int, last: int) -> int:
        return line + self.text.count("\n", last, pos)

    def _prev_is_para(self, number: int) -> bool:
        """Is line ``number - 1`` a top-level paragraph line (so a setext underline applies)?"""
        lines = self.lines
        n = number - 1
        if n < 1 or not lines[n - 1].strip():
            return False
        while n >= 1 and lines[n - 1].strip():
            line = _content(lines[n - 1]).lstrip("\ufeff")
            stripped = line.lstrip(" \t")
            kind, _ = _block_start(line, stripped[0], False)
            if kind is not None or stripped[0] in "`~>" or len(line) - len(stripped) >= 4:
                return n < number - 1 and kind in (HEADING, BREAK, LINKDEF)
            n -= 1
        return True

    def run(self) -> None:
        text, lines = self.text, self.lines
        pos, line_no, last = 0, 1, 0
        size = len(text)
        while pos < size:
            match = _CANDIDATE.search(text, pos)
            if match is None:
                break
            start = match.start()
            line_no = self._line_at(start, line_no, last)
            last = start
            line = _content(lines[line_no - 1])
            if line_no == 1 and line.startswith("\ufeff"):
                line = line[1:]
            stripped = line.lstrip(" \t")
            indent = len(line) - len(stripped)
            pos = text.find("\n", start)
            pos = size if pos < 0 else pos + 1
            first = stripped[0]
            if first in "`~":
                mark = _FENCE_OPEN.match(line)
                if mark:
                    pos = self._skip_fence(pos, mark.group(1))
                continue
            if indent > 3:
                continue
            if first == "<":
                html = _HTML_BLOCK.match(line)
                if html:
                    pos = self._skip_html(start, pos, html)
                continue
            if first == "#":
                atx = _ATX.match(line)
                if atx:
                    text_ = atx.group(3)
                    col = atx.start(3) + 1 if text_ else atx.end(2) + 1
                    self.headings.append(Heading(line_no, len(atx.group(2)), text_, col))
            elif first == "[":
                link = _LINKDEF.match(line)
                if link and not self._prev_is_text(line_no):
                    self.links.append(LinkDefinition(line_no, link.group(1), link.group(2)))
            elif _SETEXT.match(line) and self._prev_is_para(line_no):
                above = _content(lines[line_no - 2]).lstrip("\ufeff")
                content = above.strip()
                level = 1 if first == "=" else 2
                self.headings.append(Heading(line_no - 1, level, content, above.find(content) + 1))

    def _prev_is_text(self, number: int) -> bool:
        """Does line ``number`` continue a paragraph (so it cannot start a new block)?"""
        if number < 2:
            return False
        above = _content(self.lines[number - 2]).lstrip("\ufeff")
        stripped = above.lstrip(" \t")
        if not stripped:
            return False
        kind, _ = _block_start(above, stripped[0], False)
        return kind in (None, ITEM)

    def _skip_fence(self, pos: int, mark: str) -> int:
        closing = re.compile(
            rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*\r?$", re.MULTILINE
        )
        found = closing.search(self.text, pos)
        if found is None:
            return len(self.text)
        end = self.text.find("\n", found.end())
        return len(self.text) if end < 0 else end + 1

    def _skip_html(self, start: int, pos: int, html: re.Match[str]) -> int:
        text = self.text
        if html.group(1):
            end = text.find("-->", start + text[start:pos].find("<!--") + 4)
        elif html.group(2):
            found = _HTML_END_1.search(text, start)
            end = found.end() if found else -1
        else:
            blank = _BLANK_LINE.search(text, pos - 1)
            end = blank.start() + 1 if blank else -1
        if end < 0:
            return len(text)
        nl = text.find("\n", end)
        return len(text) if nl < 0 else nl + 1


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
    scan = _Lines(list(lines))
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
            body = [_content(lines[i - 1]) for i in range(current[0], last + 1)]
            first = _ITEM.sub("", body[0].lstrip("\ufeff"), count=1)
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
    chunk = "".join(lines[start - 1 : end])
    if "<!--" in chunk:
        chunk = _COMMENT.sub("", chunk)
    return bool(chunk.strip())


def _footer_start(lines: list[str]) -> int:
    """First line of the trailing run of link definitions, comments and blank lines."""
    number = len(lines)
    while number >= 1:
        line = _content(lines[number - 1]).strip()
        if line and not _LINKDEF.match(line) and not (
            line.startswith("<!--") and line.endswith("-->")
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
        if heading.level == 1 and not starts and title is None:
            if not parse_release_heading(heading).looks_like_version:
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
        sections.append(
            Section(
                heading=head,
                has_content=_has_content(lines, head.line + 1, end),
                end_line=end,
                source=lines,
            )
        )
    while stop > heading.line and not lines[stop - 1].strip():
        stop -= 1
    return Release(
        heading=heading,
        parts=parse_release_heading(heading),
        sections=tuple(sections),
        body_end=first_section,
        end_line=stop,
        source=lines,
    )


def parse(text: str, *, sections: Iterable[str] = ()) -> Changelog:
    """Parse ``text``; never raises. ``sections`` adds names recognised as misleveled sections."""
    lines = split_lines(text)
    structure = _Structure(text, lines)
    structure.run()
    names = KNOWN_SECTIONS | {s.casefold() for s in sections}
    title, blocks = _blocks(structure.headings, lines, names)
    return Changelog(
        text=text,
        lines=tuple(lines),
        headings=tuple(structure.headings),
        title=title,
        blocks=blocks,
        links=tuple(structure.links),
    )
