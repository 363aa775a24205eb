"""The changelog rules: one function per rule code, each yielding Problems.

Codes are stable; ``docs/rules.md`` documents each one. Rules read the parsed model only;
they never raise on any input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import pairwise
from typing import Any, NamedTuple

from ..precedence import Key, precedence_key
from ..problems import Problem, Severity
from .model import Changelog, Release

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COMPARE = re.compile(r"/compare/(?P<old>.+?)\.{2,3}(?P<new>[^/?#]+)$")


class RuleContext(NamedTuple):
    path: str
    sections: tuple[str, ...]


Rule = Callable[[Changelog, RuleContext], Iterator[Problem]]


def _problem(
    ctx: RuleContext, line: int, col: int, code: str, message: str, severity: Severity = "error"
) -> Problem:
    return Problem(ctx.path, line, col, code, message, severity)


def _version(text: str) -> Key | None:
    return precedence_key(text)


def _date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return None


def unreleased_rules(log: Changelog, ctx: RuleContext) -> Iterator[Problem]:
    """CL101 a second Unreleased section; CL102 Unreleased below a release; CL208 its spelling."""
    seen_release = None
    first_unreleased = None
    for block in log.blocks:
        if block.kind == "release" and seen_release is None:
            seen_release = block
        if block.kind != "unreleased":
            continue
        if first_unreleased is not None:
            yield _problem(
                ctx,
                block.line,
                1,
                "CL101",
                f"a second Unreleased section (the first is on line {first_unreleased.line}); "
                "merge their entries into one",
            )
        elif seen_release is not None:
            yield _problem(
                ctx,
                block.line,
                1,
                "CL102",
                f"the Unreleased section must come before every release; move it above "
                f"[{seen_release.version}] on line {seen_release.line}",
            )
        first_unreleased = first_unreleased or block
        parts = block.parts
        if not parts.bracketed or parts.separator.strip() or parts.date or parts.trailing.strip():
            yield _problem(
                ctx,
                block.line,
                block.heading.col,
                "CL208",
                f"write the heading as '## [Unreleased]', not '## {block.heading.text}'",
                "warning",
            )


def heading_syntax(log: Changelog, ctx: RuleContext) -> Iterator[Problem]:
    """CL201-CL207: release headings read '## [X.Y.Z] - YYYY-MM-DD' with optional [YANKED]."""
    for block in log.blocks:
        if block.kind == "unreleased":
            continue
        head = block.heading
        if block.kind == "other":
            yield _problem(
                ctx,
                head.line,
                head.col,
                "CL201",
                f"'{'#' * head.level} {head.text}' is not a release heading; write "
                "'## [X.Y.Z] - YYYY-MM-DD' or '## [Unreleased]', and use '###' for sections",
            )
            continue
        yield from _version_syntax(block, ctx)
        yield from _date_syntax(block, ctx)


def _version_syntax(block: Release, ctx: RuleContext) -> Iterator[Problem]:
    parts = block.parts
    if _version(parts.label) is None:
        hint = (
            f"; drop the leading 'v' and write [{parts.label[1:]}]"
            if parts.label[:1] in "vV" and _version(parts.label[1:])
            else "; use MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]"
        )
        yield _problem(
            ctx,
            block.line,
            parts.label_col,
            "CL202",
            f"'{parts.label}' is not a valid SemVer 2.0.0 version{hint}",
        )
    if not parts.bracketed:
        yield _problem(
            ctx,
            block.line,
            parts.label_col,
            "CL207",
            f"put the version in brackets: '## [{parts.label}] - YYYY-MM-DD'",
        )


def _date_syntax(block: Release, ctx: RuleContext) -> Iterator[Problem]:
    parts = block.parts
    if not parts.date:
        yield _problem(
            ctx,
            block.line,
            block.heading.col + len(block.heading.text),
            "CL204",
            f"release {parts.label} has no date; write '## [{parts.label}] - YYYY-MM-DD'",
        )
        return
    if parts.separator != " - ":
        yield _problem(
            ctx,
            block.line,
            parts.date_col - len(parts.separator),
            "CL203",
            f"separate version and date with ' - ' (space, hyphen, space), not {parts.separator!r}",
        )
    shown = parts.date.rstrip(")")
    if not _ISO_DATE.fullmatch(parts.date):
        padded = _repad(parts.date)
        hint = f"; did you mean {padded}?" if padded else ""
        yield _problem(
            ctx,
            block.line,
            parts.date_col,
            "CL204",
            f"'{shown}' is not an ISO 8601 date; write YYYY-MM-DD{hint}",
        )
    elif _date(parts.date) is None:
        yield _problem(
            ctx,
            block.line,
            parts.date_col,
            "CL205",
            f"'{parts.date}' is not a real calendar date",
        )
    trailing = parts.trailing.strip()
    if trailing and trailing.upper() != "[YANKED]":
        yield _problem(
            ctx,
            block.line,
            parts.date_col + len(parts.date),
            "CL206",
            f"unexpected text after the date: '{trailing}'; only ' [YANKED]' may follow it",
        )


def _repad(text: str) -> str | None:
    match = re.fullmatch(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})", text)
    if match:
        y, m, d = (int(g) for g in match.groups())
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            return None
    return None


def _dated_releases(log: Changelog) -> list[tuple[Release, date]]:
    found = []
    for block in log.releases:
        day = _date(block.parts.date)
        if day is not None:
            found.append((block, day))
    return found


def _blame(keys: Sequence[Any], i: int) -> int:
    """For an order violation between items i-1 and i, the index of the likelier culprit.

    The item above is blamed when dropping it would put its neighbours in order and dropping
    the item below would not; otherwise the lower item (the one that broke the order going
    down) is blamed.
    """
    above_is_odd = i >= 2 and keys[i - 2] >= keys[i]
    below_is_odd = i + 1 < len(keys) and keys[i - 1] >= keys[i + 1]
    return i - 1 if above_is_odd and not below_is_odd else i


def version_order(log: Changelog, ctx: RuleContext) -> Iterator[Problem]:
    """CL301 versions not strictly descending; CL302 a version listed twice."""
    seen: dict[Key, Release] = {}
    ordered: list[tuple[Release, Key]] = []
    for block in log.releases:
        key = _version(block.parts.label)
        if key is None:
            continue
        if key in seen:
            first = seen[key]
            yield _problem(
                ctx,
                block.line,
                block.parts.label_col,
                "CL302",
                f"version {block.version} is listed twice (also on line {first.line}); "
                "keep one heading per version",
            )
            continue
        seen[key] = block
        ordered.append((block, key))
    for i in range(1, len(ordered)):
        (above, va), (below, vb) = ordered[i - 1], ordered[i]
        if vb > va:
            culprit = ordered[_blame([k for _, k in ordered], i)][0]
            yield _problem(
                ctx,
                culprit.line,
                culprit.parts.label_col,
                "CL301",
                f"versions must descend: {below.version} (line {below.line}) is listed below "
                f"the lower {above.version} (line {above.line}); newest release first",
            )


def date_order(log: Changelog, ctx: RuleContext) -> Iterator[Problem]:
    """CL303 a release dated later than the release above it."""
    dated = _dated_releases(log)
    for i in range(1, len(dated)):
        (above, da), (below, db) = dated[i - 1], dated[i]
        if db > da:
            culprit = dated[_blame([k for _, k in dated], i)][0]
            yield _problem(
                ctx,
                culprit.line,
                culprit.parts.date_col,
                "CL303",
                f"dates must not increase going down: {below.version} is dated {db} but "
                f"{above.version} above it is dated {da}; check {culprit.version}'s date",
            )


def _closest(name: str, names: tuple[str, ...]) -> str | None:
    import difflib

    return next(iter(difflib.get_close_matches(name, names, n=1, cutoff=0.6)), None)


def section_rules(log: Changelog, ctx: RuleContext) -> Iterator[Problem]:
    """CL401 misleveled heading; CL402 unknown section; CL403 repeated; CL404 empty."""
    allowed = {s.casefold(): s for s in ctx.sections}
    for block in log.blocks:
        if block.kind == "other":
            continue
        names: dict[str, int] = {}
        for section in block.sections:
            head = section.heading
            name = section.name
            if head.level != 3:
                yield _problem(
                    ctx,
                    head.line,
                    1,
                    "CL401",
                    f"'{'#' * head.level} {head.text}' inside release {block.version} has the "
                    f"wrong level; a section heading is '### {name}'",
                )
            if name not in ctx.sections:
                close = allowed.get(name.casefold()) or _closest(name, ctx.sections)
                hint = (
                    f"did you mean '{close}'?" if close else f"use one of {', '.join(ctx.sections)}"
                )
                yield _problem(
                    ctx,
                    head.line,
                    head.col,
                    "CL402",
                    f"unknown section '{name}' in {block.version}; {hint}",
                )
            key = name.casefold()
            if key in names:
                yield _problem(
                    ctx,
                    head.line,
                    head.col,
                    "CL403",
                    f"section '{name}' appears twice in {block.version} (first on line "
                    f"{names[key]}); merge the two",
                )
            else:
                names[key] = head.line
            if not section.has_content:
                yield _problem(
                    ctx,
                    head.line,
                    head.col,
                    "CL404",
                    f"section '{name}' in {block.version} is empty; add entries or remove "
                    "the heading",
                )
        if block.kind == "release" and block.heading.level != 2:
            yield _problem(
                ctx,
                block.line,
                1,
                "CL401",
                f"release heading for {block.version} is level {block.heading.level}; "
                "releases are '##' headings",
            )


def link_rules(log: Changelog, ctx: RuleContext) -> Iterator[Problem]:
    """CL501-CL503 (warnings): link definitions agree with release headings."""
    blocks = [b for b in log.blocks if b.kind in ("release", "unreleased")]
    labels = {b.version.casefold(): b for b in blocks}
    used = [d for d in log.links if d.key in labels]
    if not used:
        return
    defined = log.link_index
    for block in blocks:
        if (
            block.parts.bracketed
            and not block.parts.link.startswith("(")
            and (block.version.casefold() not in defined)
        ):
            yield _problem(
                ctx,
                block.line,
                block.parts.label_col,
                "CL501",
                f"[{block.version}] has no link definition; add '[{block.version}]: URL' "
                "with the others",
                "warning",
            )
    versions = {b.version.casefold() for b in blocks}
    for definition in log.links:
        if _version(definition.label) is not None and definition.key not in versions:
            yield _problem(
                ctx,
                definition.line,
                1,
                "CL502",
                f"link definition [{definition.label}] has no release heading; remove it "
                "or add the release",
                "warning",
            )
    yield from _compare_links(log, blocks, ctx)


def _compare_links(log: Changelog, blocks: list[Release], ctx: RuleContext) -> Iterator[Problem]:
    for above, below in pairwise(blocks):
        definition = log.link(above.version)
        if definition is None or below.kind != "release":
            continue
        match = _COMPARE.search(definition.url)
        if match is None:
            continue
        old = match.group("old")
        if not _tag_names(old, below.version):
            yield _problem(
                ctx,
                definition.line,
                1,
                "CL503",
                f"[{definition.label}] compares from '{old}', but the release below it is "
                f"{below.version}; compare from its tag",
                "warning",
            )


def _tag_names(tag: str, version: str) -> bool:
    """Does ``tag`` name ``version`` (``v1.2.0``, ``1.2.0``, ``pkg@1.2.0``, ``pkg-v1.2.0``)?"""
    if not tag.endswith(version):
        return False
    head = tag[: len(tag) - len(version)]
    return not head or not (head[-1].isdigit() or head[-1] == ".")


RULES: tuple[Rule, ...] = (
    unreleased_rules,
    heading_syntax,
    version_order,
    date_order,
    section_rules,
    link_rules,
)


def run_rules(log: Changelog, ctx: RuleContext, rules: Iterable[Rule] = RULES) -> list[Problem]:
    problems: list[Problem] = []
    for rule in rules:
        problems.extend(rule(log, ctx))
    problems.sort(key=lambda p: (p.line, p.col, p.code))
    return problems
