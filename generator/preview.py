"""What `kyr serve` shows: rebuilds after each edit, `kyr check`'s problems beside the document they
belong to, page thumbnails, and the events that make open pages refresh. No HTTP here (serve.py).

A rebuild is `build.build()`: it redoes only the outputs whose inputs changed, writes each file
atomically and keeps the last good outputs when an edit is broken; the error is kept here to be
shown in the page. `kyr check` runs after each good build in a process of its own, at low priority,
and is stopped when a newer edit makes its answer stale.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import re
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .content import load_pack
from .errors import KyrError, Problem
from .session import Session

WATCHED = ("content", "templates", "locales")
HISTORY = 64  # events kept for pages that connect late


@dataclass(frozen=True)
class Event:
    """Something an open page may need to show: ``changed`` holds paths under output/ written
    ("en/handout.pdf", "site/en/"); ``state`` is building, built, failed or checked."""

    generation: int
    state: str
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Output:
    """One document × edition of the dashboard."""

    path: str  # under output/: "en/handout.pdf"
    doc: str
    edition: str
    office: str  # the office's name for a notice, else ""


@dataclass
class State:
    """The last rebuild and check, as the dashboard shows them."""

    title: str = ""
    outputs: list[Output] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # languages of the online edition
    question_files: dict[str, str] = field(default_factory=dict)  # content/questions/<file> -> question id
    building: bool = False
    error: list[Problem] = field(default_factory=list)  # the last rebuild failed: why (the last good outputs stay)
    built_at: float = 0.0
    summary: str = ""
    problems: list[Problem] = field(default_factory=list)  # the build's own (layout, refused languages)
    checked: list[Problem] | None = None  # kyr check's, once it ran on the current outputs
    checking: bool = False


class Preview:
    """The preview of one project: call ``rebuild()`` after an edit (from one thread at a time)."""

    def __init__(self, root: Path, output: Path | None = None, allow_incomplete: bool = False, jobs: int | None = None, check: bool = True):
        self.root = Path(root).resolve()
        self.output = Path(output).resolve() if output else self.root / "output"
        self.allow_incomplete = allow_incomplete
        self.jobs = jobs
        self.run_check = check
        self.state = State()
        self.generation = 0
        self.events: deque[Event] = deque(maxlen=HISTORY)
        self.listeners: list[Callable[[Event], None]] = []
        self._lock = threading.Lock()  # guards state, generation and events
        self._check: _Check | None = None
        self.session = Session(self.root, jobs)  # workers and templates kept warm from one edit to the next
        self.warmed = threading.Event()

    def emit(self, state: str, changed: Iterable[str] = ()) -> Event:
        with self._lock:
            self.generation += 1
            event = Event(self.generation, state, tuple(changed))
            self.events.append(event)
            listeners = list(self.listeners)
        for listener in listeners:
            listener(event)
        return event

    def since(self, generation: int) -> list[Event]:
        with self._lock:
            return [event for event in self.events if event.generation > generation]

    def rebuild(self, force: bool = False) -> Event:
        """Build what changed; tell the open pages about each output as it is written."""
        from . import build as builder

        if self._check:
            self._check.stop()  # its answer would be about the outputs this build replaces
        if not self.state.outputs:
            with contextlib.suppress(KyrError):
                self._describe(load_pack(self.root))  # the dashboard lists them while the first build runs
        self.state.building = True
        self.emit("building")
        started = time.perf_counter()
        try:
            report = builder.build(self.root, output=self.output, allow_incomplete=self.allow_incomplete, force=force, written=lambda path: self.emit("building", [path]), session=self.session)
        except KyrError as exc:
            return self._failed(exc.problems)
        except Exception as exc:  # a bug: say so in the page and the terminal, and keep serving
            traceback.print_exc()
            return self._failed([Problem("kyr serve", None, f"internal error, please report it with the traceback above: {type(exc).__name__}: {exc}")])
        self._update(report, time.perf_counter() - started)
        event = self.emit("built", [str(b.job.output) for b in report.built] + [f"site/{lang}/" for lang in report.site])
        if self.run_check:
            self._check = _Check(self, event.generation)
            self._check.start()
        return event

    def _describe(self, pack) -> None:
        """What the pack makes: the dashboard's documents, languages and question files."""
        from .plan import plan
        from .site import site_languages

        offices = {office.id: office.name for office in pack.offices}
        state = self.state
        state.title = pack.title.source
        state.outputs = [Output(str(job.output), job.doc, job.edition, offices.get(job.office.id, "") if job.office else "") for job in plan(pack)]
        state.languages = site_languages(pack, pack.languages)
        state.question_files = {question.path: question.id for question in pack.questions}

    def _failed(self, problems: list[Problem]) -> Event:
        self.state.building = False
        self.state.error = list(problems)
        return self.emit("failed")

    def _update(self, report, seconds: float) -> None:
        self._describe(report.pack)  # as the build read it: the files may have changed since
        state = self.state
        state.error = []
        state.problems = [*report.refused, *report.problems, *report.warnings]
        state.checked = None
        state.built_at = time.time()
        state.summary = f"built {len(report.built)}, unchanged {len(report.unchanged)}" + (f", online edition: {', '.join(report.site)}" if report.site else "") + f" in {seconds:.1f} s"
        state.building = False

    def warm(self) -> None:
        """Ready the next rebuild (workers started, templates compiled); a broken pack waits for its fix."""
        from .build import load

        with contextlib.suppress(KyrError, RuntimeError):  # RuntimeError: the server stopped meanwhile
            self.session.warm(load(self.root, self.output))
        self.warmed.set()

    def checked(self, generation: int, problems: list[Problem]) -> None:
        """A check's answer, kept only if no rebuild started since the build it checked."""
        if self.generation != generation or self.state.building:
            return
        self.state.checked = problems
        self.state.checking = False
        self.emit("checked")

    def close(self) -> None:
        if self._check:
            self._check.stop()
        self.session.close()

    def placed(self, manifest=None) -> Placement:
        """Every problem to show, beside the document it belongs to. ``manifest``: the build's, if read already."""
        from .manifest import Manifest

        problems = self.state.checked if self.state.checked is not None else self.state.problems
        return place(problems, self.state.outputs, manifest if manifest is not None else Manifest.load(self.output), self.state.question_files)


@dataclass
class Placement:
    by_output: dict[str, list[Problem]] = field(default_factory=dict)  # output path -> its problems
    by_edition: dict[str, list[Problem]] = field(default_factory=dict)  # "es" -> problems of a whole language
    general: list[Problem] = field(default_factory=list)  # the pack as a whole


_CONTEXT = re.compile(r"\b([a-z][a-z0-9_-]*)\.(?:question|short|title|text|name|body\.\d+)\b")
_LOCALE_FILE = re.compile(r"^locales/([^/]+)/")
_WORD = re.compile(r"\b[a-z][a-z0-9_-]*\b")
SHARED = {"pack", "source"}  # owners of units every output prints (the title) or many cite: not a placement


def place(problems: Iterable[Problem], outputs: list[Output], manifest, question_files: dict[str, str]) -> Placement:
    """Put each problem beside the outputs it concerns: a problem about an output by its path; one
    about a unit (q07.body.2, or any line of q07's file) beside the outputs that print it, by what
    the manifest says each output printed, in the language of its catalog; the rest is the pack's."""
    placement = Placement()
    printed = {path: {context.split(".")[0] for context in record.units} for path, record in manifest.outputs.items()}
    editions = {output.edition for output in outputs}
    known = set().union(*printed.values()) - SHARED if printed else set()
    by_path = {output.path: output for output in outputs}
    for problem in problems:
        if problem.path in by_path:
            placement.by_output.setdefault(problem.path, []).append(problem)
            continue
        if problem.path in editions:
            placement.by_edition.setdefault(problem.path, []).append(problem)
            continue
        # A unit's context (q07.body.2) or its owner's id said alone ("right r03 has no sources").
        owners = set(_CONTEXT.findall(problem.message)) | (set(_WORD.findall(problem.message)) & known)
        if problem.path in question_files:
            owners.add(question_files[problem.path])
        lang = match.group(1) if (match := _LOCALE_FILE.match(problem.path)) else None
        targets = [
            output.path
            for output in outputs
            if owners & printed.get(output.path, set()) and (lang is None or lang in output.edition.split("-"))
        ]
        if not targets and lang:
            placement.by_edition.setdefault(lang, []).append(problem)
        elif not targets:
            placement.general.append(problem)
        for path in targets:
            placement.by_output.setdefault(path, []).append(problem)
    return placement


class _Check:
    """`kyr check` in a process of its own at low priority; stopped when a newer build starts."""

    def __init__(self, preview: Preview, generation: int):
        self.preview = preview
        self.generation = generation
        context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_check_child, args=(str(preview.root), send), daemon=True)
        self._send = send
        self.thread = threading.Thread(target=self._wait, daemon=True)
        self._stopped = threading.Event()

    def start(self) -> None:
        self.preview.state.checking = True
        self.process.start()
        self._send.close()
        self.thread.start()

    def _wait(self) -> None:
        try:
            while not self._stopped.is_set():
                if self.receive.poll(0.2):
                    problems = [Problem(*fields) for fields in self.receive.recv()]
                    self.preview.checked(self.generation, problems)
                    break
                if not self.process.is_alive():
                    break
        except (EOFError, OSError):
            pass
        finally:
            self.process.join(timeout=5)

    def stop(self) -> None:
        self._stopped.set()
        if self.process.is_alive():
            self.process.terminate()  # SIGTERM: the child unwinds, so its temporary folder is removed
        self.preview.state.checking = False


def _check_child(root: str, send) -> None:
    import os
    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # the editor's next rebuild comes first
    from .checks import check

    try:
        report = check(Path(root), jobs=1)
        send.send([(p.path, p.line, p.message, p.severity) for p in report.problems])
    except KyrError as exc:
        send.send([(p.path, p.line, p.message, p.severity) for p in exc.problems])
    finally:
        send.close()
