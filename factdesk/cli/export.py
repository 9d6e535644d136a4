"""``factdesk export``: the reviewed brief (Markdown, JSON) or every mark (Web Annotation, ClaimReview)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from factdesk.cli.common import Failure, Parser, add_corpus_arguments, load, open_store, reviewer_name, warn

if TYPE_CHECKING:
    from factdesk.annotations.review.review import Review

EXPORT_FORMATS = ("markdown", "json", "annotations", "claimreview")


def export_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factdesk export",
        description="Print the reviewed brief (Markdown or JSON), or every mark as W3C Web Annotations "
        "(--format annotations) or schema.org ClaimReview (--format claimreview).",
    )
    add_corpus_arguments(parser)
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="markdown")
    parser.add_argument("--all", action="store_true", help="also list the unreviewed claims")
    parser.add_argument(
        "--agreement", action="store_true", help="add a section on agreement between reviewers to the brief"
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    return parser


def export_text(review: Review, args: argparse.Namespace) -> str:
    """The text ``--format`` asks for."""
    if args.format == "json":
        from factdesk.annotations.export.briefs import brief_json

        return brief_json(review, args.all, agreement=args.agreement)
    if args.format == "annotations":
        from factdesk.annotations.export.interop import dumps_safe, marks_to_collection

        paths = {a.article.id: str(Path(a.article.path).resolve()) for a in review.analysis.articles}
        return dumps_safe(marks_to_collection(review.store.marks(), paths=paths))
    if args.format == "claimreview":
        from factdesk.annotations.export.interop import claim_reviews, dumps_safe

        return dumps_safe(claim_reviews(review))
    from factdesk.annotations.export.briefs import brief_markdown

    return brief_markdown(review, args.all, agreement=args.agreement)


def run_export(args: argparse.Namespace) -> int:
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.atomic import atomic_write_text

    corpus = load(args.paths)
    store = open_store(args.db, args.paths)
    review = Review(analyze(corpus), store, reviewer=reviewer_name(None))
    for notice in review.notices:
        warn(notice)
    text = export_text(review, args)
    if args.output:
        try:
            atomic_write_text(args.output, text)
        except OSError as error:
            raise Failure(f"cannot write {args.output}: {error.strerror or error}") from None
        what = "brief" if args.format in ("markdown", "json") else args.format
        warn(f"{what} written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0
