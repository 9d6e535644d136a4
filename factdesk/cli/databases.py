"""The commands on marks databases: ``merge``, ``stats``, ``import`` and ``restore``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from factdesk.cli.common import Failure, Parser, add_corpus_arguments, db_path, load, open_store, reviewer_name, warn


def merge_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factdesk merge",
        description="Combine reviewers' databases into one. Nothing is lost: each reviewer keeps their own "
        "verdicts (disagreements stay visible); the same reviewer's conflicting changes are resolved by time "
        "and both stay in the history. An existing OUTPUT database is merged into, not replaced.",
    )
    parser.add_argument("inputs", nargs="+", type=Path, metavar="DB", help="databases to merge")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", required=True, help="the merged database")
    return parser


def stats_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factdesk stats",
        description="Per-reviewer counts (verified, disputed, notes) and agreement between reviewers "
        "(Cohen's kappa over the claims both marked). With --db and no PATH, the database alone is read.",
    )
    add_corpus_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument(
        "--outlets",
        action="store_true",
        help="the outlet record instead: each outlet's verdict counts across every corpus in the database",
    )
    parser.add_argument("--reviewer", metavar="NAME", help="with --outlets: count only NAME's marks")
    return parser


def import_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factdesk import",
        description="Read marks from a W3C Web Annotation file (as written by 'factdesk export --format "
        "annotations') into the database. Per claim and reviewer the later change wins.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the Web Annotation JSON-LD file")
    add_corpus_arguments(parser)
    parser.add_argument(
        "--reviewer",
        metavar="NAME",
        help="name for annotations without a creator (default: your name, else 'imported')",
    )
    return parser


def restore_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factdesk restore",
        description="Put the last good copy of a database (FILE.bak, made when a session opened it) back in "
        "place. The current file is kept beside it as FILE.before-restore.",
    )
    add_corpus_arguments(parser)
    parser.add_argument("--force", action="store_true", help="restore even if the database is readable")
    return parser


def run_merge(args: argparse.Namespace) -> int:
    from factdesk.annotations.review.merge import merge_databases
    from factdesk.annotations.storage.errors import StoreError

    try:
        report = merge_databases(args.inputs, args.output)
    except StoreError as error:
        raise Failure(str(error)) from None
    warn(report.summary())
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from factdesk.annotations.export.interop import dumps_safe
    from factdesk.annotations.review.agreement import agreement_json, agreement_text, summarize_marks
    from factdesk.annotations.text.textsafety import strip_controls

    if args.reviewer is not None and not args.outlets:
        raise Failure("--reviewer goes with --outlets (the agreement table always shows every reviewer)")
    path = db_path(args.db, args.paths)
    if not path.is_file():
        raise Failure(f"{path}: no such database (nothing has been marked yet?)")
    if args.outlets:
        return _outlet_stats(args, path)
    with open_store(path, [], read_only=True) as store:
        if args.db is not None and not args.paths:
            report = summarize_marks(store.marks())
        else:
            from factdesk.annotations.pipeline.analysis import analyze
            from factdesk.annotations.review.review import Review

            report = Review(analyze(load(args.paths)), store, reviewer_name(None), reattach=False).agreement()
    if args.json:
        data = {"database": str(path), **agreement_json(report)}
        sys.stdout.write(dumps_safe(data))
    else:
        sys.stdout.write(f"Database: {strip_controls(str(path))}\n\n")
        sys.stdout.write(agreement_text(report, clean=strip_controls))
    return 0


def _outlet_stats(args: argparse.Namespace, path: Path) -> int:
    """``stats --outlets``: the outlet record of every mark in the database (PATH, when given, also names the
    outlets of its articles for marks that recorded none)."""
    from factdesk.annotations.export.interop import dumps_safe
    from factdesk.annotations.review.outlet_record import OutletResolver, outlet_record, record_json, record_text
    from factdesk.annotations.storage.outlets import read_outlets
    from factdesk.annotations.text.textsafety import strip_controls

    known = {a.id: a.source for a in load(args.paths).articles} if args.paths else {}
    with open_store(path, [], read_only=True) as store:
        record = outlet_record(
            store.marks(), OutletResolver(read_outlets(store), known), reviewer=args.reviewer or None
        )
    if args.json:
        sys.stdout.write(dumps_safe({"database": str(path), **record_json(record)}))
    else:
        sys.stdout.write(f"Database: {strip_controls(str(path))}\n\n")
        sys.stdout.write(record_text(record, clean=strip_controls))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from factdesk.annotations.export.interop import annotations_to_marks
    from factdesk.annotations.storage.errors import StoreError

    try:
        raw = args.file.read_bytes()
    except OSError as error:
        raise Failure(f"cannot read {args.file}: {error.strerror or error}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Failure(f"{args.file} is not a JSON file (expected W3C Web Annotations)") from None
    resolve = _resolver(args.paths) if args.paths else None
    result = annotations_to_marks(data, resolve=resolve, default_reviewer=reviewer_name(args.reviewer) or "imported")
    for problem in result.problems:
        warn(f"{args.file}: skipped {problem.message}")
    if not result.marks:
        raise Failure(f"{args.file}: no annotation could be imported")
    store = open_store(args.db, args.paths)
    with store:
        try:
            added = store.add_marks(result.marks, action="import")
        except StoreError as error:
            raise Failure(str(error)) from None
    warn(
        f"imported {len(result.marks)} marks into {store.path}: {added.added} new, {added.replaced} updated, "
        f"{added.unchanged} already there, {added.kept} kept (the database had a later change)"
    )
    return 0


def _resolver(paths: list[Path]):
    """Map an annotation's source (a ``file:`` URL or a path) to an article of the corpus at ``paths``:
    by full path, else by file name when exactly one article has it."""
    from urllib.parse import unquote, urlparse

    corpus = load(paths)
    by_path = {str(Path(a.path).resolve()): (a.id, a.text) for a in corpus.articles}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for article in corpus.articles:
        by_name.setdefault(Path(article.path).name, []).append((article.id, article.text))

    def resolve(source: str) -> tuple[str, str] | None:
        path = unquote(urlparse(source).path) if source.startswith("file:") else source
        found = by_path.get(path)
        if found is None:
            named = by_name.get(Path(path).name, [])
            found = named[0] if len(named) == 1 else None
        return found

    return resolve


def run_restore(args: argparse.Namespace) -> int:
    from factdesk.annotations.storage.dbfile import restore_backup
    from factdesk.annotations.storage.errors import StoreError

    path = db_path(args.db, args.paths)
    try:
        message = restore_backup(path, force=args.force)
    except StoreError as error:
        raise Failure(str(error)) from None
    warn(message)
    return 0
