"""Render PDFs in worker processes that keep fonts and stylesheets warm between documents."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .render import RenderedDocument

_writer = None  # one PdfWriter per worker process


@dataclass(frozen=True)
class Task:
    key: int
    document: "RenderedDocument"
    epoch: int


def _start(root: Path) -> None:
    global _writer
    from .pdf import PdfWriter

    _writer = PdfWriter(root)


def _run(task: Task):
    return task.key, _writer.write(task.document, task.epoch)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run(root: Path, tasks: list[Task], jobs: int) -> Iterator[tuple[int, object]]:
    """Yield (task key, Pdf) as each finishes; in this process when one worker is enough."""
    if jobs <= 1 or len(tasks) <= 1:
        _start(root)
        for task in tasks:
            yield _run(task)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_start, initargs=(root,)) as pool:
        futures = [pool.submit(_run, task) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
