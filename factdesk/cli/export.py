"""``factdesk export``: the reviewed brief (Markdown, JSON) or every mark (Web Annotation, ClaimReview)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from factdesk.cli.common import Failure, Parser, add_corpus_arguments, load, open_store, reviewer_name, warn

if TYPE_CHECKING:
    from factdesk.annotations.model import CorpusAnalysis
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.text.corpus import Corpus

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
    parser.add_argument(
        "--reviewer",
        metavar="NAME",
        help="one reviewer's brief: only NAME's marks (default: every reviewer's, side by side where they differ)",
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument(
        "--force",
        action="store_true",
        help="with -o: replace FILE even when it is not this corpus' previous brief (refused otherwise)",
    )
    return parser


def export_text(review: Review, args: argparse.Namespace) -> str:
    """The text ``--format`` asks for."""
    reviewer = getattr(args, "reviewer", None)
    if args.format == "json":
        from factdesk.annotations.export.briefs import brief_json

        return brief_json(review, args.all, agreement=args.agreement, reviewer=reviewer)
    if args.format == "annotations":
        from factdesk.annotations.export.interop import dumps_safe, marks_to_collection

        paths = {a.article.id: str(Path(a.article.path).resolve()) for a in review.analysis.articles}
        return dumps_safe(marks_to_collection(review.store.marks(), paths=paths))
    if args.format == "claimreview":
        from factdesk.annotations.export.interop import claim_reviews, dumps_safe

        return dumps_safe(claim_reviews(review))
    from factdesk.annotations.export.briefs import brief_markdown

    return brief_markdown(review, args.all, agreement=args.agreement, reviewer=reviewer)


def check_target(review: Review, path: Path, force: bool) -> None:
    """Refuse to replace a file that is not this corpus' previous brief, unless ``--force``."""
    from factdesk.annotations.export.brief_files import corpus_key, replace_problem

    if path.is_dir():
        raise Failure(f"cannot write {path}: it is a folder")
    problem = replace_problem(path, corpus_key(review.analysis))
    if problem is not None and not force:
        raise Failure(f"{problem}; not replaced (add --force to replace it)")


def analyzed(corpus: Corpus) -> CorpusAnalysis:
    """The corpus's analysis, its progress drawn on stderr when that is a terminal (over every core)."""
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.pipeline.jobs import WorkerFailed, default_jobs
    from factdesk.cli.progress import stderr_progress

    try:
        with stderr_progress() as progress:
            return analyze(corpus, progress=progress, jobs=default_jobs())
    except WorkerFailed as error:
        raise Failure(str(error)) from None


def run_export(args: argparse.Namespace) -> int:
    from factdesk.annotations.export.briefs import UnknownReviewer
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.atomic import atomic_write_text

    corpus = load(args.paths)
    store = open_store(args.db, args.paths)
    review = Review(analyzed(corpus), store, reviewer=reviewer_name(None))
    for notice in review.notices:
        warn(notice)
    if args.reviewer is not None and args.format in ("annotations", "claimreview"):
        raise Failure(f"--reviewer applies to the brief (markdown or json), not to --format {args.format}")
    if args.output:
        check_target(review, args.output, args.force)
    try:
        text = export_text(review, args)
    except UnknownReviewer as error:  # one line naming the reviewers who do have marks
        raise Failure(str(error)) from None
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
