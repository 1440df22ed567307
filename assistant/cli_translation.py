"""`flask i18n export-reviews` and `flask i18n merge-reviews`: the translator's workspace hands its
work to the catalogues through files that developers merge and check, never by rewriting a catalogue
on a running server."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import i18n_cli
from .translation.catalogue import catalogue_codes
from .translation.export import export, languages_with_work


@i18n_cli.command("export-reviews")
@click.option("--language", help="One language (a catalogue code); every language with work when left out.")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="With --language, the .po file (standard output when left out); without, a folder for <code>.po files.",
)
@click.option("--proposals", is_flag=True, help="Add proposals not yet reviewed, marked fuzzy.")
def export_reviews(language: str | None, output: Path | None, proposals: bool) -> None:
    """Export reviewed (and, with --proposals, proposed) translations as .po updates."""
    if language is not None and language not in catalogue_codes():
        raise click.ClickException(f"no catalogue for {language!r}")
    if language is not None:
        text, count = export(language, proposals)
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
        click.echo(f"{language}: {count} string(s) exported.", err=True)
        return
    folder = output or Path("reviews")
    folder.mkdir(parents=True, exist_ok=True)
    for code in languages_with_work():
        text, count = export(code, proposals)
        (folder / f"{code}.po").write_text(text, encoding="utf-8")
        click.echo(f"{code}: {count} string(s) exported to {folder / f'{code}.po'}.", err=True)


@i18n_cli.command("merge-reviews")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--catalogues",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder of catalogues (translations/ when left out).",
)
def merge_reviews(files: tuple[Path, ...], catalogues: Path | None) -> None:
    """Merge exported .po updates into the catalogues in translations/ (then run make i18n-check)."""
    from . import i18n_tools
    from .translation.merge import merge

    for file in files:
        try:
            merged = merge(file, catalogues or i18n_tools.CATALOGUES)
        except FileNotFoundError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"{merged.language}: {merged.changed} string(s) merged from {file}.")
        for missing in merged.missing:
            click.echo(f"  no longer in the catalogue, skipped: {missing}", err=True)
