from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ares_release.errors import VersionError
from ares_release.version_file import locate, read_version, replace_version

VAR = "ARES_VERSION"


@pytest.mark.parametrize(
    ("source", "line", "token"),
    [
        (b'ARES_VERSION = "2.0.0"  # Used for model versioning\n', 1, b'"2.0.0"'),
        (b"ARES_VERSION = '2.0.0'\n", 1, b"'2.0.0'"),
        (b'ARES_VERSION: str = "2.0.0"\n', 1, b'"2.0.0"'),
        (b'from typing import Final\nARES_VERSION: Final = r"2.0.0"\n', 2, b'r"2.0.0"'),
        (b'ARES_VERSION = """2.0.0"""\n', 1, b'"""2.0.0"""'),
        (b'ARES_VERSION = (\n    "2.0.0"\n)\n', 2, b'"2.0.0"'),
        (b'import os\nif os.name:\n    ARES_VERSION = "2.0.0"\n', 3, b'"2.0.0"'),
        (b'def f():\n    ARES_VERSION = "9.9.9"\nARES_VERSION = "2.0.0"\n', 3, b'"2.0.0"'),
        (b'class C:\n    ARES_VERSION = "9.9.9"\n\nARES_VERSION = "2.0.0"\n', 4, b'"2.0.0"'),
        (b'CONFIG = {"ARES_VERSION": "1.0.0"}\nARES_VERSION = "2.0.0"\n', 2, b'"2.0.0"'),
    ],
    ids=[
        "plain",
        "single-quotes",
        "annotated",
        "final-raw",
        "triple",
        "parenthesised",
        "inside-if",
        "function-scope-ignored",
        "class-scope-ignored",
        "dict-key-ignored",
    ],
)
def test_locate(source: bytes, line: int, token: bytes) -> None:
    literal = locate(source, VAR)
    assert literal.value == "2.0.0"
    assert literal.line == line
    assert source[literal.start : literal.end] == token


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        (b"X = 1\n", 1, "no module-level assignment to ARES_VERSION"),
        (b'ARES_VERSION = "1.0.0"\nARES_VERSION = "2.0.0"\n', 2, "assigned 2 times"),
        (
            b'import os\nARES_VERSION = "1.0.0"\ntry:\n    pass\n'
            b'except E:\n    ARES_VERSION = "2"\n',
            6,
            "assigned 2 times",
        ),
        (b'ARES_VERSION = "2.0.0"\nARES_VERSION += "-dev"\n', 2, "assigned 2 times"),
        (b"ARES_VERSION = get_version()\n", 1, "plain string literal"),
        (b'V = "2.0.0"\nARES_VERSION = V\n', 2, "plain string literal"),
        (b'ARES_VERSION = f"2.0.{0}"\n', 1, "plain string literal"),
        (b'ARES_VERSION = b"2.0.0"\n', 1, "plain string literal"),
        (b'ARES_VERSION = "2.0." "0"\n', 1, "one string literal"),
        (b'ARES_VERSION = "2.0"\n', 1, "not a valid SemVer"),
        (b'ARES_VERSION = "v2.0.0"\n', 1, "not a valid SemVer"),
        (b'ARES_VERSION = "2.0.0"\nif:\n', 2, "not valid Python"),
    ],
    ids=[
        "missing",
        "twice",
        "twice-in-try",
        "augmented",
        "call",
        "name",
        "fstring",
        "bytes",
        "concatenated",
        "two-parts",
        "v-prefix",
        "syntax-error",
    ],
)
def test_locate_refuses(source: bytes, line: int, message: str) -> None:
    with pytest.raises(VersionError, match=message) as info:
        locate(source, VAR, "src/config.py")
    assert info.value.line == line
    assert str(info.value).startswith(f"src/config.py:{line}: ")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            b'ARES_VERSION = "2.0.0"  # Used for model versioning\n',
            b'ARES_VERSION = "2.1.0-rc.1"  # Used for model versioning\n',
        ),
        (
            b"\xef\xbb\xbf# coding: utf-8\r\nNAME = '2.0.0'\r\nARES_VERSION = '2.0.0'\r\n",
            b"\xef\xbb\xbf# coding: utf-8\r\nNAME = '2.0.0'\r\nARES_VERSION = '2.1.0-rc.1'\r\n",
        ),
        (
            b'# -*- coding: latin-1 -*-\nAUTHOR = "Jos\xe9"\nARES_VERSION = "2.0.0"\n',
            b'# -*- coding: latin-1 -*-\nAUTHOR = "Jos\xe9"\nARES_VERSION = "2.1.0-rc.1"\n',
        ),
        (
            b'D = {"\xc3\xa9": "2.0.0"}; ARES_VERSION = r"2.0.0"; E = "2.0.0"',
            b'D = {"\xc3\xa9": "2.0.0"}; ARES_VERSION = r"2.1.0-rc.1"; E = "2.0.0"',
        ),
        (b'ARES_VERSION: str = """2.0.0"""\n', b'ARES_VERSION: str = """2.1.0-rc.1"""\n'),
    ],
    ids=["comment-kept", "bom-crlf-same-version-elsewhere", "latin1", "no-final-newline", "triple"],
)
def test_replace_changes_only_the_literal(source: bytes, expected: bytes) -> None:
    assert replace_version(source, VAR, "2.1.0-rc.1") == expected


def test_replace_refuses_invalid_new_version() -> None:
    with pytest.raises(VersionError, match="not a valid SemVer"):
        replace_version(b'ARES_VERSION = "2.0.0"\n', VAR, "2.1")


def test_read_never_executes_the_file(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    config = tmp_path / "config.py"
    config.write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('x')\n"
        'raise SystemExit("imported!")\nARES_VERSION = "2.0.0"\n'
    )
    assert read_version(config, VAR).value == "2.0.0"
    assert not marker.exists()


def test_read_missing_file_names_the_remedy(tmp_path: Path) -> None:
    with pytest.raises(VersionError, match="file not found; create it"):
        read_version(tmp_path / "nope.py", VAR, display="src/config.py")


filler = st.lists(
    st.sampled_from(
        [
            "# a comment with 2.0.0 in it",
            "X = '2.0.0'",
            "",
            "import os",
            "Y = 1  # ARES_VERSION",
            "S = 'ARES_VERSION = \"1.0.0\"'",
            "def f():\n    ARES_VERSION = '0.0.1'",
            "Z = 'é'",
        ]
    ),
    max_size=5,
)


@given(filler, filler, st.sampled_from(["\n", "\r\n"]), st.sampled_from(['"', "'"]), st.booleans())
def test_replace_roundtrip_keeps_every_other_byte(
    before: list[str], after: list[str], eol: str, quote: str, bom: bool
) -> None:
    head = eol.join(before) + eol if before else ""
    tail = eol.join(after) + eol if after else ""
    text = f"{head}ARES_VERSION = {quote}2.0.0{quote}  # keep{eol}{tail}"
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    new = replace_version(data, VAR, "10.20.30-rc.1+b.2")
    literal = locate(data, VAR)
    assert (
        new
        == data[: literal.start] + f"{quote}10.20.30-rc.1+b.2{quote}".encode() + data[literal.end :]
    )
    assert locate(new, VAR).value == "10.20.30-rc.1+b.2"
