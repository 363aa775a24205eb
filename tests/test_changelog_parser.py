from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ares_release.changelog import parse
from ares_release.changelog.rules import RuleContext, run_rules
from ares_release.config import DEFAULT_SECTIONS

from .conftest import GOOD_CHANGELOG


def test_structure_of_a_keep_a_changelog_file() -> None:
    log = parse(GOOD_CHANGELOG)
    assert log.title is not None and log.title.text == "Ares Bot Changelog"
    assert log.unreleased is not None and log.unreleased.line == 5
    assert [(r.version, r.date, r.line) for r in log.releases] == [
        ("2.0.0", "2025-06-02", 11),
        ("1.1.0", "2025-03-14", 21),
        ("1.0.0", "2025-01-20", 27),
    ]
    newest = log.releases[0]
    assert [s.name for s in newest.sections] == ["Added", "Removed"]
    entries = log.entries(newest)
    assert [(e.line, e.text) for e in entries] == [
        (15, "MLflow version tracking for every training run."),
        (19, "The legacy single-model trainer."),
    ]
    assert [d.label for d in log.links] == ["Unreleased", "2.0.0", "1.1.0", "1.0.0"]
    # The last release ends before the link definitions.
    assert log.releases[-1].end_line == 31
    assert log.body(newest) == (
        "### Added\n\n- MLflow version tracking for every training run.\n\n"
        "### Removed\n\n- The legacy single-model trainer.\n"
    )


def test_crlf_and_bom_give_the_same_structure_and_render_back() -> None:
    text = "\ufeff" + GOOD_CHANGELOG.replace("\n", "\r\n")
    log = parse(text)
    assert log.render() == text
    assert [(r.version, r.date) for r in log.releases] == [
        (r.version, r.date) for r in parse(GOOD_CHANGELOG).releases
    ]
    assert log.title is not None and log.title.text == "Ares Bot Changelog"
    assert log.entries(log.releases[0])[0].text == "MLflow version tracking for every training run."


def test_yanked_prerelease_and_build_versions() -> None:
    log = parse(
        "## [2.0.0-rc.1+build.5] - 2025-01-02 [YANKED]\n\n### Fixed\n\n- x\n\n"
        "## [1.0.0] - 2025-01-01\n\n### Added\n\n- y\n"
    )
    first = log.releases[0]
    assert (first.version, first.date, first.yanked) == ("2.0.0-rc.1+build.5", "2025-01-02", True)
    assert not log.releases[1].yanked


def test_reference_forms_in_headings() -> None:
    log = parse(
        "## [Unreleased][]\n\n## [1.0.1][] - 2016-10-23\n\n"
        "## [1.0.0](https://x/1.0.0) - 2016-10-01\n"
    )
    assert log.unreleased is not None
    assert [(r.version, r.parts.link, r.date) for r in log.releases] == [
        ("1.0.1", "[]", "2016-10-23"),
        ("1.0.0", "(https://x/1.0.0)", "2016-10-01"),
    ]


def test_link_labels_match_case_insensitively() -> None:
    log = parse("## [Unreleased]\n\n[unreleased]: https://x/compare/v1...HEAD\n")
    definition = log.link("UNRELEASED")
    assert definition is not None and definition.url == "https://x/compare/v1...HEAD"


@pytest.mark.parametrize(
    "text",
    [
        "# T\n\n```markdown\n## [9.9.9] - 2020-01-01\n```\n\n## [1.0.0] - 2020-01-01\n",
        "# T\n\n~~~~\n## [9.9.9] - 2020-01-01\n~~~~\n\n## [1.0.0] - 2020-01-01\n",
        "# T\n\n<!--\n## [9.9.9] - 2020-01-01\n-->\n\n## [1.0.0] - 2020-01-01\n",
        "# T\n\n<details>\n## [9.9.9] - 2020-01-01\n</details>\n\n## [1.0.0] - 2020-01-01\n",
        "# T\n\n    ## [9.9.9] - 2020-01-01\n\n## [1.0.0] - 2020-01-01\n",
        "# T\n\n- item\n\n  ```\n  ## [9.9.9] - 2020-01-01\n  ```\n\n## [1.0.0] - 2020-01-01\n",
    ],
    ids=[
        "backtick-fence",
        "tilde-fence",
        "html-comment",
        "html-block",
        "indented-code",
        "fence-in-list",
    ],
)
def test_headings_inside_code_and_html_are_not_headings(text: str) -> None:
    assert [r.version for r in parse(text).releases] == ["1.0.0"]


def test_setext_headings() -> None:
    log = parse("Changelog\n=========\n\n[1.0.0] - 2020-01-01\n--------------------\n\n- a\n---\n")
    assert log.title is not None and log.title.text == "Changelog"
    assert [(r.version, r.heading.level) for r in log.releases] == [("1.0.0", 2)]
    assert len(log.headings) == 2  # the '---' under a list item is a thematic break


def test_entries_with_continuations_and_nested_lists() -> None:
    text = (
        "## [1.0.0] - 2020-01-01\n\n### Added\n\n"
        "- first line\n  wrapped line\n- second\n  - nested one\n  - nested two\n"
        "* star bullet\n\n  a second paragraph of the star bullet\n"
        "1. numbered\n\nA closing paragraph.\n"
    )
    log = parse(text)
    entries = log.section_entries(log.releases[0].sections[0])
    assert [(e.line, e.end_line, e.text) for e in entries] == [
        (5, 6, "first line\nwrapped line"),
        (7, 9, "second\n- nested one\n- nested two"),
        (10, 12, "star bullet\n\na second paragraph of the star bullet"),
        (13, 13, "numbered"),
    ]


def test_loose_entries_directly_under_a_release() -> None:
    log = parse("## [1.0.0] - 2020-01-01\n\n- one\n- two\n")
    assert [e.text for e in log.entries(log.releases[0])] == ["one", "two"]


def test_misleveled_section_stays_inside_its_release() -> None:
    log = parse(
        "## [1.0.0] - 2020-01-01\n\n### Added\n\n- a\n\n# Changed\n\n- b\n\n"
        "## [0.9.0] - 2019-01-01\n"
    )
    assert [r.version for r in log.releases] == ["1.0.0", "0.9.0"]
    assert [(s.name, s.heading.level) for s in log.releases[0].sections] == [
        ("Added", 3),
        ("Changed", 1),
    ]


markdownish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "## [Unreleased]",
                "## [1.0.0] - 2020-01-01",
                "## [2.0.0-rc.1] - 2020-13-01 [YANKED]",
                "### Added",
                "### Fixed",
                "# Changed",
                "- entry",
                "  - nested",
                "```",
                "~~~",
                "<!--",
                "-->",
                "<div>",
                "[1.0.0]: https://x/compare/v0.9.0...v1.0.0",
                "[unreleased]: u",
                "---",
                "===",
                "",
                "    code",
                "Title",
                "## [v1.0] – 2020/1/2",
                "## Unreleased - soon",
                "\ufeff# T",
                "##",
                "## [1.0.0] - 2020-01-01 trailing",
                "1. item",
                "> quote",
                "#### deep",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=40,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish, st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_changelog_like_text_never_breaks_the_parser_or_rules(
    lines: list[str], eol: str, final_eol: bool
) -> None:
    text = eol.join(lines) + (eol if final_eol else "")
    log = parse(text)
    assert log.render() == text
    assert "".join(log.lines) == text
    run_rules(log, RuleContext("f.md", DEFAULT_SECTIONS))
    for block in log.blocks:
        log.entries(block)
        log.body(block)


@settings(max_examples=300)
@given(st.text())
def test_any_text_parses_and_renders_back(text: str) -> None:
    log = parse(text)
    assert log.render() == text
    run_rules(log, RuleContext("f.md", DEFAULT_SECTIONS))


def _mistune_structure(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    import mistune
    from mistune.core import BlockState

    md = mistune.create_markdown(renderer=None)
    state = BlockState()
    state.process(text.replace("\r\n", "\n"))  # as mistune's own parse() normalises it
    md.block.parse(state)
    headings = [
        (t["attrs"]["level"], t["text"].strip()) for t in state.tokens if t["type"] == "heading"
    ]
    return headings, sorted(k.casefold() for k in state.env.get("ref_links", {}))


def _ours(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    log = parse(text)
    return [(h.level, h.text.strip()) for h in log.headings], sorted({d.key for d in log.links})


def test_fast_scanner_agrees_with_mistune_on_our_fixtures() -> None:
    for text in (GOOD_CHANGELOG, GOOD_CHANGELOG.replace("\n", "\r\n")):
        assert _ours(text) == _mistune_structure(text)


def test_fast_scanner_agrees_with_mistune_on_real_changelogs(corpus: Path) -> None:
    files = sorted((corpus / "changelogs").glob("*.md"))
    assert len(files) == 18
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _ours(text) == _mistune_structure(text), path.name
