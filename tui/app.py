"""The factdesk Textual application: themes, the reader screen, the analysis worker."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from textual.app import App, InvalidThemeError
from textual.worker import Worker, WorkerState

from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import Corpus
from factdesk.tui.provider import ReaderCommands
from factdesk.tui.screens.reader import ReaderScreen
from factdesk.tui.theming import (
    DEFAULT_THEME,
    bundled_themes,
    default_variables,
    load_settings,
    save_setting,
    stylesheet,
    theme_problems,
)


class FactdeskApp(App[None]):
    TITLE = "factdesk"
    CSS_PATH = str(stylesheet())
    COMMANDS = App.COMMANDS | {ReaderCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, corpus: Corpus, store: Store, reviewer: str, theme: str | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        self.reviewer = reviewer
        self.requested_theme = theme
        self.review: Review | None = None
        for bundled in bundled_themes():
            self.register_theme(bundled)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Defaults for factdesk's own ``$fd-*`` variables, so any theme (even Textual's) can render us."""
        return default_variables()

    def on_mount(self) -> None:
        self._watch_signals()
        for broken in theme_problems():  # a broken theme file is left out and named, never a traceback
            self.notify(f"{broken} (theme left out)", severity="error", timeout=30)
        self._apply_theme()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(ReaderScreen())
        for problem in self.corpus.problems:
            self.notify(problem.message, severity="warning", timeout=10)
        for article in self.corpus.articles:
            if article.notice:
                self.notify(f"{article.path.name}: {article.notice}", severity="warning", timeout=10)
        if self.store.read_only:
            self.notify("This database is read-only here: marks will not be saved.", severity="warning", timeout=15)
        self.run_worker(lambda: analyze(self.corpus), name="analysis", thread=True, exit_on_error=False)

    def _watch_signals(self) -> None:
        """An SSH drop (SIGHUP) or a polite kill (SIGTERM) saves the reader state and exits cleanly.

        Marks need nothing: each is on disk before it is shown.
        """
        try:
            loop = asyncio.get_running_loop()
            for number in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(number, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass  # not the main thread, or no such signal on this platform

    def _hang_up(self) -> None:
        try:
            self.reader().save_state()
        except LookupError:
            pass
        self.store.close()
        self.exit(return_code=0)

    def _apply_theme(self) -> None:
        wanted = self.requested_theme or load_settings().get("theme") or DEFAULT_THEME
        try:
            self.theme = wanted
        except InvalidThemeError:
            names = ", ".join(sorted(self.available_themes))
            self.notify(f"Unknown theme {wanted!r}; available: {names}", severity="error", timeout=15)
            self.theme = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"

    def _remember_theme(self, theme) -> None:
        save_setting("theme", theme.name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "analysis":
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            self.review = Review(event.worker.result, self.store, self.reviewer)
            screen = self.reader()
            screen.load(self.review, self.store.get_state(self.corpus.key))
            screen.refresh_bindings()
        elif event.state == WorkerState.ERROR:
            self.notify(f"Analysis failed: {event.worker.error}", severity="error", timeout=30)

    @property
    def db_label(self) -> str:
        """The database path as the reviewer would type it: relative to here, or with ~ for home."""
        path = self.store.path.absolute()
        for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
            try:
                return prefix + str(path.relative_to(base))
            except ValueError:
                continue
        return str(path)

    def reader(self) -> ReaderScreen:
        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                return screen
        raise LookupError("no reader screen")
