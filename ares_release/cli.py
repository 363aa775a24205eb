"""The ``ares-release`` command line: thin click commands over the core modules.

Every command parses its options, calls one core function and prints the result.
An :class:`AresReleaseError` becomes one line on stderr and exit code 1; click's usage errors
exit 2; anything else is a bug and exits 3 with its traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import AresReleaseError

EXIT_BUG = 3


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except AresReleaseError as exc:
            click.echo(f"ares-release: error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("ares-release: interrupted", err=True)
            ctx.exit(130)
        except Exception:
            import traceback

            traceback.print_exc()
            click.echo(
                "ares-release: internal error: this is a bug in ares-release; please report it "
                "with the traceback above",
                err=True,
            )
            ctx.exit(EXIT_BUG)


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None
    if len(value) != 10:
        raise click.BadParameter(f"{value!r}: use the YYYY-MM-DD form")
    return parsed


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ares-release")
@click.option(
    "-C",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Run as if started in this directory (like git -C).",
)
def cli(directory: Path | None) -> None:
    """Changelog-driven releases for the Ares trading bot."""
    if directory is not None:
        os.chdir(directory)
    ctx = click.get_current_context()
    if ctx.invoked_subcommand not in ("recover", "bump", "demo"):
        _warn_if_interrupted()


def _warn_if_interrupted() -> None:
    from .config import find_root
    from .journal import NOTICE, interrupted

    root = find_root(Path.cwd())
    if root is not None and interrupted(root):
        click.echo(f"ares-release: warning: {NOTICE}", err=True)


@cli.command()
def version() -> None:
    """Print the version constant's value."""
    from .project import display, load_project
    from .version_file import read_version

    config = load_project().config
    path = config.version_path
    click.echo(read_version(path, config.version_variable, display=display(path)).value)


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of lines.")
def check(path: Path | None, as_json: bool) -> None:
    """Validate the changelog and that the version constant matches its newest release.

    With PATH, validate that changelog file with the changelog rules only.
    """
    from .check import check_changelog, check_project
    from .config import DEFAULT_SECTIONS
    from .project import display, load_project

    if path is None:
        config = load_project().config
        report, shown = check_project(config), display(config.changelog_path)
    else:
        try:
            sections = load_project().config.sections
        except AresReleaseError:
            sections = DEFAULT_SECTIONS
        report, shown = check_changelog(path, sections), display(path)
    if as_json:
        import json

        payload = {"ok": report.ok, "problems": [p.as_dict() for p in report.problems]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            click.echo(problem.format())
        errors, warnings = report.counts()
        if report.problems:
            click.echo(f"{shown}: {errors} error(s), {warnings} warning(s)", err=True)
        else:
            count = len(report.changelog.releases) if report.changelog else 0
            click.echo(f"{shown}: ok ({count} release{'s' * (count != 1)})", err=True)
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.argument("version", required=False)
@click.option("--file", "file", type=click.Path(path_type=Path), help="Read this changelog.")
@click.option("--html", is_flag=True, help="Render the notes as HTML.")
def notes(version: str | None, file: Path | None, html: bool) -> None:
    """Print one release's notes (default: the newest) as Markdown."""
    from .check import read_changelog
    from .errors import ChangelogError
    from .notes import find_release, release_notes, render_html
    from .project import display, load_project

    path = file or load_project().config.changelog_path
    shown = display(path)
    log, problems = read_changelog(path, shown)
    if log is None:
        raise ChangelogError(f"{shown}: {problems[0].message}")
    text = release_notes(log, find_release(log, version, shown))
    click.echo(render_html(text) if html else text, nl=False)


@cli.command()
@click.option("--date", "when", callback=_parse_date, help="First release date (YYYY-MM-DD).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
def init(when: date | None, template: Path | None, dry_run: bool) -> None:
    """Adopt ares-release here: write the changelog if missing, print the pre-commit hook."""
    from .adopt import apply_init, plan_init
    from .project import display, load_project

    plan = plan_init(load_project().config, today=when or _today(), template=template)
    for skipped in plan.skipped:
        click.echo(f"{display(skipped)} already exists; left unchanged")
    for write in plan.writes:
        verb = "would write" if dry_run else "wrote"
        click.echo(f"{verb} {display(write.path)} from the {plan.template}")
    if not dry_run:
        apply_init(plan)
    click.echo("\nAdd this to .pre-commit-config.yaml to check on every commit:\n")
    click.echo(plan.snippet, nl=False)


@cli.command()
@click.argument("part", metavar="PART")
@click.option("--pre", metavar="TOKEN", help="Start or continue a prerelease (rc, beta, ...).")
@click.option("--date", "when", callback=_parse_date, help="Release date (default: today, UTC).")
@click.option("--dry-run", is_flag=True, help="Print the plan and diffs; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan or result as JSON.")
@click.option("--no-commit", is_flag=True, help="Write the files only (no commit, no tag).")
@click.option("--no-tag", is_flag=True, help="Commit but do not tag.")
@click.option("--no-verify", is_flag=True, help="Skip the repository's commit hooks.")
@click.option("--allow-dirty", is_flag=True, help="Release with other uncommitted changes.")
@click.option("--allow-empty", is_flag=True, help="Release with an empty Unreleased section.")
@click.option("--sign", is_flag=True, help="GPG-sign the commit and the tag.")
@click.option("--message", default="chore(release): {version}", show_default=True)
def bump(
    part: str,
    pre: str | None,
    when: date | None,
    dry_run: bool,
    as_json: bool,
    no_commit: bool,
    no_tag: bool,
    no_verify: bool,
    allow_dirty: bool,
    allow_empty: bool,
    sign: bool,
    message: str,
) -> None:
    """Release: move Unreleased under a new version, set the constant, commit and tag.

    PART is major, minor, patch, prerelease, release, auto, or an explicit version.
    All of it happens, or none of it.
    """
    from .bump import bump as run_bump
    from .bump import describe
    from .project import load_project
    from .release import Options

    options = Options(
        part=part,
        pre=pre,
        when=when,
        message=message,
        commit=not no_commit,
        tag=not no_tag,
        verify=not no_verify,
        allow_dirty=allow_dirty,
        allow_empty=allow_empty,
        sign=sign,
    )
    result = run_bump(load_project().config, options, dry_run=dry_run, today=_today())
    if as_json:
        import json

        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(describe(result), nl=False)


@cli.command()
@click.option(
    "--since", metavar="REF", help="Draft from this commit or tag (default: newest release tag)."
)
@click.option(
    "--dry-run", is_flag=True, help="Print the entries that would be added; change nothing."
)
@click.option("--json", "as_json", is_flag=True, help="List the entries as JSON.")
def draft(since: str | None, dry_run: bool, as_json: bool) -> None:
    """Merge entries from Conventional Commits into the Unreleased section."""
    from .draft import draft as run_draft
    from .draft import entries_markdown, summary
    from .project import display, load_project

    config = load_project().config
    plan = run_draft(config, since=since, dry_run=dry_run)
    if as_json:
        import json

        click.echo(json.dumps({**plan.as_dict(), "dry_run": dry_run}, indent=2))
        return
    if dry_run:
        click.echo(entries_markdown(plan, config.sections), nl=False)
    shown = display(config.changelog_path)
    click.echo(summary(plan, dry_run=dry_run, shown=shown, sections=config.sections), err=dry_run)


@cli.command("merge-driver")
@click.argument("base", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path", required=False, default="CHANGELOG")
def merge_driver(base: Path, ours: Path, theirs: Path, path: str) -> None:
    """Git merge driver (%O %A %B %P): merge Unreleased structurally, the rest as git does."""
    from .config import DEFAULT_SECTIONS
    from .mergedriver import run_driver
    from .project import load_project

    try:
        sections = load_project().config.sections
    except AresReleaseError:
        sections = DEFAULT_SECTIONS
    sys.exit(0 if run_driver(base, ours, theirs, path, sections) else 1)


@cli.command("install-merge-driver")
def install_merge_driver() -> None:
    """Use the changelog merge driver in this repository (.gitattributes and git config)."""
    from .mergedriver import install
    from .project import load_project
    from .release import require_repository

    project = load_project()
    require_repository(project.root, "install the merge driver")
    config = project.config
    from .release import repo_relative

    for done in install(project.root, repo_relative(project.root, config.changelog_path)):
        click.echo(done)
    click.echo("Commit .gitattributes; every clone runs 'ares-release install-merge-driver' once.")


@cli.command()
@click.option("--rollback", is_flag=True, help="Undo the release even if its commit landed.")
def recover(rollback: bool) -> None:
    """Finish a bump that was killed part-way: complete it or restore the pre-bump state."""
    from .project import load_project
    from .transaction import recover as run_recover

    click.echo(run_recover(load_project().root, rollback=rollback))


@cli.command()
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build the demo repository here (kept) instead of a temporary folder (removed).",
)
def demo(path: Path | None) -> None:
    """Build a throwaway Ares repository and show ares-release at work on it."""
    from .demo import run_demo

    run_demo(path, echo=click.echo)


def _register_mlflow_commands() -> None:
    from .cli_runs import rollback, runs

    cli.add_command(runs)
    cli.add_command(rollback)


_register_mlflow_commands()


def main(argv: list[str] | None = None) -> None:
    # A short-lived process: the cyclic garbage collector only slows the parse of a large
    # changelog (MLflow commands turn it back on, see runs.connect).
    gc.disable()
    try:
        cli.main(args=argv, prog_name="ares-release")
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)


def _exit_now(code: object) -> None:
    """Exit once the output is flushed, skipping the interpreter's teardown.

    Tearing down tens of thousands of parsed objects costs ``check`` about 10 ms on a large
    changelog, on every commit. When MLflow was loaded, its exit handlers must run: then this
    is a plain ``sys.exit``.
    """
    if not isinstance(code, int):
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    if "mlflow" in sys.modules:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # output closed early (| head): nothing left to say
        pass
    os._exit(code)
