"""Find and rewrite the version constant without importing or executing the file.

The file is parsed with :mod:`ast` (to find the one module-level assignment) and
:mod:`tokenize` (to find the literal's exact characters). Writing splices only the literal's
bytes; every other byte of the file (encoding, BOM, line endings, comments) stays as it was.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path
from typing import NamedTuple

from .errors import VersionError
from .versioning import Version, is_valid

_BOM = b"\xef\xbb\xbf"


class VersionLiteral(NamedTuple):
    """Where the constant's string literal sits in the file, and what it holds."""

    path: str
    variable: str
    value: str
    line: int  # 1-based line of the literal's first character
    col: int  # 1-based column (characters) of the literal's first character
    start: int  # byte offset of the literal's first byte
    end: int  # byte offset just past the literal's last byte
    token: str  # the literal exactly as written, prefix and quotes included

    @property
    def version(self) -> Version:
        return Version.parse(self.value)


def _fail(path: str, line: int, text: str) -> VersionError:
    return VersionError(f"{path}:{line}: {text}", line=line, detail=text)


def _decode(data: bytes, path: str) -> tuple[str, str]:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise _fail(path, 1, f"cannot tell the file's encoding: {exc}") from None
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise _fail(path, 1, f"not valid {encoding}: {exc}") from None


def _lines(text: str) -> list[str]:
    """Lines as Python's tokenizer numbers them (split after each newline, ends kept)."""
    return re.split(r"(?<=\n)", text)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _assigned_names(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign) or (isinstance(node, ast.AnnAssign) and node.value):
        return [node.target]
    return []


def _module_assignments(tree: ast.Module, variable: str) -> list[ast.stmt]:
    """Assignments to ``variable`` at module level, including inside if/try/with blocks."""
    found: list[ast.stmt] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.stmt) and any(
            isinstance(t, ast.Name) and t.id == variable for t in _assigned_names(node)
        ):
            found.append(node)
        if not isinstance(node, _SCOPES):
            for name in ("body", "orelse", "finalbody", "handlers", "cases"):
                children = getattr(node, name, None)
                if isinstance(children, list):
                    todo.extend(c for c in children if isinstance(c, ast.AST))
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return found


def _string_token(text: str, line: int, col_utf8: int) -> tokenize.TokenInfo | None:
    target_line = _lines(text)[line - 1]
    col = len(target_line.encode("utf-8")[:col_utf8].decode("utf-8", errors="replace"))
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.start == (line, col):
                return tok if tok.type == tokenize.STRING else None
            if tok.start[0] > line:
                break
    except (tokenize.TokenError, SyntaxError):
        return None
    return None


def locate(data: bytes, variable: str, path: str = "<version file>") -> VersionLiteral:
    """Find the single module-level ``variable = "X.Y.Z"`` in ``data``."""
    text, encoding = _decode(data, path)
    try:
        tree = ast.parse(data, filename=path)
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None) or 1
        raise _fail(
            path, line, f"not valid Python ({getattr(exc, 'msg', exc)}); fix the syntax error first"
        ) from None
    nodes = _module_assignments(tree, variable)
    if not nodes:
        raise _fail(
            path,
            1,
            f"no module-level assignment to {variable}; add a line such as "
            f'{variable} = "0.1.0" or set version_variable in [tool.ares-release]',
        )
    if len(nodes) > 1:
        lines = ", ".join(str(n.lineno) for n in nodes)
        raise _fail(
            path,
            nodes[1].lineno,
            f"{variable} is assigned {len(nodes)} times (lines {lines}); "
            "keep exactly one module-level assignment",
        )
    node = nodes[0]
    value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
    if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
        raise _fail(
            path,
            node.lineno,
            f'{variable} must be assigned a plain string literal such as "2.0.0", '
            "not a computed value",
        )
    tok = _string_token(text, value.lineno, value.col_offset)
    if tok is None or ast.get_source_segment(text, value) != tok.string:
        raise _fail(
            path,
            value.lineno,
            f"{variable} must be one string literal, not concatenated or split strings",
        )
    version_text = value.value
    if not is_valid(version_text):
        raise _fail(
            path,
            value.lineno,
            f"{variable} = {version_text!r} is not a valid SemVer 2.0.0 version "
            "(MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no 'v' prefix)",
        )
    start, end = _byte_span(text, encoding, data, tok)
    return VersionLiteral(
        path=path,
        variable=variable,
        value=version_text,
        line=tok.start[0],
        col=tok.start[1] + 1,
        start=start,
        end=end,
        token=tok.string,
    )


def _byte_span(text: str, encoding: str, data: bytes, tok: tokenize.TokenInfo) -> tuple[int, int]:
    lines = _lines(text)
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    bom = len(_BOM) if data.startswith(_BOM) else 0

    def offset(row: int, col: int) -> int:
        before = "".join(lines[: row - 1]) + lines[row - 1][:col]
        return bom + len(before.encode(codec))

    start, end = offset(*tok.start), offset(*tok.end)
    if data[start:end] != tok.string.encode(codec):
        raise VersionError(
            f"cannot locate the literal {tok.string} byte-exactly (unusual line endings?); "
            "edit the version by hand"
        )
    return start, end


def _quote_like(token: str, value: str) -> str:
    """A literal holding ``value`` written with ``token``'s prefix and quotes."""
    i = 0
    while token[i] not in "'\"":
        i += 1
    prefix = token[:i]
    quote = token[i : i + 3] if token[i : i + 3] in ('"""', "'''") else token[i]
    return f"{prefix}{quote}{value}{quote}"


def replace_version(data: bytes, variable: str, new: str, path: str = "<version file>") -> bytes:
    """Return ``data`` with only the constant's literal changed to hold ``new``.

    Re-parses the result and confirms the constant now reads ``new``.
    """
    if not is_valid(new):
        raise VersionError(f"{new!r} is not a valid SemVer 2.0.0 version")
    lit = locate(data, variable, path)
    _, encoding = _decode(data, path)
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    result = data[: lit.start] + _quote_like(lit.token, new).encode(codec) + data[lit.end :]
    check = locate(result, variable, path)
    if check.value != new:  # pragma: no cover - defensive: the splice must round-trip
        raise VersionError(f"{path}: rewriting {variable} did not round-trip; file left unchanged")
    return result


def read_version(path: Path, variable: str, *, display: str | None = None) -> VersionLiteral:
    """Read the constant from the file at ``path`` (never importing it)."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(
            shown,
            1,
            f'file not found; create it with {variable} = "0.1.0" or set version_file '
            "in [tool.ares-release]",
        ) from None
    except OSError as exc:
        raise _fail(shown, 1, f"cannot read: {exc.strerror or exc}") from None
    return locate(data, variable, shown)
