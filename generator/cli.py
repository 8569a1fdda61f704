"""The `kyr` command: a thin shell over the library. Imports stay light so --help is fast."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .documents import NAMES, PAGE_SIZES

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
@click.option("--lang", "langs", multiple=True, metavar="LANG", help="Edition: a language (es), a bilingual pair (en-es) or 'pseudo'. Repeat for more. Default: every edition of the pack.")
@click.option("--doc", "docs", multiple=True, metavar="DOC", help=f"Document: {', '.join(NAMES)}. Repeat for more. Default: all.")
@click.option("--office", "offices", multiple=True, metavar="ID", help="Build notices only for this office id from content/offices.csv (or .xlsx). Repeat for more.")
@click.option("--page-size", type=click.Choice(PAGE_SIZES), help="Paper size. Default: the pack's page_size (letter). A poster is tabloid on letter, A3 on a4.")
@click.option("--allow-incomplete", is_flag=True, help="Print untranslated or out-of-date units in English, marked 'translation pending', instead of refusing the language.")
@click.option("--force", is_flag=True, help="Rebuild every output, even those whose inputs did not change.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes for rendering. Default: the number of CPUs.")
@click.option("--dry-run", is_flag=True, help="Say what would be rebuilt and why; write nothing.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), help="Folder to write into. Default: output/ in the project.")
def build(project: Path, langs, docs, offices, page_size, allow_incomplete: bool, force: bool, jobs: int | None, dry_run: bool, output: Path | None) -> None:
    """Build the documents into output/<lang>/<doc>.pdf (only what changed); exit 1 if any is refused or does not fit."""
    from . import build as builder
    from . import ui
    from .errors import KyrError

    report = builder.build(
        project,
        langs=langs or None,
        docs=docs or None,
        offices=offices or None,
        page_size=page_size,
        progress=ui.progress(),
        allow_incomplete=allow_incomplete,
        force=force,
        jobs=jobs,
        dry_run=dry_run,
        output=output,
    )
    ui.summary(report, dry_run)
    if report.refused:
        raise KyrError(report.refused)
    if report.problems or report.offices:
        raise SystemExit(1)


@cli.command()
@project_option
def status(project: Path) -> None:
    """Say what `kyr build` would rebuild and why, and which units await review per language."""
    from . import build as builder
    from . import packet, ui

    ui.summary(builder.build(project, dry_run=True), dry_run=True)
    ui.awaiting(packet.awaiting(project))


@cli.group(invoke_without_command=True)
@project_option
@click.option("--lang", metavar="LANG", help="Language to review. Default: the pack's source language (for the lawyer).")
@click.pass_context
def review(ctx: click.Context, project: Path, lang: str | None) -> None:
    """Write output/review/<lang>.pdf: every printed unit changed since its last sign-off."""
    if ctx.invoked_subcommand is not None:
        return
    from . import packet

    path, made, pages = packet.write(project, lang)
    click.echo(f"wrote {path} ({pages} page(s)): {len(made.awaiting)} unit(s) awaiting review, {len(made.signed)} signed off and unchanged")
    if made.untranslated:
        click.echo(f"{len(made.untranslated)} unit(s) are not translated yet and cannot be reviewed")
    if made.awaiting:
        click.echo(f"next: read it, then 'kyr review approve --lang {made.lang} --by \"NAME, ROLE\"'")


@review.command()
@project_option
@click.option("--lang", metavar="LANG", help="Language the sign-off is for. Default: the pack's source language.")
@click.option("--by", required=True, metavar="'NAME, ROLE'", help="Who approves, e.g. 'Ana Ruiz, attorney'.")
def approve(project: Path, lang: str | None, by: str) -> None:
    """Record a sign-off of exactly the units the last review packet showed."""
    from . import packet

    path, count = packet.approve(project, by, lang)
    click.echo(f"recorded {count} sign-off(s) by {by} in {path}; commit it with the content")


@cli.command()
@project_option
def check(project: Path) -> None:
    """Validate the content pack; exit 1 if anything must be fixed."""
    from . import checks

    report = checks.check(project)
    if report.scores:
        click.echo("Readability, English (Flesch-Kincaid grade; targets: short <= 6, full <= 8)")
        click.echo(f"{'question':<10}{'short':>7}{'full':>7}{'words':>7}")
        for s in report.scores:
            click.echo(f"{s.id:<10}{s.short.grade:>7}{s.full.grade:>7}{s.full.words:>7}")
    for lang, scores in report.spanish.items():
        click.echo(f"Readability, {lang} (Fernández Huerta >= 70, Szigriszt-Pazos/INFLESZ >= 65)")
        click.echo(f"{'question':<10}{'FH':>7}{'SP':>7}{'words':>7}")
        for qid, s in scores.items():
            click.echo(f"{qid:<10}{s.fernandez_huerta:>7}{s.szigriszt_pazos:>7}{s.words:>7}")
    if report.unscored:
        click.echo(f"Readability, {', '.join(report.unscored)}: not scored (no formula validated for this language)")
    if report.outputs:
        width = max(40, *(len(str(built.job.output)) + 2 for built in report.outputs))
        click.echo(f"{'document':<{width}}{'pages':>6}{'KiB':>6}")
        for built in report.outputs:
            # A page check only laid out (a pseudo-locale's) has no PDF, so no size.
            click.echo(f"{str(built.job.output):<{width}}{built.pages:>6}{built.size // 1024 if built.printed else '-':>6}")
    for problem in report.problems:
        click.echo(str(problem))
    warnings = len(report.problems) - report.errors
    click.echo(f"{report.errors} error(s), {warnings} warning(s)")
    sys.exit(1 if report.errors else 0)


@cli.command(name="fonts")
@project_option
@click.option("--packages", "list_packages", is_flag=True, help="Print only the Debian packages that hold the missing fonts, for the set-up.")
def fonts_(project: Path, list_packages: bool) -> None:
    """Each language's fonts, the files fontconfig gives them, and what to install."""
    from . import fonts
    from .content import load_pack

    surveyed = fonts.survey(load_pack(project))
    if list_packages:
        click.echo(" ".join(fonts.packages(surveyed)))
        return
    for item in surveyed:
        click.echo(f"{item.lang:<10}{', '.join(item.families) or 'the stylesheet font (no templates/ in this folder)'}")
        for path in item.files:
            click.echo(f"{'':<10}  {path}")
        for family in item.missing:
            click.echo(f"{'':<10}  {family!r} is not installed: {fonts.install_hint(family)}")
    unknown = sorted({family for item in surveyed for family in item.missing if not fonts.package(family)})
    if any(item.missing for item in surveyed):
        wanted = fonts.packages(surveyed)
        click.echo(f"install: sudo apt-get install {' '.join(wanted)}" if wanted else f"install {', '.join(unknown)} by hand")
        sys.exit(1)


@cli.command()
@project_option
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8000, show_default=True, help="Port on 127.0.0.1 (the preview never listens on other addresses).")
@click.option("--allow-incomplete", is_flag=True, help="Preview untranslated or out-of-date units in English, marked [EN], instead of keeping the language's last good build.")
def serve(project: Path, port: int, allow_incomplete: bool) -> None:
    """Preview every document and the online edition on http://127.0.0.1:PORT/, rebuilt as you edit."""
    from . import serve as server

    server.run(project, port, allow_incomplete, say=click.echo)


@cli.group()
def i18n() -> None:
    """Translation catalogs: extract, init, update, status, compile, and spreadsheets (export, import)."""


@i18n.command()
@project_option
def extract(project: Path) -> None:
    """Write locales/content.pot and locales/templates.pot from the content and templates."""
    from .extract import write_templates

    changed = write_templates(project)
    click.echo("\n".join(f"wrote {path}" for path in changed) or "templates are up to date")


@i18n.command()
@project_option
@click.argument("lang")
def init(project: Path, lang: str) -> None:
    """Start catalogs for a new language LANG (e.g. fr) and add it to the pack's languages."""
    from . import catalogs, languages
    from .content import pack_language

    for path in catalogs.init(project, lang):
        click.echo(f"wrote {path}")
    if catalogs.add_language(project, lang):
        click.echo(f"added {lang} to languages in content/pack.yaml")
    language = pack_language(project, lang)
    name = languages.english_name(lang)
    called = f"{lang} ({name})" if name else f"{lang} (a code CLDR does not name: check it is the ISO 639 code you mean)"
    if language.formats_itself:
        click.echo(f"{called}: dates and numbers are formatted with CLDR's {lang} data")
    else:
        why = "as content/pack.yaml sets" if languages.cldr_knows(lang) else f"Babel has no data for {lang}"
        click.echo(f"{called}: dates and numbers will be formatted as {language.format_locale} ({why}); choose another locale with locales.{lang}.format_locale in content/pack.yaml")
    click.echo(f"next: translate the .po files (Poedit or Weblate), then 'kyr i18n status' and 'kyr build --lang {lang}'")


@i18n.command()
@project_option
def update(project: Path) -> None:
    """Re-extract, then merge into every language; changed English becomes fuzzy."""
    from . import catalogs

    for lang, domains in catalogs.update(project).items():
        for domain, s in domains.items():
            click.echo(f"{lang}/{domain}.po: {s.kept} kept, {s.fuzzy} now fuzzy (English changed), {s.new} new, {s.obsolete} obsolete")


@i18n.command(name="status")
@project_option
def i18n_status(project: Path) -> None:
    """Translated, fuzzy and untranslated units per language and catalog."""
    from . import catalogs

    rows = catalogs.status(project)
    click.echo(f"{'language':<10}{'catalog':<12}{'translated':>11}{'fuzzy':>7}{'untranslated':>14}")
    for row in rows:
        click.echo(f"{row.lang:<10}{row.domain:<12}{row.translated:>11}{row.fuzzy:>7}{row.untranslated:>14}")
    if not rows:
        click.echo("no catalogs yet: run 'kyr i18n init LANG'")


@i18n.command(name="compile")
@project_option
def compile_(project: Path) -> None:
    """Compile every .po to .mo (fuzzy entries left out), for tools that read .mo files."""
    from . import catalogs

    for path in catalogs.compile_all(project):
        click.echo(f"wrote {path}")


@i18n.command(name="export")
@project_option
@click.option("--lang", required=True, metavar="LANG", help="Language to export, e.g. es.")
@click.option("--format", "fmt", metavar="xlsx|csv", help="File format. Default: from the file name's suffix, else xlsx.")
@click.option("--only", metavar="STATES", help="Only units in these states, comma-separated: translated, fuzzy, untranslated. Default: every unit.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Spreadsheet to write, e.g. es.xlsx.")
def export(project: Path, lang: str, fmt: str | None, only: str | None, output: Path) -> None:
    """Write a language's catalogs as a spreadsheet for a translator: one row per unit."""
    from . import spreadsheet

    done = spreadsheet.export(project, lang, output, fmt, only)
    counts = ", ".join(f"{domain} {count}" for domain, count in done.counts.items())
    click.echo(f"wrote {done.path}: {sum(done.counts.values())} unit(s) ({counts})")
    click.echo(f"next: translate the column 'translation ({lang})', then 'kyr i18n import {done.path}'")


@i18n.command(name="import")
@project_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_(project: Path, file: Path) -> None:
    """Merge a translator's spreadsheet into the catalogs; nothing is written unless every row passes."""
    from . import spreadsheet

    done = spreadsheet.import_sheet(project, file)
    for warning in done.warnings:
        click.echo(str(warning))
    click.echo(f"{file}: {done.changed} translation(s) added or edited ({done.refreshed} of them were fuzzy), {done.cleared} removed")
    click.echo("\n".join(f"wrote {path}" for path in done.written) or f"nothing changed: the {done.lang} catalogs are as they were")


def main() -> None:
    import atexit
    import gc
    import signal

    # A polite kill (SIGTERM) unwinds like Ctrl-C, so temporary files are cleaned up.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    # Registered first, so it runs last: everything the command made dies with the process, and the
    # collector's walk through it at exit took 0.1-0.2 s of a check (our files are closed by then).
    atexit.register(gc.freeze)
    cli(prog_name="kyr")
