"""textual-serve's ``Server`` on a socket ``factdesk serve`` has already bound (imported only when it runs).

Three changes to textual-serve's own ``Server``: it listens on the given socket (so the URL printed before
serving is the one listening, even for port 0); its banner and request log go to stderr, leaving stdout the URL
line alone for whoever started the server (a script, a test); and Ctrl+C ends the browsers' sessions at once
(each reader is told to quit, as closing its tab would) instead of waiting up to a minute for them to end.
"""

from __future__ import annotations

import asyncio
import signal
import socket

from aiohttp import web
from rich.console import Console
from textual_serve.server import Server

SESSION_END_TIMEOUT = 10.0  # seconds for the readers to quit on Ctrl+C (each saves its place as it goes)


class ReaderServer(Server):
    """Serves ``command`` (the reader) on ``sock``; the page's own links and websocket use ``url``."""

    def __init__(self, command: str, sock: socket.socket, url: str, *, title: str) -> None:
        host, port = sock.getsockname()[:2]
        super().__init__(command, host=host, port=port, title=title, public_url=url)
        self.sock = sock
        self.console = Console(stderr=True)
        self._sessions: set[asyncio.Task[object]] = set()

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"Serving the reader on {self.public_url} (Ctrl+C stops it)", highlight=False)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A browser tab's session (one reader process), remembered so that shutting down can end it."""
        session = asyncio.current_task()
        if session is None:  # pragma: no cover - aiohttp runs every handler in a task
            return await super().handle_websocket(request)
        self._sessions.add(session)
        try:
            return await super().handle_websocket(request)
        finally:
            self._sessions.discard(session)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: end every session now. Cancelled, textual-serve tells its reader to quit and waits for it."""
        sessions = list(self._sessions)
        for session in sessions:
            session.cancel()
        if sessions:
            await asyncio.wait(sessions, timeout=SESSION_END_TIMEOUT)

    def serve(self, debug: bool = False) -> None:
        """Textual-serve's ``serve`` on our socket: runs until Ctrl+C (or SIGTERM), then closes every session."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        except NotImplementedError:  # not on this platform: Ctrl+C arrives as KeyboardInterrupt instead
            pass
        try:
            web.run_app(
                self._make_app(),
                sock=self.sock,
                handle_signals=False,
                loop=loop,
                print=None,
                shutdown_timeout=SESSION_END_TIMEOUT,
            )
        finally:
            loop.close()
