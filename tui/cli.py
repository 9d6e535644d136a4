"""The ``factdesk`` command: open the reader, export a brief, or print the analysis.

Only the reader imports Textual (lazily), so ``factdesk export`` and ``factdesk analyze``
start fast and run on machines without a terminal. No traceback ever reaches the user:
one line on stderr, exit 2 for usage errors, 1 for failures.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from annotations import __version__
from annotations.locations import DB_RULE_HELP

EXIT_FAILURE = 1
EXIT_USAGE = 2
SUBCOMMANDS = ("export", "analyze")


class Failure(Exception):
    """A problem to report in one line and exit 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article files, or folders of *.txt/*.md files (default: the bundled seeds)",
    )
    parser.add_argument("--db", type=Path, metavar="FILE", help=f"the marks database. {DB_RULE_HELP}")


def reader_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factdesk",
        description="Read news articles side by side, mark claims verified or disputed, export a brief.",
        epilog="Other commands: 'factdesk export --help', 'factdesk analyze --help'.",
    )
    _common(parser)
    parser.add_argument("--reviewer", metavar="NAME", help="your name on marks (default: $FACTDESK_REVIEWER or login)")
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. factdesk-dark, factdesk-light")
    parser.add_argument("--version", action="version", version=f"factdesk {__version__}")
    return parser


def export_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factdesk export", description="Print the reviewed brief (Markdown or JSON).")
    _common(parser)
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument("--all", action="store_true", help="also list the unreviewed claims")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--version", action="version", version=f"factdesk {__version__}")
    return parser


def analyze_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factdesk analyze", description="Print sentences, entities and numbers of each article.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="articles or folders (default: seeds)")
    parser.add_argument("--json", action="store_true", help="print the analysis as one JSON object")
    parser.add_argument("--version", action="version", version=f"factdesk {__version__}")
    return parser


def _reviewer(name: str | None) -> str:
    if name:
        return name
    if os.environ.get("FACTDESK_REVIEWER"):
        return os.environ["FACTDESK_REVIEWER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def _load(paths: list[Path]):
    from annotations.corpus import bundled_seeds, load_corpus

    corpus = load_corpus(paths or [bundled_seeds()])
    for problem in corpus.problems:
        sys.stderr.write(f"factdesk: {problem.message}\n")
    if not corpus.articles:
        raise Failure("no readable articles to open")
    return corpus


def _open_store(db: Path | None, paths: list[Path]):
    from annotations.corpus import bundled_seeds
    from annotations.locations import default_db_path
    from annotations.store import Store, StoreError

    path = db or default_db_path(paths or [bundled_seeds()])
    try:
        return Store.open(path)
    except StoreError as error:
        raise Failure(str(error)) from None


def run_analyze(args: argparse.Namespace) -> int:
    from annotations.analysis import analyze, to_json

    corpus = _load(args.paths)
    result = analyze(corpus)
    if args.json:
        json.dump(to_json(result), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    from annotations.textsafety import strip_controls

    for article in result.articles:
        a = article.article
        print(f"{strip_controls(a.title)} — {strip_controls(a.source)} ({a.path})")
        print(f"  {len(article.claims)} claims, {len(article.entities)} entities, {len(article.numbers)} numbers")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from annotations.analysis import analyze
    from annotations.atomic import atomic_write_text
    from annotations.review import Review

    corpus = _load(args.paths)
    store = _open_store(args.db, args.paths)
    review = Review(analyze(corpus), store, reviewer=_reviewer(None))
    text = review.brief_json(args.all) if args.format == "json" else review.brief_markdown(args.all)
    if args.output:
        try:
            atomic_write_text(args.output, text)
        except OSError as error:
            raise Failure(f"cannot write {args.output}: {error.strerror or error}") from None
        sys.stderr.write(f"factdesk: brief written to {args.output}\n")
    else:
        sys.stdout.write(text)
    return 0


def run_reader(args: argparse.Namespace) -> int:
    corpus = _load(args.paths)
    store = _open_store(args.db, args.paths)
    from tui.app import FactdeskApp

    app = FactdeskApp(corpus, store, reviewer=_reviewer(args.reviewer), theme=args.theme)
    app.run()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "export":
            return run_export(export_parser().parse_args(argv[1:]))
        if argv and argv[0] == "analyze":
            return run_analyze(analyze_parser().parse_args(argv[1:]))
        return run_reader(reader_parser().parse_args(argv))
    except Failure as failure:
        sys.stderr.write(f"factdesk: {failure}\n")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
