from __future__ import annotations

import json
from pathlib import Path

from .conftest import GOOD_CHANGELOG, Cli, write_project


def test_clean_project_passes(cli: Cli, ares_repo: Path) -> None:
    result = cli("check")
    assert result.stdout == ""
    assert result.stderr == "docs/BOT_CHANGELOG.md: ok (3 releases)\n"


def test_check_from_a_subdirectory_finds_the_repository(
    cli: Cli, ares_repo: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ares_repo / "src")
    cli("check")


def test_version_mismatch_names_both_versions(cli: Cli, ares_repo: Path) -> None:
    config = ares_repo / "src" / "config.py"
    config.write_text(config.read_text().replace('"2.0.0"', '"2.0.1"'))
    result = cli("check", code=1)
    assert result.stdout == (
        "src/config.py:4:16: VF001 ARES_VERSION is 2.0.1 but the newest release in "
        "docs/BOT_CHANGELOG.md is 2.0.0 (line 11); release with 'ares-release bump' or "
        "correct whichever is wrong\n"
    )
    assert result.stderr == "docs/BOT_CHANGELOG.md: 1 error(s), 0 warning(s)\n"


def test_json_report(cli: Cli, ares_repo: Path) -> None:
    log = ares_repo / "docs" / "BOT_CHANGELOG.md"
    log.write_text(log.read_text().replace("2025-03-14", "2025-02-30"))
    payload = json.loads(cli("check", "--json", code=1).stdout)
    assert payload == {
        "ok": False,
        "problems": [
            {
                "path": "docs/BOT_CHANGELOG.md",
                "line": 21,
                "col": 14,
                "code": "CL205",
                "severity": "error",
                "message": "'2025-02-30' is not a real calendar date",
            }
        ],
    }


def test_warnings_alone_exit_zero(cli: Cli, ares_repo: Path) -> None:
    log = ares_repo / "docs" / "BOT_CHANGELOG.md"
    log.write_text(
        log.read_text().replace("[1.0.0]: https://example.com/ares/releases/tag/v1.0.0\n", "")
    )
    result = cli("check")
    assert "CL501 warning: [1.0.0] has no link definition" in result.stdout
    assert json.loads(cli("check", "--json").stdout)["ok"] is True


def test_usage_error_exits_2(cli: Cli, ares_repo: Path) -> None:
    cli("check", "--no-such-option", code=2)


def test_missing_changelog_is_a_problem_not_a_traceback(cli: Cli, ares_repo: Path) -> None:
    (ares_repo / "docs" / "BOT_CHANGELOG.md").unlink()
    result = cli("check", code=1)
    assert result.stdout == (
        "docs/BOT_CHANGELOG.md:1:1: CL001 file not found; create it with 'ares-release init'\n"
    )


def test_invalid_utf8_names_line_and_column(cli: Cli, ares_repo: Path) -> None:
    log = ares_repo / "docs" / "BOT_CHANGELOG.md"
    data = log.read_bytes().replace(b"Per-symbol", b"Per-symb\xe9l")
    log.write_bytes(data)
    result = cli("check", code=1)
    assert result.stdout.startswith("docs/BOT_CHANGELOG.md:9:11: CL002 invalid UTF-8 (byte 0xe9)")


def test_directory_instead_of_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", str(tmp_path), code=1)
    assert "CL001 is a directory" in result.stdout


def test_broken_version_file_is_reported(cli: Cli, ares_repo: Path) -> None:
    (ares_repo / "src" / "config.py").write_text('ARES_VERSION = "2.0"\n')
    result = cli("check", code=1)
    assert result.stdout.startswith(
        "src/config.py:1:1: VF002 ARES_VERSION = '2.0' is not a valid SemVer"
    )


def test_changelog_without_releases(cli: Cli, ares_repo: Path) -> None:
    (ares_repo / "docs" / "BOT_CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    result = cli("check", code=1)
    assert "VF003 no release heading to compare with ARES_VERSION = '2.0.0'" in result.stdout


def test_check_path_uses_changelog_rules_only_and_works_outside_git(
    cli: Cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "CHANGES.md").write_text(GOOD_CHANGELOG)
    cli("check", "CHANGES.md")  # no src/config.py here, and that is fine


def test_check_without_path_outside_git_uses_the_current_folder(
    cli: Cli, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    cli("check")


def test_configured_locations(cli: Cli, git_repo: Path) -> None:
    (git_repo / "pyproject.toml").write_text(
        '[tool.ares-release]\nversion_file = "bot/version.py"\nversion_variable = "VERSION"\n'
        'changelog = "CHANGELOG.md"\nsections = ["Added", "Fixed", "Removed"]\n'
    )
    (git_repo / "bot").mkdir()
    (git_repo / "bot" / "version.py").write_text("VERSION = '2.0.0'\n")
    (git_repo / "CHANGELOG.md").write_text(GOOD_CHANGELOG)
    cli("check")
    (git_repo / "CHANGELOG.md").write_text(GOOD_CHANGELOG.replace("### Removed", "### Security"))
    assert "CL402 unknown section 'Security' in 2.0.0" in cli("check", code=1).stdout


def test_bad_config_is_one_line_exit_1(cli: Cli, git_repo: Path) -> None:
    (git_repo / "pyproject.toml").write_text('[tool.ares-release]\nchangelg = "x.md"\n')
    result = cli("check", code=1)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert (
        "unknown key 'changelg'" in result.stderr and "did you mean 'changelog'?" in result.stderr
    )


def test_c_option_works_like_git(cli: Cli, ares_repo: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    assert cli("-C", str(ares_repo), "version").stdout == "2.0.0\n"
    cli("-C", str(ares_repo), "check")


def test_version_prints_the_value_alone(cli: Cli, ares_repo: Path) -> None:
    assert cli("version").stdout == "2.0.0\n"
