"""`monitor instruments ...`: validate, import, publish and compare questionnaire definitions."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from surveys.db import db
from surveys.definition.changes import compare
from surveys.definition.errors import DefinitionError, Problem
from surveys.definition.loader import load_definition_file
from surveys.definition.publish import get_version, publish_definition
from surveys.definition.structure import answer_items, sections
from surveys.definition.xlsform import XLSFormError, convert_xlsform, dump_yaml

instruments = AppGroup(
    "instruments", help="Check, import, publish and compare questionnaire definitions."
)


def _files(paths: tuple[Path, ...]) -> list[Path]:
    """The files named, with each directory replaced by its *.yaml / *.yml files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            files.append(path)
    return files


def _echo_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem))


_PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


@instruments.command("validate", with_appcontext=False)
@_PATHS
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check definition files (or directories of them); print every problem, exit 1 on any."""
    failed = False
    files = _files(paths)
    if not files:
        raise click.ClickException("no instrument files found")
    for path in files:
        try:
            definition = load_definition_file(path)
        except DefinitionError as error:
            failed = True
            _echo_problems(error.problems)
            continue
        click.echo(
            f"ok {path.name} ({definition['key']}: {len(sections(definition))} sections, "
            f"{len(answer_items(definition))} items)"
        )
    if failed:
        raise SystemExit(1)


@instruments.command("import-xlsform", with_appcontext=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="the YAML file to write",
)
@click.option("--force", is_flag=True, help="overwrite --out if it exists")
def import_xlsform_command(file: Path, out: Path, force: bool) -> None:
    """Convert an XLSForm (.xlsx, as for ODK or KoboToolbox) into an instrument definition."""
    if out.exists() and not force:
        raise click.ClickException(f"{out} exists; use --force to overwrite it")
    try:
        result = convert_xlsform(file)
    except XLSFormError as error:
        _echo_problems(error.problems)
        click.echo(
            f"{file.name}: not converted: {len(error.problems)} problem(s); nothing written",
            err=True,
        )
        raise SystemExit(1) from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    out.write_text(dump_yaml(result.definition), encoding="utf-8")
    definition = result.definition
    click.echo(
        f"wrote {out} ({definition['key']}: {len(sections(definition))} sections, "
        f"{len(answer_items(definition))} items)"
    )


@instruments.command("publish")
@_PATHS
def publish_command(paths: tuple[Path, ...]) -> None:
    """Publish definition files as new versions (unchanged files keep their version).

    Every file is validated first; if any has a problem, nothing is published.
    """
    loaded = []
    problems: list[Problem] = []
    files = _files(paths)
    if not files:
        raise click.ClickException("no instrument files found")
    for path in files:
        try:
            loaded.append((path, load_definition_file(path)))
        except DefinitionError as error:
            problems.extend(error.problems)
    seen: dict[str, Path] = {}
    for path, definition in loaded:
        if definition["key"] in seen:
            problems.append(
                Problem(
                    path.name,
                    "key",
                    f"instrument '{definition['key']}' is also in {seen[definition['key']].name}",
                )
            )
        seen.setdefault(definition["key"], path)
    if problems:
        _echo_problems(problems)
        click.echo("nothing published", err=True)
        raise SystemExit(1)
    results = [publish_definition(definition, commit=False) for _, definition in loaded]
    db.session.commit()
    for result in results:
        click.echo(str(result))


@instruments.command("diff")
@click.argument("key")
@click.option("--from", "old", type=int, help="version number (default: the one before --to)")
@click.option("--to", "new", type=int, help="version number (default: the latest)")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def diff_command(key: str, old: int | None, new: int | None, fmt: str) -> None:
    """What changed between two published versions, and which items stay comparable."""
    try:
        after = get_version(key, new)
        if old is None:
            if after.number == 1:
                raise LookupError(f"instrument '{key}' has only version 1; nothing to compare")
            old = after.number - 1
        before = get_version(key, old)
    except LookupError as error:
        raise click.ClickException(str(error.args[0])) from None
    report = compare(
        before.definition,
        after.definition,
        old_version=before.number,
        new_version=after.number,
    )
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.to_text())
