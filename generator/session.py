"""What a long-running process (`kyr serve`) keeps warm from one build to the next.

PDF workers with their fonts loaded, keyed by the assets hash so that a changed stylesheet, image
or font is never answered from a stale copy (compiled templates are kept by render.py for any
process); a one-off `kyr build` simply runs without a session.
"""

from __future__ import annotations

import threading
from pathlib import Path

from . import workers


class Session:
    """Warm state for the builds of one project in one process; ``close()`` stops its workers."""

    def __init__(self, root: Path, jobs: int | None = None):
        self.root = Path(root)
        self.jobs = jobs or workers.default_jobs()
        self._pool: workers.Pool | None = None
        self._lock = threading.Lock()  # warming up and the first edit may ask at once
        self._closed = False

    def pool(self, assets: str = "", warmup: workers.Task | None = None) -> workers.Pool:
        """The warm workers; ``assets`` (the stylesheets, images and fonts hash) and ``warmup`` (a page
        each worker writes when it starts) let them start warm."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the session is closed")
            if self._pool is None:
                self._pool = workers.Pool(self.root, self.jobs, assets, warmup)
                self._pool.warm()
            return self._pool

    def warm(self, project) -> None:
        """Compile every template and start the workers on a real page (the first document in the
        source language), so the first edit is as quick as the next."""
        from .build import iter_render, localize_jobs, make_renderer, plan, task

        renderer = make_renderer(project)
        source = project.pack.source_language
        jobs = plan(project.pack, [source])[:1]
        localized = localize_jobs(project, jobs, True).packs
        page = next(iter_render(project, jobs, localized, renderer), None)
        self.pool(project.assets, task(0, page) if page else None)
        env = renderer.env(localized[source])
        for name in env.list_templates(extensions=["j2"]):
            env.get_template(name)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._pool is not None:
                self._pool.close()
                self._pool = None
