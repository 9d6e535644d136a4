"""What every ``factdesk`` command shares: the parser, one-line failures, loading a corpus, opening a store.

No traceback ever reaches the user: one line on stderr (control characters neutralised), exit 2 for usage
errors, 1 for failures. Nothing here imports Textual or the analysis, so every command starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from factdesk import __version__
from factdesk.annotations.storage.locations import DB_RULE_HELP

if TYPE_CHECKING:
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import Corpus

EXIT_FAILURE = 1
EXIT_USAGE = 2


class Failure(Exception):
    """A problem to report in one line and exit 1."""


class Parser(argparse.ArgumentParser):
    """One-line usage errors (exit 2), and ``--version`` on every command.

    Usage errors quote the arguments (a shell glob can bring in any file name) and help names folders from the
    environment: both are printed with control characters neutralised.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.add_argument("--version", action="version", version=f"factdesk {__version__}")

    def error(self, message: str) -> NoReturn:
        from factdesk.annotations.text.textsafety import strip_controls

        sys.stderr.write(f"{self.prog}: {strip_controls(message)} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)

    def format_help(self) -> str:
        from factdesk.annotations.text.textsafety import neutralise

        return neutralise(super().format_help())

    def format_usage(self) -> str:
        from factdesk.annotations.text.textsafety import neutralise

        return neutralise(super().format_usage())


def add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    """``PATH ...`` and ``--db FILE``, as every command that reads a corpus and its marks takes them."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article files, or folders of *.txt/*.md files (default: the bundled seeds)",
    )
    parser.add_argument("--db", type=Path, metavar="FILE", help=f"the marks database. {DB_RULE_HELP}")


def reviewer_name(name: str | None) -> str:
    """The reviewer: ``--reviewer``, else ``$FACTDESK_REVIEWER``, else the name remembered in the settings.

    "" when none is known: the reader then asks once (and remembers the answer); commands that only read
    marks need no name. Never the login name, which would put "Reviewer: root" into a brief.
    """
    if name:
        return name
    if os.environ.get("FACTDESK_REVIEWER"):
        return os.environ["FACTDESK_REVIEWER"]
    from factdesk.annotations.storage.settings import remembered_reviewer

    return remembered_reviewer()


def use_team_scale() -> None:
    """The verdict scale of the settings file (renamed or trimmed verdicts) for everything this process shows or
    exports; what the settings ask that cannot be done is said on stderr, once, and the default stands in."""
    from factdesk.annotations.review.verdicts import scale_from_settings, use_scale
    from factdesk.annotations.storage.settings import load_settings

    scale = scale_from_settings(load_settings())
    for problem in scale.problems:
        warn(problem)
    use_scale(scale)


def load(paths: list[Path]) -> Corpus:
    """The corpus at ``paths`` (the bundled seeds when empty); unreadable files are warned about."""
    from factdesk.annotations.text.corpus import bundled_seeds, load_corpus

    corpus = load_corpus(paths or [bundled_seeds()])
    for problem in corpus.problems:
        warn(problem.message)
    if not corpus.articles:
        raise Failure("no readable articles to open")
    return corpus


def db_path(db: Path | None, paths: list[Path]) -> Path:
    """``--db`` when given, else the default database of the corpus at ``paths``."""
    from factdesk.annotations.storage.locations import default_db_path
    from factdesk.annotations.text.corpus import bundled_seeds

    return db or default_db_path(paths or [bundled_seeds()])


def open_store(db: Path | None, paths: list[Path], *, read_only: bool = False) -> Store:
    """The marks database for the corpus, or a one-line failure naming the way back (``factdesk restore``)."""
    from factdesk.annotations.storage.errors import DamagedDatabase, StoreError
    from factdesk.annotations.storage.store import Store

    path = db_path(db, paths)
    try:
        store = Store.open(path, read_only=read_only)
    except DamagedDatabase as error:
        raise Failure(f"{error}. {restore_hint(path)}") from None
    except StoreError as error:
        raise Failure(str(error)) from None
    if store.notice:
        warn(store.notice)
    return store


def restore_hint(path: Path) -> str:
    from factdesk.annotations.storage.atomic import UnsafeLink, resolve_own_link
    from factdesk.annotations.storage.dbfile import backup_path

    try:
        written = resolve_own_link(path)  # the backup sits beside the file a link of the user's points to
    except UnsafeLink:
        written = path
    if not backup_path(written).exists():
        return "Nothing was changed"
    return f"To go back to the last good copy: factdesk restore --db {path} (the damaged file is kept)"


def warn(message: str) -> None:
    """One line on stderr, control characters neutralised."""
    from factdesk.annotations.text.textsafety import strip_controls

    sys.stderr.write(f"factdesk: {strip_controls(message)}\n")
