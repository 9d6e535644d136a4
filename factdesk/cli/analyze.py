"""``factdesk analyze``: the analysis of a corpus, as a summary or as the ``--json`` contract.

``--jobs N`` spreads each article's own analysis over N processes; ``--article FILE`` runs only that per-article
step for FILE and fills the shared cache (the map step of a run over many machines, see the README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factdesk.annotations.text.textsafety import json_dumps_safe
from factdesk.cli.common import Failure, Parser, load


def job_count(value: str) -> int:
    """``--jobs``: a whole number of processes, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 process, got {jobs}")
    return jobs


def analyze_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="factdesk analyze", description="Print sentences, entities and numbers of each article.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="articles or folders (default: seeds)")
    parser.add_argument("--json", action="store_true", help="print the analysis as one JSON object")
    parser.add_argument(
        "--jobs",
        type=job_count,
        metavar="N",
        help="analyse the articles in N processes (default: the cores; 1: all in this process)",
    )
    parser.add_argument(
        "--article",
        action="append",
        type=Path,
        metavar="FILE",
        help="only analyse FILE on its own and store the result in the cache, for a later 'factdesk analyze' "
        "of the whole corpus to read (repeatable; prints nothing)",
    )
    return parser


def run_analyze(args: argparse.Namespace) -> int:
    from factdesk.annotations.pipeline.analysis import analyze, to_json
    from factdesk.annotations.pipeline.jobs import WorkerFailed, default_jobs
    from factdesk.cli.progress import stderr_progress

    if args.article and args.paths:
        raise Failure("--article analyses the files it names; give no PATH with it")
    corpus = load(args.article or args.paths)
    jobs = args.jobs or default_jobs()
    try:
        with stderr_progress() as progress:
            if args.article:
                from factdesk.annotations.pipeline.articles import article_works

                article_works(corpus.articles, progress=progress, jobs=jobs)
                return 0
            result = analyze(corpus, progress=progress, jobs=jobs)
    except WorkerFailed as error:
        raise Failure(str(error)) from None
    if args.json:
        sys.stdout.write(json_dumps_safe(to_json(result), indent=None))
        sys.stdout.write("\n")
        return 0
    from factdesk.annotations.text.textsafety import strip_controls

    for article in result.articles:
        a = article.article
        print(f"{strip_controls(a.title)} — {strip_controls(a.source)} ({strip_controls(str(a.path))})")
        print(f"  {len(article.claims)} claims, {len(article.entities)} entities, {len(article.numbers)} numbers")
    return 0
