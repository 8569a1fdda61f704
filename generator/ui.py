"""What the CLI prints while and after building: progress and the summary."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from .build import Progress, Report

if TYPE_CHECKING:
    from .packet import Packet


def progress() -> Progress:
    """A bar on a terminal; plain "[ 50%] en/handout" lines elsewhere (CI, logs)."""
    if sys.stderr.isatty():
        state: dict = {}

        def bar(done: int, total: int, label: str) -> None:
            if "bar" not in state:
                state["bar"] = click.progressbar(length=total, label="rendering", file=sys.stderr, show_pos=True)
                state["bar"].__enter__()
            state["bar"].label = label
            state["bar"].update(1)
            if done == total:
                state.pop("bar").__exit__(None, None, None)

        return bar

    def lines(done: int, total: int, label: str) -> None:
        click.echo(f"[{100 * done // total:3d}%] {label}", err=True)

    return lines


def summary(report: Report, dry_run: bool) -> None:
    if dry_run:
        if not report.reasons and not report.removed and not report.refused_langs:
            click.echo("up to date: nothing would be rebuilt")
        for lang in report.refused_langs:
            click.echo(f"would refuse {lang}: its translation is not complete or out of date ('kyr i18n status'); its outputs stay as they are")
        for reason, labels in sorted(report.reasons.items()):
            click.echo(f"{reason} -> {', '.join(labels)}")
        for path in report.removed:
            click.echo(f"would remove {path} (no longer in the pack)")
        _offices(report)
        for lang, units in sorted(report.stale.items()):
            click.echo(f"{lang}: {len(units)} unit(s) stale ({', '.join(units[:5])}{', ...' if len(units) > 5 else ''})")
        for lang, left in sorted(report.in_progress.items()):
            click.echo(f"{lang}: translation in progress, {len(left)} unit(s) left before it is built:")
            for problem in left:
                click.echo(f"  {problem}")
        return
    for built in report.built:
        click.echo(f"wrote {built.path} ({built.pages} page(s), {built.size // 1024} KiB)")
    for path in report.removed:
        click.echo(f"removed {path} (no longer in the pack)")
    if report.site:
        click.echo(f"wrote {report.output / 'site'}/ (the online edition in {', '.join(report.site)}; {report.site_files} file(s) changed)")
    for problem in report.warnings:
        click.echo(str(problem), err=True)
    for lang, left in sorted(report.in_progress.items()):
        click.echo(f"{lang}: translation in progress, {len(left)} unit(s) left, so it is not built yet ('kyr status' lists them)", err=True)
    for lang in report.incomplete:
        click.echo(f"warning: {lang} has text printed in English, marked 'translation pending' (--allow-incomplete)", err=True)
    for path in report.left:
        click.echo(f"kept {path} from an earlier build: its language was refused, so it is not up to date", err=True)
    _offices(report)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if not report.built and not report.removed and not report.site:
        if not report.refused and not report.problems and not report.offices:
            click.echo(f"up to date: {len(report.unchanged)} output(s) unchanged ({report.seconds:.2f} s)")
    else:
        click.echo(f"built {len(report.built)}, unchanged {len(report.unchanged)}, removed {len(report.removed)} in {report.seconds:.1f} s")


def _offices(report: Report) -> None:
    """The office list's mistakes, and what they stop: the notices, and nothing else."""
    if not report.offices:
        return
    for problem in report.offices:
        click.echo(str(problem), err=True)
    kept = f"; {report.notices_kept} notice(s) from an earlier build are kept as they were" if report.notices_kept else ""
    click.echo(f"no notice is built until {report.offices[0].path} is fixed{kept}", err=True)


def awaiting(packets: dict[str, Packet], shown: int = 12) -> None:
    """The units awaiting review, per language."""
    for lang, packet in packets.items():
        contexts = tuple(item.unit.context for item in packet.awaiting)
        pending = f"; {len(packet.untranslated)} unit(s) are not translated yet" if packet.untranslated else ""
        if not contexts:
            click.echo(f"review {lang}: nothing else to review{pending}" if pending else f"review {lang}: every printed unit is signed off")
            continue
        more = f", and {len(contexts) - shown} more" if len(contexts) > shown else ""
        click.echo(f"review {lang}: {len(contexts)} unit(s) await review: {', '.join(contexts[:shown])}{more} ('kyr review --lang {lang}' shows them all){pending}")
