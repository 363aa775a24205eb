"""A git merge driver for the changelog: Unreleased merges structurally, the rest as usual.

Two branches that both add Unreleased entries conflict on every merge, and ``merge=union``
duplicates and reorders lines. This driver merges the Unreleased sections as sets per section
(three-way: an entry either side added is kept, one either side removed is dropped, both
sides' order kept, no duplicates) and leaves everything else to ``git merge-file``, so a real
conflict elsewhere is still a normal conflict.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from .changelog import Changelog, Release, parse

PLACEHOLDER = "@@ ares-release: the merged Unreleased section goes here (a7f3c9e1) @@"
DRIVER = "ares-release"


class Split(NamedTuple):
    before: list[str]
    sections: dict[str, list[str]]  # section name -> items ("" for items before any section)
    order: list[str]
    after: list[str]


def _items(log: Changelog, block: Release) -> tuple[dict[str, list[str]], list[str]]:
    """Each section's items: entries (with their continuation lines) and other paragraphs."""
    sections: dict[str, list[str]] = {}
    order: list[str] = []
    spans = [("", block.heading.line + 1, block.body_end)]
    spans += [(s.name, s.heading.line + 1, s.end_line) for s in block.sections]
    for name, start, end in spans:
        items: list[str] = []
        chunk: list[str] = []
        entries = {e.line: e for e in log.entries_in_range(start, end)}
        line = start
        while line <= min(end, block.end_line):
            if line in entries:
                entry = entries[line]
                items.append("".join(log.lines[line - 1 : entry.end_line]).rstrip("\r\n"))
                line = entry.end_line + 1
                continue
            text = log.lines[line - 1].rstrip("\r\n")
            if text.strip():
                chunk.append(text)
            elif chunk:
                items.append("\n".join(chunk))
                chunk = []
            line += 1
        if chunk:
            items.append("\n".join(chunk))
        if name or items:
            sections.setdefault(name, []).extend(items)
            if name not in order:
                order.append(name)
    return sections, order


def split(text: str) -> Split | None:
    """The file around its Unreleased body, or None when there is no Unreleased section."""
    log = parse(text)
    block = log.unreleased
    if block is None:
        return None
    sections, order = _items(log, block)
    lines = list(log.lines)
    return Split(lines[: block.heading.line], sections, order, lines[block.end_line :])


def _key(item: str) -> str:
    return " ".join(item.split()).casefold()


def merge_items(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Three-way set merge keeping order: ours first, then what only theirs added."""
    base_keys = {_key(i) for i in base}
    theirs_keys = {_key(i) for i in theirs}
    result: list[str] = []
    seen: set[str] = set()
    for item in ours:
        key = _key(item)
        if key in seen or (key in base_keys and key not in theirs_keys):
            continue  # a duplicate, or removed on their side
        result.append(item)
        seen.add(key)
    for item in theirs:
        key = _key(item)
        if key in seen or key in base_keys:
            continue  # already kept, or removed on our side
        result.append(item)
        seen.add(key)
    return result


def merge_unreleased(
    base: Split, ours: Split, theirs: Split, sections: Sequence[str], eol: str
) -> list[str]:
    names = list(ours.order) + [n for n in theirs.order if n not in ours.order]
    rank = {name: i for i, name in enumerate(sections)}
    first_seen = {name: i for i, name in enumerate(names)}
    names.sort(key=lambda n: (n != "", rank.get(n, len(rank)), first_seen[n]))
    out: list[str] = []
    for name in names:
        items = merge_items(
            base.sections.get(name, []), ours.sections.get(name, []), theirs.sections.get(name, [])
        )
        if not items and name not in ours.sections:
            continue
        if name:
            out += [eol, f"### {name}{eol}"]
        if items:
            out.append(eol)
        for item in items:
            out += [part + eol for part in item.split("\n")]
    return out


def _merge_file(ours: str, base: str, theirs: str, labels: Sequence[str]) -> tuple[str, int]:
    with tempfile.TemporaryDirectory(prefix="ares-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
            paths.append(str(path))
        args = ["git", "merge-file", "-p"]
        for label in labels:
            args += ["-L", label]
        done = subprocess.run([*args, *paths], capture_output=True, check=False)
    if done.returncode < 0 or done.returncode > 127:
        raise OSError(f"git merge-file failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode("utf-8", "surrogateescape"), done.returncode


def merge(
    base: str, ours: str, theirs: str, *, sections: Sequence[str], path: str
) -> tuple[str, bool]:
    """The merged text, and whether it is clean."""
    labels = (f"ours:{path}", f"base:{path}", f"theirs:{path}")
    sb, so, st = split(base), split(ours), split(theirs)
    if sb is None or so is None or st is None:
        text, conflicts = _merge_file(ours, base, theirs, labels)
        return text, conflicts == 0
    eol = "\r\n" if ours.split("\n", 1)[0].endswith("\r") else "\n"
    skeletons = ["".join([*p.before, PLACEHOLDER + eol, *p.after]) for p in (sb, so, st)]
    merged, conflicts = _merge_file(skeletons[1], skeletons[0], skeletons[2], labels)
    body = "".join(merge_unreleased(sb, so, st, sections, eol))
    if merged.count(PLACEHOLDER) != 1:  # the placeholder itself ended up in a conflict
        text, conflicts = _merge_file(ours, base, theirs, labels)
        return text, False
    return merged.replace(PLACEHOLDER + eol, body), conflicts == 0


def run_driver(base: Path, ours: Path, theirs: Path, path: str, sections: Sequence[str]) -> bool:
    """What git calls: merge into ``ours`` in place; True when clean."""
    texts = [p.read_bytes().decode("utf-8", "surrogateescape") for p in (base, ours, theirs)]
    try:
        result, clean = merge(*texts, sections=sections, path=path)
    except Exception:  # never lose a side: fall back to git's own line merge
        labels = (f"ours:{path}", f"base:{path}", f"theirs:{path}")
        result, conflicts = _merge_file(texts[1], texts[0], texts[2], labels)
        clean = conflicts == 0
    ours.write_bytes(result.encode("utf-8", "surrogateescape"))
    return clean


def install(root: Path, changelog: str) -> list[str]:
    """Register the driver in the repository's git config and ``.gitattributes``."""
    from . import git

    git.run(root, "config", f"merge.{DRIVER}.name", "ares-release changelog merge")
    git.run(root, "config", f"merge.{DRIVER}.driver", "ares-release merge-driver %O %A %B %P")
    attributes = root / ".gitattributes"
    line = f"{changelog} merge={DRIVER}"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    done = [f"git config merge.{DRIVER}.driver 'ares-release merge-driver %O %A %B %P'"]
    if line not in existing.splitlines():
        sep = "" if not existing or existing.endswith("\n") else "\n"
        attributes.write_text(existing + sep + line + "\n", encoding="utf-8")
        done.append(f".gitattributes: {line}")
    return done
