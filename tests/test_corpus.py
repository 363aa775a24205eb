"""``check`` over 18 real changelogs: never a crash, the reference passes, real defects found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ares_release.cli import cli as cli_group

from .conftest import Cli


def check_json(cli: Cli, path: Path) -> dict[str, object]:
    result = cli.runner.invoke(cli_group, ["check", "--json", str(path)])
    assert result.exit_code in (0, 1), (path.name, result.exit_code, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_no_changelog_crashes_the_checker(cli: Cli, corpus: Path) -> None:
    files = sorted((corpus / "changelogs").glob("*.md"))
    assert len(files) == 18
    for path in files:
        payload = check_json(cli, path)
        for problem in payload["problems"]:  # type: ignore[attr-defined]
            assert set(problem) == {"path", "line", "col", "code", "severity", "message"}
            assert problem["line"] >= 1 and problem["col"] >= 1


def test_keep_a_changelog_reference_passes_clean(cli: Cli, corpus: Path) -> None:
    payload = check_json(cli, corpus / "changelogs" / "olivierlacan__keep-a-changelog.md")
    assert payload == {"ok": True, "problems": []}


def found(cli: Cli, corpus: Path, name: str) -> set[tuple[int, str]]:
    payload = check_json(cli, corpus / "changelogs" / name)
    return {(p["line"], p["code"]) for p in payload["problems"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "line", "code"),
    [
        # zoxide: 0.8.1 (line 104) is dated 2021-04-23, before 0.8.0 below it (2021-12-25).
        ("ajeetdsouza__zoxide.md", 104, "CL303"),
        # rich: '## [9.3.0] - 2020-12-1' is not a padded ISO date.
        ("Textualize__rich.md", 1191, "CL204"),
        # rich: 10.16.2 dated 2021-01-02 (meant 2022) sits above 10.16.1 (2021-12-15).
        ("Textualize__rich.md", 621, "CL303"),
        # rich: '## Changed' used as a section inside release 10.13.0.
        ("Textualize__rich.md", 711, "CL401"),
        # tailwind: '# Changed' inside release 3.4.16.
        ("tailwindlabs__tailwindcss.md", 1665, "CL401"),
        # moment-business-days-sk: template residue repeats 0.0.1 with a placeholder date.
        ("MiroBartanus__moment-business-days-sk.md", 56, "CL302"),
        # craue: en-dash between version and date.
        ("craue__CraueConfigBundle.md", 3, "CL203"),
    ],
    ids=[
        "zoxide-date-order",
        "rich-unpadded-date",
        "rich-date-typo",
        "rich-h2-section",
        "tailwind-h1-section",
        "template-residue",
        "en-dash",
    ],
)
def test_real_defects_are_reported_at_their_lines(
    cli: Cli, corpus: Path, name: str, line: int, code: str
) -> None:
    assert (line, code) in found(cli, corpus, name)


def test_zoxide_has_no_other_errors(cli: Cli, corpus: Path) -> None:
    payload = check_json(cli, corpus / "changelogs" / "ajeetdsouza__zoxide.md")
    errors = [p for p in payload["problems"] if p["severity"] == "error"]  # type: ignore[attr-defined]
    assert [(p["line"], p["code"]) for p in errors] == [(104, "CL303")]
    assert "check 0.8.1's date" in errors[0]["message"]
