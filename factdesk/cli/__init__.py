"""The ``factdesk`` command: open the reader, export a brief, or work on the analysis and the databases.

Subcommands: ``export`` (brief as Markdown/JSON, marks as W3C Web Annotations or schema.org ClaimReview),
``analyze``, ``merge`` (reviewers' databases into one), ``stats`` (per-reviewer counts and Cohen's kappa),
``import`` (Web Annotations back into a database), ``restore`` (put ``<db>.bak`` back over a damaged
database) and ``serve`` (the reader in a browser, through textual-serve). Without a subcommand, the reader
opens.

Only the reader imports Textual (lazily), so the subcommands start fast and run on machines without a
terminal. No traceback ever reaches the user (see :mod:`factdesk.cli.common`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib import import_module

from factdesk.cli.common import EXIT_FAILURE, Failure, use_team_scale, warn

Command = tuple[Callable[[], argparse.ArgumentParser], Callable[[argparse.Namespace], int]]

# Each subcommand: its module under factdesk.cli, its parser and its runner. A module is imported only when its
# command runs: the reader (no subcommand) starts without compiling the others' code.
SUBCOMMAND_MODULES: dict[str, tuple[str, str, str]] = {
    "export": ("export", "export_parser", "run_export"),
    "analyze": ("analyze", "analyze_parser", "run_analyze"),
    "merge": ("databases", "merge_parser", "run_merge"),
    "stats": ("databases", "stats_parser", "run_stats"),
    "import": ("databases", "import_parser", "run_import"),
    "restore": ("databases", "restore_parser", "run_restore"),
    "serve": ("serve", "serve_parser", "run_serve"),
}


def subcommand(name: str) -> Command:
    """The parser and the runner of subcommand ``name`` (its module imported now)."""
    module_name, parser, run = SUBCOMMAND_MODULES[name]
    module = import_module(f"factdesk.cli.{module_name}")
    return getattr(module, parser), getattr(module, run)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        use_team_scale()
        if argv and argv[0] in SUBCOMMAND_MODULES:
            parser, run = subcommand(argv[0])
            return run(parser().parse_args(argv[1:]))
        from factdesk.cli.reader import reader_parser, run_reader

        return run_reader(reader_parser().parse_args(argv))
    except Failure as failure:
        warn(str(failure))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
