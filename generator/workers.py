"""Write PDFs in worker processes that keep fonts and stylesheets warm between documents."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pdf import Pdf
    from .render import RenderedDocument

_worker: dict = {}  # in a worker process: its project root, its PdfWriter, and the assets hash it was made for


@dataclass(frozen=True)
class Task:
    key: int
    document: RenderedDocument
    budget: int | None  # pages it may use; past it, the writer looks for the cause
    fit: tuple[str, ...] = ()  # classes of fixed-size boxes text must stay inside
    facts: tuple[tuple[str, str], ...] = ()  # (what, text) the laid-out page must show
    page_label: str | None = None  # its page numbers, with %(page)s and %(pages)s, if it numbers its pages
    pdf: bool = True  # false: lay out and check only, make no PDF (check's proofs, which nobody prints)

    def run(self, writer) -> Pdf:
        return writer.write(self.document, self.budget, self.fit, self.facts, page_label=self.page_label, pdf=self.pdf)


def _start(root: Path, assets: str, epoch: int, warmup: Task | None = None) -> None:
    """A worker's initializer, for a build's batch or a long-running pool: its PdfWriter, and
    ``warmup`` (a real page of the project) written once, so that its fonts are loaded and its
    stylesheets parsed before the first edit asks for a PDF."""
    from .pdf import PdfWriter

    _worker.update(root=root, writer=PdfWriter(root), assets=assets)
    _settings(epoch)
    if warmup is not None:
        with contextlib.suppress(Exception):  # only a head start: the build reports what is wrong with the page
            warmup.run(_worker["writer"])
    _settle()


def _settle() -> None:
    """What the worker holds now (modules, fonts, its writer) lives as long as it does, or until
    the writer is replaced: out of the collector's sight, which would otherwise walk all of it
    again every few PDFs. Garbage is collected first, so none is kept for good."""
    import gc

    gc.collect()
    gc.freeze()


def _settings(epoch: int) -> None:
    """The one place a worker's process-wide settings are made, when they change."""
    # fontTools (the subsetting fallback) stamps fonts with this date: pin it to the facts date.
    if os.environ.get("SOURCE_DATE_EPOCH") != str(epoch):
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)


def _run(task: Task, epoch: int, assets: str) -> tuple[int, Pdf]:
    if _worker["assets"] != assets:
        # A stylesheet, image or font changed since this worker started (a long-running pool):
        # parse and load them again.
        import gc

        from .pdf import PdfWriter

        gc.unfreeze()  # the old writer may now be collected
        _worker.update(writer=PdfWriter(_worker["root"]), assets=assets)
        _settle()
    _settings(epoch)
    return task.key, task.run(_worker["writer"])


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextlib.contextmanager
def _epoch(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH for writing in this process, as it was afterwards."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


class Pool:
    """Worker processes that outlive one build, for a long-running process (`kyr serve`): each
    keeps its fonts loaded and stylesheets parsed until the stylesheets, images or fonts change.
    Started with spawn: forking a process that runs threads (a server) can deadlock the child."""

    def __init__(self, root: Path, jobs: int, assets: str = "", warmup: Task | None = None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.root = Path(root)
        self.jobs = jobs
        # Each task brings its facts date (epoch), which may change between builds: none to start with.
        self.executor = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=(self.root, assets, 0, warmup))

    def submit(self, task: Task, epoch: int, assets: str):
        """Hand ``task`` to a worker now; ``assets`` is the hash of the stylesheets, images and fonts it uses."""
        return self.executor.submit(_run, task, epoch, assets)

    def warm(self) -> None:
        """Start every worker now, so the first edit does not wait for WeasyPrint to import."""
        for future in [self.executor.submit(_ready) for _ in range(self.jobs)]:
            future.result()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _ready() -> bool:
    return True


def collect(futures: list) -> Iterator[tuple[int, Pdf]]:
    """(task key, Pdf) from a Pool's futures, as each finishes."""
    from concurrent.futures import as_completed

    try:
        for future in as_completed(futures):
            yield future.result()
    except BaseException:
        for future in futures:
            future.cancel()
        raise


class Batch:
    """The PDFs of one build: tasks go to worker processes as they come, and the results are
    yielded as each finishes. The workers start with the second task (they import WeasyPrint
    while the next pages are rendered); a lone task is written in this process, as is all the
    work of one job."""

    def __init__(self, root: Path, jobs: int, epoch: int = 0):
        self.root, self.jobs, self.epoch = Path(root), jobs, epoch
        self.tasks: list[Task] = []
        self.futures: list = []
        self.pool = None

    def submit(self, task: Task) -> None:
        if self.pool is None and self.tasks and self.jobs > 1:
            import gc
            from concurrent.futures import ProcessPoolExecutor

            from . import pdf  # noqa: F401  (the workers fork with WeasyPrint imported: once, not once each)

            # A batch lives for one build, so its assets never change: no hash is needed.
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_start, initargs=(self.root, "", self.epoch))
            # The first task forks every worker. What they inherit is frozen in them: their collector
            # never walks it (55 ms each at start) and its memory stays shared with this process.
            gc.freeze()
            try:
                self.futures = [self.pool.submit(_run, held, self.epoch, "") for held in self.tasks]
            finally:
                gc.unfreeze()
            self.tasks = []
        if self.pool is None:
            self.tasks.append(task)
        else:
            self.futures.append(self.pool.submit(_run, task, self.epoch, ""))

    def results(self) -> Iterator[tuple[int, Pdf]]:
        if self.pool is None:
            yield from _in_process(self.root, self.tasks, self.epoch)
            return
        with self.pool:
            yield from collect(self.futures)

    def close(self) -> None:
        """Stop the workers when the build fails before asking for the results."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class Warm:
    """The same for a long-running process: the tasks go to its warm Pool."""

    def __init__(self, pool: Pool, epoch: int, assets: str):
        self.pool, self.epoch, self.assets = pool, epoch, assets
        self.futures: list = []

    def submit(self, task: Task) -> None:
        self.futures.append(self.pool.submit(task, self.epoch, self.assets))

    def results(self) -> Iterator[tuple[int, Pdf]]:
        return collect(self.futures)

    def close(self) -> None:
        for future in self.futures:
            future.cancel()


def _in_process(root: Path, tasks: list[Task], epoch: int) -> Iterator[tuple[int, Pdf]]:
    if not tasks:
        return
    from .pdf import PdfWriter

    writer = PdfWriter(root)
    with _epoch(epoch):
        for task in tasks:
            yield task.key, task.run(writer)
