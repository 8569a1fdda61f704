"""`kyr serve`: the live preview on 127.0.0.1, a small Starlette app over preview.Preview.

Routes: ``/`` the dashboard (every document × edition, thumbnails, problems), ``/site/…`` the
online edition, ``/pdf/…`` the PDFs, ``/thumb/…`` page thumbnails, ``/events`` server-sent events
that make open pages refresh, ``/_kyr/…`` the server's own stylesheet and script.

It trusts nothing a browser sends: it answers only requests for its own host and port (a page
elsewhere cannot reach it through DNS rebinding), serves only files inside the output folder and
its own assets (never a hidden file, ``..``, or a symlink out), answers GET only, and reads each
file whole before answering, so a PDF replaced during a rebuild is served complete, old or new.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import KyrError, Problem
from .preview import Event, Preview

HOST = "127.0.0.1"
ASSETS = ("dashboard.css", "live.js")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class Refused(Exception):
    """A path that names something outside what the server may serve."""


def inside(base: Path, rel: str) -> Path:
    """The file ``rel`` (a URL path, already percent-decoded) names under ``base``.

    Raises Refused for any empty, ``.``, ``..`` or hidden segment (the manifest, temporary files),
    a backslash or NUL, or a path that resolves (symlinks followed) outside ``base``; and
    FileNotFoundError when there is no such file. A folder means its index.html."""
    if "\\" in rel or "\x00" in rel:
        raise Refused(rel)
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    if any(part == "" or part.startswith(".") for part in rel.split("/")):
        raise Refused(rel)
    root = base.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root):
        raise Refused(rel)
    if not path.is_file():
        raise FileNotFoundError(rel)
    return path


@dataclass
class Server:
    """What the app needs: the preview, the port it answers on, and where its messages go."""

    preview: Preview
    port: int
    say: Callable[[str], None] = lambda line: None

    @property
    def hosts(self) -> set[str]:
        names = {f"{HOST}:{self.port}", f"localhost:{self.port}"}
        return names | ({HOST, "localhost"} if self.port == 80 else set())


def app(server: Server, watch: bool = True):
    """The ASGI app. ``watch``: rebuild when a file under content/, templates/ or locales/ changes."""
    import jinja2
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
    from starlette.routing import Route

    preview = server.preview
    pages = jinja2.Environment(loader=jinja2.PackageLoader("generator", "assets"), autoescape=True, undefined=jinja2.StrictUndefined)
    closing = asyncio.Event()

    async def read(path: Path) -> bytes:
        return await asyncio.to_thread(path.read_bytes)

    async def files(request: Request, base: Path, rel: str, prefix: str) -> Response:
        try:
            path = await asyncio.to_thread(inside, base, rel)
        except Refused:
            return PlainTextResponse("refused: this server serves only the preview's own files\n", status_code=403, headers=NO_STORE)
        except FileNotFoundError:
            folder = base / rel
            if rel and not rel.endswith("/") and folder.is_dir() and not folder.is_symlink():
                return RedirectResponse(f"{prefix}{rel}/", status_code=307)  # relative links need the slash
            return PlainTextResponse("not found\n", status_code=404, headers=NO_STORE)
        data = await read(path)
        if path.suffix == ".html":
            data = _live(data, rel, preview)
        return Response(data, media_type=TYPES.get(path.suffix, "application/octet-stream"), headers=NO_STORE)

    async def site(request: Request) -> Response:
        return await files(request, preview.output / "site", request.path_params["path"], "/site/")

    async def pdf(request: Request) -> Response:
        rel = request.path_params["path"]
        if not rel.endswith(".pdf") or rel.split("/")[0] == "site":
            return PlainTextResponse("refused: only the PDFs of the preview\n", status_code=403, headers=NO_STORE)
        return await files(request, preview.output, rel, "/pdf/")

    async def thumb(request: Request) -> Response:
        rel = request.path_params["path"]
        try:
            page = int(request.query_params.get("page", "1"))
            path = await asyncio.to_thread(inside, preview.output, rel)
        except (Refused, ValueError):
            return PlainTextResponse("refused\n", status_code=403, headers=NO_STORE)
        except FileNotFoundError:
            return PlainTextResponse("not found\n", status_code=404, headers=NO_STORE)
        image = await asyncio.to_thread(thumbnails.png, path, page) if path.suffix == ".pdf" else None
        if image is None:
            return PlainTextResponse("not found\n", status_code=404, headers=NO_STORE)
        return Response(image, media_type="image/png", headers=NO_STORE)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("not found\n", status_code=404, headers=NO_STORE)
        data = resources.files("generator").joinpath("assets", name).read_bytes()
        return Response(data, media_type=TYPES[Path(name).suffix], headers=NO_STORE)

    async def dashboard(request: Request) -> Response:
        html = await asyncio.to_thread(_dashboard, pages, preview)
        return Response(html, media_type=TYPES[".html"], headers=NO_STORE)

    async def events(request: Request) -> Response:
        try:
            since = int(request.query_params.get("since", "0"))
        except ValueError:
            since = 0
        queue: asyncio.Queue[Event] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def listener(event: Event) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, event)

        preview.listeners.append(listener)
        backlog = preview.since(since)

        async def stream():
            sent = since
            try:
                yield "retry: 1000\n\n"
                for event in backlog:
                    sent = event.generation
                    yield _sse(event)
                while not closing.is_set():
                    try:
                        event = await asyncio.wait_for(queue.get(), timeout=1.0)
                    except TimeoutError:
                        yield ": still here\n\n"
                        continue
                    if event.generation > sent:
                        sent = event.generation
                        yield _sse(event)
            finally:
                with contextlib.suppress(ValueError):
                    preview.listeners.remove(listener)

        return StreamingResponse(stream(), media_type="text/event-stream", headers=NO_STORE)

    async def to_site(request: Request) -> Response:
        return RedirectResponse("/site/", status_code=307)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        watcher = asyncio.create_task(_watch(server, closing, watch))
        try:
            yield
        finally:
            closing.set()
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher
            preview.close()

    from .thumbs import Thumbnails

    thumbnails = Thumbnails()
    routes = [
        Route("/", dashboard, methods=["GET"]),
        Route("/events", events, methods=["GET"]),
        Route("/site", to_site, methods=["GET"]),
        Route("/site/{path:path}", site, methods=["GET"]),
        Route("/pdf/{path:path}", pdf, methods=["GET"]),
        Route("/thumb/{path:path}", thumb, methods=["GET"]),
        Route("/_kyr/{name}", asset, methods=["GET"]),
    ]
    starlette = Starlette(routes=routes, lifespan=lifespan)
    return HostGuard(starlette, server)


class HostGuard:
    """Answers only requests whose Host is this server's (127.0.0.1 or localhost with its port):
    a web page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) gets 403."""

    def __init__(self, app, server: Server):
        self.app = app
        self.server = server

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            host = dict(scope.get("headers") or ()).get(b"host", b"").decode("latin-1").lower()
            if host not in self.server.hosts:
                body = f"refused: this preview answers only http://{HOST}:{self.server.port}/ and http://localhost:{self.server.port}/\n".encode()
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


async def _watch(server: Server, closing: asyncio.Event, watch: bool) -> None:
    """Build once, then again after every change under content/, templates/ or locales/."""
    from .preview import WATCHED

    preview = server.preview
    await asyncio.to_thread(_rebuild, server)
    if not watch:
        return
    from watchfiles import DefaultFilter, awatch

    warming = asyncio.create_task(asyncio.to_thread(preview.warm))  # beside the watcher: an edit need not wait for it
    folders = [preview.root / name for name in WATCHED if (preview.root / name).is_dir()]
    try:
        # Changes that arrive while a build runs are gathered and answered by one more build.
        async for changes in awatch(*folders, debounce=30, step=10, stop_event=closing, watch_filter=DefaultFilter(), rust_timeout=500, yield_on_timeout=False):
            names = sorted({str(Path(path).relative_to(preview.root)) for _, path in changes})
            server.say(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")
            await asyncio.to_thread(_rebuild, server)
    finally:
        warming.cancel()


def _rebuild(server: Server) -> None:
    event = server.preview.rebuild()
    state = server.preview.state
    if event.state == "failed":
        server.say("not built; the preview keeps the last good build:")
        for problem in state.error:
            server.say(f"  {problem}")
    else:
        server.say(state.summary)


def _sse(event: Event) -> str:
    return f"data: {json.dumps({'generation': event.generation, 'state': event.state, 'changed': list(event.changed)})}\n\n"


def _live(page: bytes, rel: str, preview: Preview) -> bytes:
    """A site page as the preview serves it: refreshed when its language changes, and with the
    last build's error on top when the edit did not build. The files on disk stay as built."""
    from markupsafe import escape

    scope = "site/" + rel.split("/")[0] + "/" if "/" in rel else "site/"
    script = f'<script src="/_kyr/live.js" data-scope="{escape(scope)}" data-generation="{preview.generation}"></script>'
    text = page.decode("utf-8", errors="replace")
    if preview.state.error:
        items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in preview.state.error)
        banner = (
            '<div role="alert" style="position:sticky;top:0;z-index:100;max-height:40vh;overflow:auto;background:#7a0000;color:#fff;padding:0.75rem 1rem;font:1rem/1.4 system-ui,sans-serif">'
            f"<strong>The last edit did not build; this is the last good preview.</strong><ul>{items}</ul></div>"
        )
        text = text.replace("<body>", "<body>" + banner, 1)
    return text.replace("</body>", script + "</body>", 1).encode("utf-8")


@dataclass(frozen=True)
class Card:
    """One document × edition on the dashboard."""

    path: str
    title: str
    exists: bool
    version: str  # changes when the file does: it busts the browser's cache
    pages: int
    kib: int
    problems: tuple[Problem, ...]


def _dashboard(pages, preview: Preview) -> str:
    from .documents import KINDS
    from .manifest import Manifest
    from .site import language

    state = preview.state
    manifest = Manifest.load(preview.output)
    placement = preview.placed(manifest)
    editions: dict[str, list[Card]] = {}
    for output in state.outputs:
        path = preview.output / output.path
        try:
            info = path.stat()
            exists, version = True, f"{info.st_mtime_ns:x}"
        except OSError:
            exists, version, info = False, "", None
        record = manifest.outputs.get(output.path)
        title = KINDS[output.doc].name + (f": {output.office}" if output.office else "")
        card = Card(output.path, title, exists, version, record.pages if record else 0, (info.st_size // 1024) if info else 0, tuple(placement.by_output.get(output.path, ())))
        editions.setdefault(output.edition, []).append(card)
    names = {edition: " / ".join(language(code, code).name for code in edition.split("-")) for edition in editions}
    checked = state.checked is not None
    counts = (sum(p.severity == "error" for p in (state.checked or [])), sum(p.severity == "warning" for p in (state.checked or [])))
    return pages.get_template("dashboard.html.j2").render(
        state=state,
        editions=editions,
        names=names,
        by_edition=placement.by_edition,
        general=placement.general,
        generation=preview.generation,
        checked=checked,
        counts=counts,
        built_at=time.strftime("%H:%M:%S", time.localtime(state.built_at)) if state.built_at else "",
        site_languages=[language(code, code) for code in state.languages if (preview.output / "site" / code / "index.html").is_file()],
    )


def listen(port: int) -> socket.socket:
    """The server's socket on 127.0.0.1 only; a port in use is the user's error, in one line."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise KyrError(Problem("command line", None, f"cannot listen on {HOST}:{port}: {exc.strerror}; choose another with --port")) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(root: Path, port: int = 8000, allow_incomplete: bool = False, say: Callable[[str], None] = print) -> None:
    """Serve the preview of the project at ``root`` until Ctrl-C."""
    import uvicorn

    sock = listen(port)
    port = sock.getsockname()[1]
    server = Server(Preview(root, allow_incomplete=allow_incomplete), port, say)
    say(f"preview on http://{HOST}:{port}/ (the online edition: http://{HOST}:{port}/site/); Ctrl-C stops it")
    config = uvicorn.Config(app(server), log_level="warning", timeout_graceful_shutdown=1, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
