from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ares_release.commits import Commit, draft_entries, entry_text, neutralise, parse_message

PARSE = [
    ("feat: add caps", ("feat", None, False, "add caps")),
    ("fix(risk): clamp size", ("fix", "risk", False, "clamp size")),
    ("FEAT(Risk)!: drop v1 config", ("feat", "Risk", True, "drop v1 config")),
    ("refactor!: drop py2", ("refactor", None, True, "drop py2")),
    ("feat: x\n\nbody\n\nBREAKING CHANGE: config moved", ("feat", None, True, "x")),
    ("feat: x\n\nBREAKING-CHANGE: config moved", ("feat", None, True, "x")),
    ("feat: x\n\nThis mentions BREAKING CHANGE: in prose\nand goes on", ("feat", None, False, "x")),
    ("chore(deps-dev): bump a from 1 to 2", ("chore", "deps-dev", False, "bump a from 1 to 2")),
]


@pytest.mark.parametrize(("message", "expected"), PARSE, ids=[m.split("\n")[0] for m, _ in PARSE])
def test_parse(message: str, expected: tuple[object, ...]) -> None:
    parsed = parse_message(message)
    assert parsed is not None
    assert (parsed.type, parsed.scope, parsed.breaking, parsed.description) == expected


@pytest.mark.parametrize(
    "message",
    [
        "Update README",
        "feat:no space",
        "feat(): x",
        ": x",
        "Merge branch 'main'",
        "",
        "feat:",
        "feat x: y",
    ],
)
def test_not_conventional(message: str) -> None:
    assert parse_message(message) is None


def test_footers_and_their_continuation_lines() -> None:
    parsed = parse_message(
        "fix: x\n\nA body paragraph.\n\n"
        "Reviewed-by: Z\nRefs: #133\nBREAKING CHANGE: the config\n  moved to toml"
    )
    assert parsed is not None
    assert parsed.body == "A body paragraph."
    assert parsed.footers == (
        ("Reviewed-by", "Z"),
        ("Refs", "#133"),
        ("BREAKING CHANGE", "the config\n  moved to toml"),
    )
    assert parsed.breaking_note == "the config\n  moved to toml"


def test_entry_text_has_scope_refs_and_short_sha() -> None:
    parsed = parse_message("feat(risk): per-symbol caps (#12)\n\nCloses #40")
    assert parsed is not None
    assert entry_text(parsed, "abcdef1234567890") == "**risk:** per-symbol caps (#12, #40, abcdef1)"
    breaking = parse_message("feat(api)!: v2 endpoints\n\nBREAKING CHANGE: v1 is gone")
    assert breaking is not None
    assert (
        entry_text(breaking, "0123456789")
        == "**BREAKING** **api:** v2 endpoints (v1 is gone) (0123456)"
    )


def commits(*messages: str, merge: int | None = None) -> list[Commit]:
    """Newest first, as git log gives them; SHAs a..., b..., in age order."""
    made = []
    for i, message in enumerate(messages):
        sha = f"{i:x}" * 40
        parents = ("1" * 40, "2" * 40) if merge == i else ("f" * 40,)
        made.append(Commit(sha[:40], parents, message))
    return made[::-1]


def test_mapping_and_what_is_left_out() -> None:
    drafted = draft_entries(
        commits(
            "feat: a",
            "fix: b",
            "perf: c",
            "deprecate: d",
            "remove: e",
            "security: f",
            "docs: g",
            "chore: h",
            "style: i",
            "test: j",
            "ci: k",
            "build: l",
            "refactor: m",
            "not conventional",
            "feat: merged",
            merge=14,
        )
    )
    assert [(e.section, e.description) for e in drafted.entries] == [
        ("Added", "a"),
        ("Fixed", "b"),
        ("Changed", "c"),
        ("Deprecated", "d"),
        ("Removed", "e"),
        ("Security", "f"),
    ]
    assert drafted.left_out == {
        "docs": 1,
        "chore": 1,
        "style": 1,
        "test": 1,
        "ci": 1,
        "build": 1,
        "refactor": 1,
        "not Conventional Commits": 1,
        "merge commits": 1,
    }


def test_a_revert_in_the_range_cancels_its_commit() -> None:
    first = "0" * 40
    drafted = draft_entries(
        commits(
            "feat: risky thing",
            "fix: keep me",
            f'Revert "feat: risky thing"\n\nThis reverts commit {first[:10]}.',
        )
    )
    assert [e.description for e in drafted.entries] == ["keep me"]
    assert drafted.left_out == {"reverted within the range": 2}
    outside = draft_entries(commits(f"revert: feat: old thing\n\nThis reverts commit {'9' * 40}."))
    assert [(e.section, e.type) for e in outside.entries] == [("Changed", "revert")]


def test_breaking_change_of_a_left_out_type_is_kept_under_changed() -> None:
    drafted = draft_entries(commits("refactor!: rewrite the order router"))
    assert [(e.section, e.text.split(" (")[0]) for e in drafted.entries] == [
        ("Changed", "**BREAKING** rewrite the order router")
    ]


def test_custom_mapping() -> None:
    drafted = draft_entries(commits("docs: a", "feat: b"), {"docs": "Changed"})
    assert [(e.section, e.description) for e in drafted.entries] == [("Changed", "a")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# heading", "\\# heading"),
        ("## [9.9.9] - 2020-01-01", "\\## [9.9.9] - 2020-01-01"),
        ("[x]: http://evil", "\\[x]: http://evil"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<!-- hide the rest", "&lt;!-- hide the rest"),
        ("1. numbered", "1\\. numbered"),
        ("- nested", "\\- nested"),
        ("> quote", "&gt; quote"),
        ("```fence", "\\`\\`\\`fence"),
        ("use `<b>` here", "use `<b>` here"),
        ("line one\n## two\n[y]: z", "line one ## two [y]: z"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def _rendered_structure(markdown: str) -> list[str]:
    import mistune

    tokens = mistune.create_markdown(renderer=None)(markdown)
    kinds: list[str] = []

    def walk(items: list[dict[str, object]]) -> None:
        for token in items:
            kinds.append(str(token["type"]))
            children = token.get("children")
            if isinstance(children, list):
                walk(children)

    walk(tokens)  # type: ignore[arg-type]
    return kinds


@settings(max_examples=300)
@given(st.text(min_size=1, max_size=80))
def test_any_commit_text_stays_one_plain_list_item(text: str) -> None:
    safe = neutralise(text)
    kinds = _rendered_structure(f"- {safe}\n- next\n")
    assert kinds.count("list_item") == 2
    assert not {
        "heading",
        "block_html",
        "inline_html",
        "block_code",
        "block_quote",
        "thematic_break",
    } & set(kinds)
    assert kinds.count("list") == 1
