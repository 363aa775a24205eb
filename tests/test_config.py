from __future__ import annotations

import os
from pathlib import Path

import pytest

from ares_release.config import DEFAULT_SECTIONS, Config, find_root, load_config
from ares_release.errors import ConfigError


def write_pyproject(root: Path, table: str) -> None:
    (root / "pyproject.toml").write_text(
        f"[project]\nname = 'bot'\n\n[tool.ares-release]\n{table}\n"
    )


def test_defaults_come_from_the_seed(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config(root=tmp_path)
    assert config.version_file == "src/config.py"
    assert config.version_variable == "ARES_VERSION"
    assert config.changelog == "docs/BOT_CHANGELOG.md"
    assert config.tag_format == "v{version}"
    assert config.sections == DEFAULT_SECTIONS
    assert config.mlflow_experiment == "Ares_Trading_Models"
    assert config.tag_for("2.0.0") == "v2.0.0"


def test_every_key_can_be_set(tmp_path: Path) -> None:
    write_pyproject(
        tmp_path,
        'version_file = "bot/version.py"\nversion_variable = "VERSION"\n'
        'changelog = "CHANGES.md"\ntag_format = "bot-{version}"\n'
        'sections = ["Added", "Fixed"]\nmlflow_experiment = "Exp"\n',
    )
    config = load_config(tmp_path)
    assert config.version_path == tmp_path.resolve() / "bot" / "version.py"
    assert config.changelog_path == tmp_path.resolve() / "CHANGES.md"
    assert config.tag_for("1.2.3") == "bot-1.2.3"
    assert config.sections == ("Added", "Fixed")
    assert (config.version_variable, config.mlflow_experiment) == ("VERSION", "Exp")


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    write_pyproject(tmp_path, 'version_fle = "src/config.py"')
    with pytest.raises(
        ConfigError,
        match=r"pyproject.toml:5: unknown key 'version_fle'.*did you mean 'version_file'\?",
    ):
        load_config(tmp_path)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("sections = []", "non-empty list"),
        ('sections = ["Added", "Added"]', "lists a name twice"),
        ("changelog = 3", "must be a non-empty string"),
        ('version_variable = "ARES-VERSION"', "not a Python identifier"),
        ('tag_format = "v"', "must contain {version}"),
    ],
    ids=["empty-sections", "duplicate-section", "non-string", "bad-identifier", "tag-format"],
)
def test_invalid_values(tmp_path: Path, table: str, message: str) -> None:
    write_pyproject(tmp_path, table)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ares-release]\nchangelog = \n")
    with pytest.raises(ConfigError, match=r"invalid TOML.*line 2"):
        load_config(tmp_path)


@pytest.mark.parametrize(
    "value",
    ["../outside.md", "docs/../../outside.md", "/etc/passwd"],
    ids=["dotdot", "nested-dotdot", "absolute-elsewhere"],
)
def test_paths_must_stay_inside_the_repository(tmp_path: Path, value: str) -> None:
    write_pyproject(tmp_path, f'changelog = "{value}"')
    with pytest.raises(ConfigError, match="outside the repository"):
        load_config(tmp_path)


def test_absolute_path_inside_is_accepted(tmp_path: Path) -> None:
    write_pyproject(tmp_path, f'changelog = "{tmp_path / "CHANGELOG.md"}"')
    assert load_config(tmp_path).changelog_path == tmp_path.resolve() / "CHANGELOG.md"


def test_symlink_leading_out_is_refused(tmp_path: Path) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    repo.mkdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, repo / "docs")
    write_pyproject(repo, 'changelog = "docs/CHANGELOG.md"')
    with pytest.raises(ConfigError, match="outside the repository"):
        load_config(repo)


def test_find_root_walks_up_to_git(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()
    assert find_root(Path("/")) is None or (Path("/") / ".git").exists()
