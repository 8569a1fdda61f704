"""The `kyr` command: a thin shell over the library. Imports stay light so --help is fast."""

from __future__ import annotations

import sys
from pathlib import Path

import click

project_option = click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Folder that holds content/, templates/ and locales/.",
)


class _KyrGroup(click.Group):
    """Turns the library's KyrError into one line per problem and exit code 1."""

    def invoke(self, ctx: click.Context):
        from .errors import KyrError

        try:
            return super().invoke(ctx)
        except KyrError as exc:
            if ctx.params.get("debug"):
                raise
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(1)


@click.group(cls=_KyrGroup)
@click.option("--debug", is_flag=True, help="Show the full traceback of errors, for bug reports.")
@click.version_option(package_name="kyr-notices", prog_name="kyr")
def cli(debug: bool) -> None:
    """Build know-your-rights handouts and notices as PDFs from Q&A content."""


@cli.command()
@project_option
@click.option("--lang", "langs", multiple=True, metavar="LANG", help="Language code, e.g. es. Repeat for more. Default: every language of the pack.")
@click.option("--doc", "docs", multiple=True, metavar="DOC", help="Document: handout or booklet. Repeat for more. Default: all.")
def build(project: Path, langs: tuple[str, ...], docs: tuple[str, ...]) -> None:
    """Build the documents into output/<lang>/<doc>.pdf."""
    from . import build as builder

    def progress(n: int, total: int, label: str) -> None:
        click.echo(f"[{100 * n // total:3d}%] {label}", err=True)

    report = builder.build(project, langs=langs or None, docs=docs or None, progress=progress)
    for path in report.built:
        click.echo(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
    click.echo(f"built {len(report.built)} PDF(s) in {report.seconds:.1f} s")


@cli.command()
@project_option
def check(project: Path) -> None:
    """Validate the content pack; exit 1 if anything must be fixed."""
    from . import checks

    report = checks.check(project)
    if report.scores:
        click.echo("Readability (Flesch-Kincaid grade; targets: short <= 6, full <= 8)")
        click.echo(f"{'question':<10}{'short':>7}{'full':>7}{'words':>7}")
        for s in report.scores:
            click.echo(f"{s.id:<10}{s.short.grade:>7}{s.full.grade:>7}{s.full.words:>7}")
    for problem in report.problems:
        click.echo(str(problem))
    warnings = len(report.problems) - report.errors
    click.echo(f"{report.errors} error(s), {warnings} warning(s)")
    sys.exit(1 if report.errors else 0)


def main() -> None:
    cli(prog_name="kyr")
