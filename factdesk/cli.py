"""The ``factdesk`` command: open the reader, export a brief, or print the analysis.

Subcommands: ``export`` (brief as Markdown/JSON, marks as W3C Web Annotations or
schema.org ClaimReview), ``analyze``, ``merge`` (reviewers' databases into one),
``stats`` (per-reviewer counts and Cohen's kappa), ``import`` (Web Annotations back
into a database) and ``restore`` (put ``<db>.bak`` back over a damaged database).

Only the reader imports Textual (lazily), so the subcommands start fast and run on
machines without a terminal. No traceback ever reaches the user: one line on stderr
(control characters neutralised), exit 2 for usage errors, 1 for failures.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from factdesk import __version__
from factdesk.annotations.storage.locations import DB_RULE_HELP
from factdesk.annotations.text.textsafety import json_dumps_safe

EXPORT_FORMATS = ("markdown", "json", "annotations", "claimreview")
EXIT_FAILURE = 1
EXIT_USAGE = 2
SUBCOMMANDS = ("export", "analyze", "merge", "stats", "import", "restore")


class Failure(Exception):
    """A problem to report in one line and exit 1."""


class _Parser(argparse.ArgumentParser):
    """One-line usage errors (exit 2), and ``--version`` on every command."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.add_argument("--version", action="version", version=f"factdesk {__version__}")

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
        epilog="Other commands: 'factdesk export --help', 'factdesk analyze --help', 'factdesk merge --help', "
        "'factdesk stats --help', 'factdesk import --help', 'factdesk restore --help'.",
    )
    _common(parser)
    parser.add_argument("--reviewer", metavar="NAME", help="your name on marks (default: $FACTDESK_REVIEWER or login)")
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. factdesk-dark, factdesk-light")
    return parser


def export_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factdesk export",
        description="Print the reviewed brief (Markdown or JSON), or every mark as W3C Web Annotations "
        "(--format annotations) or schema.org ClaimReview (--format claimreview).",
    )
    _common(parser)
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="markdown")
    parser.add_argument("--all", action="store_true", help="also list the unreviewed claims")
    parser.add_argument(
        "--agreement", action="store_true", help="add a section on agreement between reviewers to the brief"
    )
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    return parser


def analyze_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factdesk analyze", description="Print sentences, entities and numbers of each article.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="articles or folders (default: seeds)")
    parser.add_argument("--json", action="store_true", help="print the analysis as one JSON object")
    return parser


def merge_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factdesk merge",
        description="Combine reviewers' databases into one. Nothing is lost: each reviewer keeps their own "
        "verdicts (disagreements stay visible); the same reviewer's conflicting changes are resolved by time "
        "and both stay in the history. An existing OUTPUT database is merged into, not replaced.",
    )
    parser.add_argument("inputs", nargs="+", type=Path, metavar="DB", help="databases to merge")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", required=True, help="the merged database")
    return parser


def stats_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factdesk stats",
        description="Per-reviewer counts (verified, disputed, notes) and agreement between reviewers "
        "(Cohen's kappa over the claims both marked). With --db and no PATH, the database alone is read.",
    )
    _common(parser)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    return parser


def import_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factdesk import",
        description="Read marks from a W3C Web Annotation file (as written by 'factdesk export --format "
        "annotations') into the database. Per claim and reviewer the later change wins.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the Web Annotation JSON-LD file")
    _common(parser)
    parser.add_argument(
        "--reviewer", metavar="NAME", help="name for annotations without a creator (default: your name)"
    )
    return parser


def restore_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factdesk restore",
        description="Put the last good copy of a database (FILE.bak, made when a session opened it) back in "
        "place. The current file is kept beside it as FILE.before-restore.",
    )
    _common(parser)
    parser.add_argument("--force", action="store_true", help="restore even if the database is readable")
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
    from factdesk.annotations.text.corpus import bundled_seeds, load_corpus

    corpus = load_corpus(paths or [bundled_seeds()])
    for problem in corpus.problems:
        _warn(problem.message)
    if not corpus.articles:
        raise Failure("no readable articles to open")
    return corpus


def _open_store(db: Path | None, paths: list[Path]):
    from factdesk.annotations.storage.locations import default_db_path
    from factdesk.annotations.storage.store import DamagedDatabase, Store, StoreError
    from factdesk.annotations.text.corpus import bundled_seeds

    path = db or default_db_path(paths or [bundled_seeds()])
    try:
        store = Store.open(path)
    except DamagedDatabase as error:
        raise Failure(f"{error}. {_restore_hint(path)}") from None
    except StoreError as error:
        raise Failure(str(error)) from None
    if store.notice:
        _warn(store.notice)
    return store


def _db_path(db: Path | None, paths: list[Path]) -> Path:
    from factdesk.annotations.storage.locations import default_db_path
    from factdesk.annotations.text.corpus import bundled_seeds

    return db or default_db_path(paths or [bundled_seeds()])


def _restore_hint(path: Path) -> str:
    from factdesk.annotations.storage.store import backup_path

    if not backup_path(path).exists():
        return "Nothing was changed"
    return f"To go back to the last good copy: factdesk restore --db {path} (the damaged file is kept)"


def _warn(message: str) -> None:
    from factdesk.annotations.text.textsafety import strip_controls

    sys.stderr.write(f"factdesk: {strip_controls(message)}\n")


def run_analyze(args: argparse.Namespace) -> int:
    from factdesk.annotations.pipeline.analysis import analyze, to_json

    corpus = _load(args.paths)
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


def _export_text(review, args: argparse.Namespace) -> str:
    if args.format == "json":
        return review.brief_json(args.all, agreement=args.agreement)
    if args.format == "annotations":
        from factdesk.annotations.export.interop import dumps_safe, marks_to_collection

        paths = {a.article.id: str(Path(a.article.path).resolve()) for a in review.analysis.articles}
        return dumps_safe(marks_to_collection(review.store.marks(), paths=paths))
    if args.format == "claimreview":
        from factdesk.annotations.export.interop import claim_reviews, dumps_safe

        return dumps_safe(claim_reviews(review))
    return review.brief_markdown(args.all, agreement=args.agreement)


def run_export(args: argparse.Namespace) -> int:
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.atomic import atomic_write_text

    corpus = _load(args.paths)
    store = _open_store(args.db, args.paths)
    review = Review(analyze(corpus), store, reviewer=_reviewer(None))
    for notice in review.notices:
        _warn(notice)
    text = _export_text(review, args)
    if args.output:
        try:
            atomic_write_text(args.output, text)
        except OSError as error:
            raise Failure(f"cannot write {args.output}: {error.strerror or error}") from None
        what = "brief" if args.format in ("markdown", "json") else args.format
        _warn(f"{what} written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from factdesk.annotations.review.merge import merge_databases
    from factdesk.annotations.storage.store import StoreError

    try:
        report = merge_databases(args.inputs, args.output)
    except StoreError as error:
        raise Failure(str(error)) from None
    _warn(report.summary())
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from factdesk.annotations.export.interop import dumps_safe
    from factdesk.annotations.review.agreement import agreement_json, agreement_text, summarize_marks
    from factdesk.annotations.storage.store import DamagedDatabase, Store, StoreError
    from factdesk.annotations.text.textsafety import strip_controls

    path = _db_path(args.db, args.paths)
    if not path.is_file():
        raise Failure(f"{path}: no such database (nothing has been marked yet?)")
    try:
        store = Store.open(path, read_only=True)
    except DamagedDatabase as error:
        raise Failure(f"{error}. {_restore_hint(path)}") from None
    except StoreError as error:
        raise Failure(str(error)) from None
    with store:
        if args.db is not None and not args.paths:
            report = summarize_marks(store.marks())
        else:
            from factdesk.annotations.pipeline.analysis import analyze
            from factdesk.annotations.review.review import Review

            report = Review(analyze(_load(args.paths)), store, _reviewer(None), reattach=False).agreement()
    if args.json:
        data = {"database": str(path), **agreement_json(report)}
        sys.stdout.write(dumps_safe(data))
    else:
        sys.stdout.write(f"Database: {strip_controls(str(path))}\n\n")
        sys.stdout.write(agreement_text(report, clean=strip_controls))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from factdesk.annotations.export.interop import annotations_to_marks
    from factdesk.annotations.storage.store import StoreError

    try:
        raw = args.file.read_bytes()
    except OSError as error:
        raise Failure(f"cannot read {args.file}: {error.strerror or error}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Failure(f"{args.file} is not a JSON file (expected W3C Web Annotations)") from None
    resolve = None
    if args.paths:
        corpus = _load(args.paths)
        by_path = {str(Path(a.path).resolve()): (a.id, a.text) for a in corpus.articles}
        by_name: dict[str, list[tuple[str, str]]] = {}
        for article in corpus.articles:
            by_name.setdefault(Path(article.path).name, []).append((article.id, article.text))

        def resolve(source: str):
            from urllib.parse import unquote, urlparse

            path = unquote(urlparse(source).path) if source.startswith("file:") else source
            found = by_path.get(path)
            if found is None:
                named = by_name.get(Path(path).name, [])
                found = named[0] if len(named) == 1 else None
            return found

    result = annotations_to_marks(data, resolve=resolve, default_reviewer=_reviewer(args.reviewer))
    for problem in result.problems:
        _warn(f"{args.file}: skipped {problem.message}")
    if not result.marks:
        raise Failure(f"{args.file}: no annotation could be imported")
    store = _open_store(args.db, args.paths)
    with store:
        try:
            added = store.add_marks(result.marks, action="import")
        except StoreError as error:
            raise Failure(str(error)) from None
    _warn(
        f"imported {len(result.marks)} marks into {store.path}: {added.added} new, {added.replaced} updated, "
        f"{added.unchanged} already there, {added.kept} kept (the database had a later change)"
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from factdesk.annotations.storage.store import StoreError, restore_backup

    path = _db_path(args.db, args.paths)
    try:
        message = restore_backup(path, force=args.force)
    except StoreError as error:
        raise Failure(str(error)) from None
    _warn(message)
    return 0


def run_reader(args: argparse.Namespace) -> int:
    corpus = _load(args.paths)
    store = _open_store(args.db, args.paths)
    from factdesk.tui.app import FactdeskApp

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
        if argv and argv[0] == "merge":
            return run_merge(merge_parser().parse_args(argv[1:]))
        if argv and argv[0] == "stats":
            return run_stats(stats_parser().parse_args(argv[1:]))
        if argv and argv[0] == "import":
            return run_import(import_parser().parse_args(argv[1:]))
        if argv and argv[0] == "restore":
            return run_restore(restore_parser().parse_args(argv[1:]))
        return run_reader(reader_parser().parse_args(argv))
    except Failure as failure:
        _warn(str(failure))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
