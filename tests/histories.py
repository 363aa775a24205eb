"""Rebuild a repository from a recorded history (``git log`` records and tags) with fast-import.

The records hold messages, authors and dates, not trees or parents: the rebuilt history is
linear, in the recorded order, with empty trees. That is all ``draft`` reads.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path


def _stamp(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{int(moment.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def rebuild(log_file: Path, tags_file: Path, dest: Path) -> dict[str, str]:
    """Create the repository in ``dest``; returns tag -> rebuilt commit SHA."""
    records = [r.lstrip("\n") for r in log_file.read_text(encoding="utf-8").split("\x1e")]
    commits = [r.split("\x1f") for r in records if r.strip()]
    commits.reverse()  # oldest first
    marks: dict[str, int] = {}
    stream: list[bytes] = []
    for number, fields in enumerate(commits, start=1):
        sha, author, date, subject, body = (fields + [""] * 5)[:5]
        message = subject + ("\n\n" + body.strip("\n") if body.strip() else "") + "\n"
        data = message.encode("utf-8")
        who = f"{author} <{author.replace(' ', '.').lower()}@example.invalid> {_stamp(date)}"
        stream.append(
            f"commit refs/heads/main\nmark :{number}\nauthor {who}\ncommitter {who}\n".encode()
        )
        stream.append(f"data {len(data)}\n".encode() + data + b"\n")
        if number > 1:
            stream.append(f"from :{number - 1}\n".encode())
        stream.append(b"\n")
        marks[sha] = number
    tags: dict[str, int] = {}
    for line in tags_file.read_text(encoding="utf-8").splitlines():
        tag, _, sha = line.partition("\t")
        if sha in marks:
            tags[tag] = marks[sha]
            stream.append(f"reset refs/tags/{tag}\nfrom :{marks[sha]}\n\n".encode())
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=dest, input=b"".join(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=dest, check=True)
    return {
        tag: subprocess.run(
            ["git", "rev-parse", f"refs/tags/{tag}"],
            cwd=dest,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for tag in tags
    }
