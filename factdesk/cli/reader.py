"""``factdesk [PATH ...]``: open the reader (the only command that imports Textual, and only when it runs)."""

from __future__ import annotations

import argparse
import gc

from factdesk.cli.common import Parser, add_corpus_arguments, load, open_store, reviewer_name


def reader_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factdesk",
        description="Read news articles side by side, mark claims verified or disputed, export a brief.",
        epilog="Other commands: 'factdesk export --help', 'factdesk analyze --help', 'factdesk merge --help', "
        "'factdesk stats --help', 'factdesk import --help', 'factdesk restore --help', "
        "'factdesk serve --help' (the reader in a browser).",
    )
    add_corpus_arguments(parser)
    parser.add_argument(
        "--reviewer",
        metavar="NAME",
        help="your name on marks (default: $FACTDESK_REVIEWER, else the name remembered in settings; "
        "the reader asks for it once)",
    )
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. factdesk-dark, factdesk-light")
    return parser


def run_reader(args: argparse.Namespace) -> int:
    # Reading the files and importing the reader make hundreds of thousands of objects and no garbage worth a
    # collection: the collector stays off until the first frame is drawn (FactdeskApp turns it back on), about
    # a tenth of the time to the first frame.
    gc.disable()
    corpus = load(args.paths)
    store = open_store(args.db, args.paths)
    from factdesk.tui.app import FactdeskApp

    app = FactdeskApp(corpus, store, reviewer=reviewer_name(args.reviewer), theme=args.theme)
    app.run()
    return app.return_code or 0
