"""The factdesk Textual application: themes, the reader screen, the analysis worker."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from factdesk.annotations.gcpause import collector_paused, freeze_long_lived, thaw
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import Corpus
from factdesk.annotations.text.textsafety import neutralise
from factdesk.tui.daemon_work import ProgressRelay, in_daemon_thread
from factdesk.tui.hangup import (
    LEAVE_DEADLINE,
    QUIT_DEADLINE,
    TerminalWatch,
    arm_deadline,
    silence,
    started_on_a_terminal,
    terminal_alive,
    terminal_fd,
)
from factdesk.tui.provider import ReaderCommands
from factdesk.tui.screens.reader import ReaderScreen

if TYPE_CHECKING:
    from factdesk.annotations.model import CorpusAnalysis
    from factdesk.annotations.review.review import Review

from factdesk.tui.theming import (
    DEFAULT_THEME,
    bundled_themes,
    default_variables,
    load_settings,
    save_setting,
    stylesheet,
    theme_problems,
)


def analyze(corpus: Corpus, progress: Callable[[str, int, int], None] | None = None) -> CorpusAnalysis:
    """The corpus's analysis (run on the analysis thread: its modules are imported there, after the first frame)."""
    from factdesk.annotations.pipeline.analysis import analyze as analyze_corpus

    return analyze_corpus(corpus, progress=progress)


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
        self._signal_loop: asyncio.AbstractEventLoop | None = None
        self._previous_handlers: dict[int, Any] = {}
        self._terminal_fd: int | None = None
        self._terminal_watch: TerminalWatch | None = None
        self._started_on_tty = started_on_a_terminal()  # before the terminal can have hung up
        for bundled in bundled_themes():
            self.register_theme(bundled)
        self._theme_notice: str | None = None
        self._start_in_theme(self._chosen_theme())

    def _chosen_theme(self) -> str:
        """``--theme``, else the remembered one, else the default; an unknown name falls back (said on mount)."""
        wanted = self.requested_theme or load_settings().get("theme") or DEFAULT_THEME
        if isinstance(wanted, str) and wanted in self.available_themes:
            return wanted
        names = ", ".join(sorted(self.available_themes))
        self._theme_notice = f"Unknown theme {wanted!r}; available: {names}"
        return DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"

    def _start_in_theme(self, name: str) -> None:
        """Start in theme ``name`` before any CSS is parsed, as ``App._watch_theme`` would switch to it.

        Setting ``App.theme`` once the app runs (on mount) re-parses every stylesheet with the new variables and
        restyles every widget, all before the first frame, and saves the setting, an fsync'ed write: a sixth of
        the reader's startup beyond a bare Textual app's. Here the stylesheet simply starts with its variables.
        """
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        self.update_classes({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark}, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Defaults for factdesk's own ``$fd-*`` variables, so any theme (even Textual's) can render us."""
        return default_variables()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification, from any screen, as plain text with control characters made visible.

        Messages carry file names, paths and error text, which may hold escape sequences (a name that retitles
        the terminal) or Textual markup (``[@click=app.quit]``): so no markup unless a caller asks for it, and
        never a raw control character either way.
        """
        super().notify(neutralise(message), title=neutralise(title), severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        self._watch_signals()
        for broken in theme_problems():  # a broken theme file is left out and named, never a traceback
            self.notify(f"{broken} (theme left out)", severity="error", timeout=30)
        if self._theme_notice is not None:
            self.notify(self._theme_notice, severity="error", timeout=15)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(ReaderScreen())
        for problem in self.corpus.problems:
            self.notify(problem.message, severity="warning", timeout=10)
        for article in self.corpus.articles:
            if article.notice:
                self.notify(f"{article.path.name}: {article.notice}", severity="warning", timeout=10)
        if self.store.read_only:
            self.notify("This database is read-only here: marks will not be saved.", severity="warning", timeout=15)
        # The text is on screen first; the analysis (and the import of its modules) starts after that frame.
        first_frame = asyncio.Event()
        self.call_after_refresh(self._first_frame_drawn, first_frame)
        self.run_worker(self._analyse(first_frame), name="analysis", exit_on_error=False)

    def _first_frame_drawn(self, first_frame: asyncio.Event) -> None:
        """The text is on screen: the collector comes back on (``factdesk`` keeps it off on the way, see
        ``factdesk.cli.reader``) and the analysis may start. What startup made lives as long as the app, so it is
        frozen first: switched on over it, the collector would walk it all at once, holding up the frame's write."""
        freeze_long_lived()
        gc.enable()
        first_frame.set()
        if load_settings().get("theme") != self.theme:  # the theme started in is remembered, as a switch is
            save_setting("theme", self.theme)

    async def _analyse(self, first_frame: asyncio.Event) -> CorpusAnalysis:
        """The corpus's analysis, off the event loop and never keeping the process alive after `q`."""
        await first_frame.wait()
        report = ProgressRelay(self._show_progress)
        report.attach(asyncio.get_running_loop())

        return await in_daemon_thread(lambda: analyze(self.corpus, progress=report), name="factdesk-analysis")

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        try:
            self.reader().show_progress(stage, done, total)
        except LookupError:
            pass

    def _watch_signals(self) -> None:
        """An SSH drop (SIGHUP, or the terminal gone) or a polite kill (SIGTERM) saves the reader state and exits.

        Marks need nothing: each is on disk before it is shown. The handlers are Python-level, not the event
        loop's, so they run even while the loop is stuck on a dead terminal; each only schedules the save on the
        loop, so it never runs inside another store write. A hangup writes nothing more to the terminal and
        always ends the process (``factdesk.tui.hangup`` says why); SIGTERM with a live terminal restores it.
        """
        try:
            self._signal_loop = asyncio.get_running_loop()
            for number in (signal.SIGHUP, signal.SIGTERM):
                self._previous_handlers[number] = signal.signal(number, self._on_signal)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            return  # not the main thread, or no such signal on this platform
        self._terminal_fd = terminal_fd(self._driver, self._started_on_tty)
        if self._terminal_fd is not None:
            self._terminal_watch = TerminalWatch(self._terminal_fd, self._terminal_gone)
            self._terminal_watch.start()

    def on_unmount(self) -> None:
        thaw()  # (after freeze_long_lived: the analysis can be collected again)
        if self._terminal_watch is not None:
            self._terminal_watch.stop()
        for number, handler in self._previous_handlers.items():
            if handler is not None:
                signal.signal(number, handler)
        self._previous_handlers.clear()

    def _on_signal(self, number: int, frame: object) -> None:
        if number == signal.SIGTERM and terminal_alive(self._terminal_fd):
            arm_deadline(QUIT_DEADLINE)  # restoring a live but stalled terminal must not keep us either
            self._on_loop(self._quit)
        else:
            self._terminal_gone()

    def _terminal_gone(self) -> None:
        """The terminal hung up (called from a signal handler or the watch thread): silence, save, leave."""
        silence(self._driver)
        arm_deadline(LEAVE_DEADLINE)
        self._on_loop(self._leave)

    def _on_loop(self, callback: Callable[[], None]) -> None:
        if self._signal_loop is None:
            return
        try:
            self._signal_loop.call_soon_threadsafe(callback)
        except RuntimeError:
            pass  # the loop is closed: the app is gone already (and the deadline is armed)

    def _save_and_close(self) -> None:
        try:
            self.reader().save_state()
        except LookupError:
            pass
        self.store.close()

    def _quit(self) -> None:
        self._save_and_close()
        self.exit(return_code=0)

    def _leave(self) -> None:
        """Save and close the store, then end at once: restoring the terminal would write to a dead one."""
        try:
            self._save_and_close()
        finally:
            os._exit(0)

    def _remember_theme(self, theme) -> None:
        save_setting("theme", theme.name)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "analysis":
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            from factdesk.annotations.pipeline.release import release_analysis_memory
            from factdesk.annotations.review.review import Review

            with collector_paused():  # building the review and the views makes many objects and no garbage
                self.review = Review(event.worker.result, self.store, self.reviewer)
                screen = self.reader()
                screen.load(self.review, self.store.get_state(self.corpus.key))
            screen.refresh_bindings()
            release_analysis_memory()  # the models are not needed again: their memory goes back to the system
            freeze_long_lived()  # the analysis lives as long as the reader: no full collection walks it mid-key
        elif event.state == WorkerState.ERROR:
            self.notify(f"Analysis failed: {event.worker.error}", severity="error", timeout=30)
            try:
                self.reader().analysis_failed(neutralise(str(event.worker.error)))
            except LookupError:
                pass

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
