"""Line-level Markdown structure for the changelog parser (CommonMark's block rules, as far
as a changelog's structure depends on them).

:class:`Structure` finds headings and link reference definitions with whole-text regex scans,
jumping over fenced code and HTML blocks; :class:`Lines` classifies lines one by one and is
used on small ranges (a section's entries).
"""

from __future__ import annotations

import re

from .model import Heading, LinkDefinition

# Line kinds.
BLANK, TEXT, HEADING, ITEM, LINKDEF, FENCE, HTML, BREAK, CODE = range(9)

_ATX = re.compile(r"( {0,3})(#{1,6})(?:[ \t]+|$)(.*?)(?:(?<=[ \t])#+)?[ \t]*$")
_ITEM = re.compile(r"( {0,3})([-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}(?=[^`]*$)|~{3,})")
# A link label: no unescaped brackets, not blank. Shared by the line and whole-text patterns.
_LABEL = r"\[((?:[^\]\\\[]|\\.)*[^\]\\\[\s](?:[^\]\\\[]|\\.)*)\]:[ \t]*(\S+)"
_LINKDEF = re.compile(r" {0,3}" + _LABEL)
LINKDEF_LINE = _LINKDEF
ITEM_MARKER = _ITEM
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


def line_content(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-1]
    if line.endswith("\r"):
        line = line[:-1]
    return line


# Whole-text patterns, run over "\n" + text so that every line start follows a "\n"
# (a literal prefix is much faster for the regex engine than a multiline "^").
_OPENER = re.compile(r"\n\ufeff?[ \t]*(?:`{3}|~{3}|<)")
_PREFILTER = re.compile(r"\n\ufeff?[ ]{0,3}(?:[#\[=]|--)")
_LINE_M = re.compile(
    r"\n\ufeff?( {0,3})(?:"
    r"(#{1,6})(?:[ \t]([^\n]*)|\r?(?=\n|$))"
    r"|" + _LABEL + r"|(=+|-+)[ \t]*\r?(?=\n|$))"
)


def _atx_content(raw: str) -> tuple[str, int]:
    """An ATX heading's content (closing #s removed) and its offset within ``raw``."""
    content = raw.lstrip(" \t")
    offset = len(raw) - len(content)
    content = content.rstrip(" \t\r")
    if content.endswith("#"):
        bare = content.rstrip("#")
        if not bare:
            content = ""
        elif bare[-1] in " \t":
            content = bare.rstrip(" \t")
    return content, offset


_BLANK_LINE = re.compile(r"\n[ \t]*\r?(?:\n|$)")


class Lines:
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
            line = line_content(self.lines[number - 1])
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            stripped = line.lstrip(" \t")
            indent = len(line) - len(stripped)
            indents.append(indent)
            if fence is not None:
                kinds.append(FENCE)
                if (
                    stripped.startswith(fence[0] * fence[1])
                    and not stripped.strip(fence[0]).strip()
                ):
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
            opener = _FENCE_OPEN.match(line) if first in "`~" else None
            if opener is not None:
                mark = opener.group(1)
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


class Structure:
    """Finds headings and link definitions with whole-text regex scans.

    Fenced code and HTML blocks are found first (their openers are rare lines); headings,
    link definitions and setext underlines found inside them are dropped.
    """

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.lines = lines
        self.headings: list[Heading] = []
        self.links: list[LinkDefinition] = []
        self.augmented = "\n" + text

    def run(self) -> None:
        text, lines = self.text, self.lines
        dead = self._dead_ranges()
        line_no, last, d = 1, 0, 0
        headings, links = self.headings, self.links
        # Over "\n" + text, a match's start is its line's start in text.
        augmented = self.augmented
        count, match_line, n_dead = text.count, _LINE_M.match, len(dead)
        for candidate in _PREFILTER.finditer(augmented):
            start = candidate.start()
            if n_dead:
                while d < n_dead and dead[d][1] <= start:
                    d += 1
                if d < n_dead and dead[d][0] <= start:
                    continue
            match = match_line(augmented, start)
            if match is None:
                continue
            line_no += count("\n", last, start)
            last = start
            indent, hashes, raw, label, url, underline = match.groups()
            if hashes:
                if raw is None:
                    content, col = "", len(indent) + len(hashes) + 1
                elif raw[:1] not in " \t" and raw[-1:] not in " \t\r#":  # the common case
                    content, col = raw, len(indent) + len(hashes) + 2
                else:
                    content, offset = _atx_content(raw)
                    col = len(indent) + len(hashes) + 1 + offset + 1
                headings.append(Heading(line_no, len(hashes), content, col))
            elif label:
                if not self._prev_is_text(line_no):
                    links.append(LinkDefinition(line_no, label, url))
            elif self._prev_is_para(line_no):
                above = line_content(lines[line_no - 2]).lstrip("\ufeff")
                content = above.strip()
                level = 1 if underline[0] == "=" else 2
                headings.append(Heading(line_no - 1, level, content, above.find(content) + 1))
        self.headings.sort(key=lambda h: h.line)

    def _dead_ranges(self) -> list[tuple[int, int]]:
        """Character ranges of fenced code, HTML comments and HTML blocks, in order."""
        text = self.text
        ranges: list[tuple[int, int]] = []
        pos, size = 0, len(text)
        while pos < size:
            match = _OPENER.search(self.augmented, pos)
            if match is None:
                break
            start = match.start()
            eol = text.find("\n", start)
            eol = size if eol < 0 else eol + 1
            line = line_content(text[start:eol]).lstrip("\ufeff")
            stripped = line.lstrip(" \t")
            end = 0
            if stripped[0] in "`~":
                mark = _FENCE_OPEN.match(line)
                if mark:
                    end = self._skip_fence(eol, mark.group(1))
            elif len(line) - len(stripped) <= 3:
                html = _HTML_BLOCK.match(line)
                if html:
                    end = self._skip_html(start, eol, html)
            if end:
                ranges.append((start, end))
            pos = max(end, eol)
        return ranges

    def _prev_is_para(self, number: int) -> bool:
        """Is line ``number - 1`` a top-level paragraph line (so a setext underline applies)?"""
        lines = self.lines
        n = number - 1
        if n < 1 or not lines[n - 1].strip():
            return False
        while n >= 1 and lines[n - 1].strip():
            line = line_content(lines[n - 1]).lstrip("\ufeff")
            stripped = line.lstrip(" \t")
            kind, _ = _block_start(line, stripped[0], False)
            if kind is not None or stripped[0] in "`~>" or len(line) - len(stripped) >= 4:
                return n < number - 1 and kind in (HEADING, BREAK, LINKDEF)
            n -= 1
        return True

    def _prev_is_text(self, number: int) -> bool:
        """Does line ``number`` continue a paragraph (so it cannot start a new block)?"""
        if number < 2:
            return False
        above = line_content(self.lines[number - 2]).lstrip("\ufeff")
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
            end = text.find("-->", text.find("<!--", start) + 4)
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
