"""``factdesk analyze``: the analysis of a corpus, as a summary or as the ``--json`` contract."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factdesk.annotations.text.textsafety import json_dumps_safe
from factdesk.cli.common import Parser, load


def analyze_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="factdesk analyze", description="Print sentences, entities and numbers of each article.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="articles or folders (default: seeds)")
    parser.add_argument("--json", action="store_true", help="print the analysis as one JSON object")
    return parser


def run_analyze(args: argparse.Namespace) -> int:
    from factdesk.annotations.pipeline.analysis import analyze, to_json

    corpus = load(args.paths)
    result = analyze(corpus)
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
