"""The ``factdesk`` command: open the reader, export a brief, or work on the analysis and the databases.

Subcommands: ``export`` (brief as Markdown/JSON, marks as W3C Web Annotations or schema.org ClaimReview),
``analyze``, ``merge`` (reviewers' databases into one), ``stats`` (per-reviewer counts and Cohen's kappa),
``import`` (Web Annotations back into a database) and ``restore`` (put ``<db>.bak`` back over a damaged
database). Without a subcommand, the reader opens.

Only the reader imports Textual (lazily), so the subcommands start fast and run on machines without a
terminal. No traceback ever reaches the user (see :mod:`factdesk.cli.common`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from factdesk.cli.analyze import analyze_parser, run_analyze
from factdesk.cli.common import EXIT_FAILURE, Failure, warn
from factdesk.cli.databases import (
    import_parser,
    merge_parser,
    restore_parser,
    run_import,
    run_merge,
    run_restore,
    run_stats,
    stats_parser,
)
from factdesk.cli.export import export_parser, run_export
from factdesk.cli.reader import reader_parser, run_reader

Command = tuple[Callable[[], argparse.ArgumentParser], Callable[[argparse.Namespace], int]]

SUBCOMMANDS: dict[str, Command] = {
    "export": (export_parser, run_export),
    "analyze": (analyze_parser, run_analyze),
    "merge": (merge_parser, run_merge),
    "stats": (stats_parser, run_stats),
    "import": (import_parser, run_import),
    "restore": (restore_parser, run_restore),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            parser, run = SUBCOMMANDS[argv[0]]
            return run(parser().parse_args(argv[1:]))
        return run_reader(reader_parser().parse_args(argv))
    except Failure as failure:
        warn(str(failure))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
