"""``ares-release draft``: Conventional Commits merged into Unreleased, in real repositories."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import CORPUS, Cli, git
from .histories import rebuild

DATE = "2026-12-04"


def commit(root: Path, message: str) -> str:
    (root / "work.txt").write_text(message)
    git(root, "add", "work.txt")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def released(ares_repo: Path) -> Path:
    """The Ares repository with its release tag, and a few commits on top."""
    git(ares_repo, "tag", "-a", "v2.0.0", "-m", "Release 2.0.0")
    return ares_repo


def unreleased(root: Path) -> str:
    text = (root / "docs" / "BOT_CHANGELOG.md").read_text()
    return text.split("## [Unreleased]\n", 1)[1].split("## [2.0.0]", 1)[0]


def test_draft_merges_into_unreleased(cli: Cli, released: Path) -> None:
    feat = commit(released, "feat(risk): per-symbol exposure limit (#31)")
    commit(released, "docs: explain the limits")
    fix = commit(released, "fix(exchange): retry on 502\n\nCloses #40")
    breaking = commit(released, "feat(config)!: move settings to TOML")
    deprecate = commit(released, "deprecate(api): the v1 signal endpoint")
    result = cli("draft")
    assert result.stdout.startswith(
        "added 4 entries to docs/BOT_CHANGELOG.md (Added 2, Deprecated 1, Fixed 1) "
        "from 5 commits in v2.0.0..HEAD; left out 1: docs 1"
    )
    assert (
        unreleased(released)
        == (
            "\n### Added\n\n"
            "- Per-symbol position caps in the risk manager.\n"  # hand-written, first and kept
            f"- **risk:** per-symbol exposure limit (#31, {feat[:7]})\n"
            f"- **BREAKING** **config:** move settings to TOML ({breaking[:7]})\n"
            "\n### Deprecated\n\n"
            f"- **api:** the v1 signal endpoint ({deprecate[:7]})\n"
            "\n### Fixed\n\n"
            f"- **exchange:** retry on 502 (#40, {fix[:7]})\n\n"
        )
    )
    cli("check")
    before = (released / "docs" / "BOT_CHANGELOG.md").read_bytes()
    again = cli("draft")  # running it twice changes nothing
    assert "added 0 entries" in again.stdout and "4 already in the changelog" in again.stdout
    assert (released / "docs" / "BOT_CHANGELOG.md").read_bytes() == before


def test_bump_auto_reads_what_draft_wrote(cli: Cli, released: Path) -> None:
    commit(released, "fix: small")
    commit(released, "feat(config)!: move settings to TOML")
    cli("draft")
    git(released, "commit", "-qam", "docs: draft the changelog")
    payload = json.loads(cli("bump", "auto", "--json", "--date", DATE).stdout)
    assert (payload["new"], payload["level"]) == ("3.0.0", "major")
    assert "**BREAKING** **config:** move settings to TOML" in payload["reasons"][0]


def test_dry_run_and_json_change_nothing(cli: Cli, released: Path) -> None:
    sha = commit(released, "perf(backtest): vectorise the fill model")
    before = (released / "docs" / "BOT_CHANGELOG.md").read_bytes()
    dry = cli("draft", "--dry-run")
    assert dry.stdout == f"### Changed\n\n- **backtest:** vectorise the fill model ({sha[:7]})\n\n"
    assert "would add 1 entries" in dry.stderr
    payload = json.loads(cli("draft", "--dry-run", "--json").stdout)
    assert payload["entries"] == [
        {
            "sha": sha,
            "type": "perf",
            "scope": "backtest",
            "breaking": False,
            "section": "Changed",
            "text": f"**backtest:** vectorise the fill model ({sha[:7]})",
            "description": "vectorise the fill model",
        }
    ]
    assert payload["range"] == "v2.0.0..HEAD" and payload["dry_run"] is True
    assert (released / "docs" / "BOT_CHANGELOG.md").read_bytes() == before


def test_since_and_the_whole_history(cli: Cli, ares_repo: Path) -> None:
    first = git(ares_repo, "rev-parse", "HEAD").strip()  # "feat: initial Ares bot", no tags
    commit(ares_repo, "fix: one")
    payload = json.loads(cli("draft", "--dry-run", "--json").stdout)
    assert payload["range"] == "HEAD"
    assert [e["description"] for e in payload["entries"]] == ["initial Ares bot", "one"]
    since = json.loads(cli("draft", "--dry-run", "--json", "--since", first).stdout)
    assert [e["description"] for e in since["entries"]] == ["one"]


def test_missing_unreleased_is_created_above_the_releases(cli: Cli, released: Path) -> None:
    log = released / "docs" / "BOT_CHANGELOG.md"
    text = log.read_text()
    start, end = text.index("## [Unreleased]"), text.index("## [2.0.0]")
    log.write_text(text[:start] + text[end:])
    git(released, "commit", "-qam", "docs: no unreleased")
    sha = commit(released, "fix: found it")
    cli("draft")
    assert (
        f"documented in this file.\n\n## [Unreleased]\n\n### Fixed\n\n"
        f"- found it ({sha[:7]})\n\n## [2.0.0]" in log.read_text()
    )
    cli("check")


def test_crlf_changelog_stays_crlf(cli: Cli, released: Path) -> None:
    log = released / "docs" / "BOT_CHANGELOG.md"
    log.write_bytes(log.read_bytes().replace(b"\n", b"\r\n"))
    git(released, "commit", "-qam", "docs: crlf")
    commit(released, "security: pin the TLS version")
    cli("draft")
    data = log.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"### Security\r\n\r\n- pin the TLS version" in data


HOSTILE = [
    "feat: ## [9.9.9] - 2099-01-01",
    "feat: <script>alert('x')</script>",
    "fix: [Unreleased]: https://evil.example",
    "feat(<img src=x onerror=y>): scoped",
    "fix: ```\n\n## not a heading",
    "feat: - [ ] a task\n\nBREAKING CHANGE: ### Removed",
    "fix: <!-- swallow everything after",
]


def test_hostile_commit_text_cannot_break_the_changelog(cli: Cli, released: Path) -> None:
    for message in HOSTILE:
        commit(released, message)
    cli("draft")
    cli("check")  # no new headings, no duplicate sections, nothing empty
    import mistune

    text = (released / "docs" / "BOT_CHANGELOG.md").read_text()
    html = mistune.html(text)
    assert "<script" not in html and "<img" not in html and "<!--" not in html
    assert html.count("<h2>") == 4 and "9.9.9" not in re.findall(r"<h2>(.*?)</h2>", html)[0]
    section = unreleased(released)
    assert section.count("\n- ") == 1 + len(HOSTILE)


def test_refuses_outside_git_and_with_an_unreadable_changelog(cli: Cli, released: Path) -> None:
    (released / "docs" / "BOT_CHANGELOG.md").write_bytes(b"# C\n\xff\n")
    assert "CL002 invalid UTF-8" in cli("draft", code=1).stderr


# --- real histories: the published features and fixes are all drafted ----------------------

RELEASES = [
    # (history, changelog, range start, range end, releases published in that range, sections)
    (
        "orhun__git-cliff",
        "orhun__git-cliff.md",
        "v2.11.0",
        "v2.12.0",
        ["2.12.0"],
        ("Features", "Bug Fixes"),
    ),
    (
        "commitizen-tools__commitizen",
        "commitizen-tools__commitizen.md",
        "v4.10.0",
        "v4.11.0",
        ["v4.11.0", "v4.10.1"],
        ("Feat", "Fix"),
    ),
]


def _published(changelog: Path, versions: list[str], sections: tuple[str, ...]) -> list[str]:
    from ares_release.changelog import parse

    log = parse(changelog.read_text(encoding="utf-8"))
    found = []
    for block in log.blocks:
        if block.version not in versions and block.heading.text.split(" ")[0] not in versions:
            continue
        for section in block.sections:
            if any(name in section.name for name in sections):
                found += [e.text.splitlines()[0] for e in log.section_entries(section)]
    return found


def _norm(text: str) -> str:
    text = re.sub(r"^\*\*[^*]+\*\*:\s*|^\*\([^)]*\)\*\s*", "", text)  # **scope**: or *(scope)*
    text = re.sub(r"\s+-\s+\(\[[0-9a-f]+\]\([^)]*\)\)\s*$", "", text)  # - ([sha](url))
    text = re.sub(r"\(\[#\d+\]\([^)]*\)\)|\(#\d+\)|\[\*\*breaking\*\*\]", "", text)
    return " ".join(text.split()).casefold()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("history", "changelog", "start", "end", "versions", "sections"),
    RELEASES,
    ids=[r[0] for r in RELEASES],
)
def test_real_history_release_is_fully_drafted(
    cli: Cli,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    history: str,
    changelog: str,
    start: str,
    end: str,
    versions: list[str],
    sections: tuple[str, ...],
) -> None:
    repo = tmp_path / history
    rebuild(CORPUS / "histories" / f"{history}.log", CORPUS / "histories" / f"{history}.tags", repo)
    git(repo, "checkout", "-q", end)
    (repo / "docs").mkdir()
    (repo / "docs" / "BOT_CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    monkeypatch.chdir(repo)
    payload = json.loads(cli("draft", "--since", start, "--dry-run", "--json").stdout)
    drafted = {_norm(e["description"]) for e in payload["entries"]}
    published = _published(corpus / "changelogs" / changelog, versions, sections)
    assert len(published) >= 4
    missing = [p for p in published if _norm(p) not in drafted]
    assert missing == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["feat", "fix", "perf", "remove", "deprecate", "security", "revert", "docs"]
            ),
            st.one_of(
                st.none(),
                st.text(min_size=1, max_size=12).filter(
                    lambda s: "(" not in s and ")" not in s and "\n" not in s
                ),
            ),
            st.booleans(),
            st.text(min_size=1, max_size=60).filter(
                lambda s: s.strip() and "\n" not in s and not s[0].isspace()
            ),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_drafted_commits_keep_the_changelog_valid(
    messages: list[tuple[str, str | None, bool, str]],
) -> None:
    from ares_release.changelog import parse
    from ares_release.changelog.rules import RuleContext, run_rules
    from ares_release.commits import Commit, draft_entries
    from ares_release.config import DEFAULT_SECTIONS
    from ares_release.draft import merge_entries

    from .conftest import GOOD_CHANGELOG

    commits = [
        Commit(
            f"{i:040x}",
            ("f" * 40,),
            f"{kind}{f'({scope})' if scope else ''}{'!' if bang else ''}: {text}",
        )
        for i, (kind, scope, bang, text) in enumerate(messages)
    ]
    drafted = draft_entries(commits)
    text = merge_entries(parse(GOOD_CHANGELOG), drafted.entries, DEFAULT_SECTIONS)
    log = parse(text)
    errors = [
        p for p in run_rules(log, RuleContext("c.md", DEFAULT_SECTIONS)) if p.severity == "error"
    ]
    assert errors == []
    assert log.unreleased is not None
    assert len(log.entries(log.unreleased)) == 1 + len(drafted.entries)
    assert [r.version for r in log.releases] == ["2.0.0", "1.1.0", "1.0.0"]


def test_an_empty_repository_and_a_bad_since(cli: Cli, git_repo: Path) -> None:
    from .conftest import write_project

    write_project(git_repo)
    assert "the repository has no commits yet" in cli("draft", code=1).stderr
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "feat: bot")
    err = cli("draft", "--since", "no-such-ref", code=1).stderr
    assert err.startswith("ares-release: error: git log failed:") and err.count("\n") == 1
