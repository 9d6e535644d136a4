"""Hostile input through the command line: no crash, a clear message, nothing lost, nothing active.

Every case runs ``factdesk`` as a user would and checks the same four things: no
traceback, a one-line message where something was refused, the reviewer's marks still
there, and no escape sequence (ANSI, OSC — including OSC 52, which writes the clipboard —
C1 controls, bidi overrides, zero-width characters) in anything printed. Briefs must stay
valid CommonMark with no live HTML.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from factdesk.annotations.export.interop import dumps_safe, marks_to_collection
from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.dbfile import backup_path
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus
from factdesk.cli import main

REPO = Path(__file__).resolve().parent.parent
# Raw control/invisible characters that must never reach a terminal.
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

ESCAPES = (
    "Homs, December 9: rebels \x1b[31mseized\x1b[0m the city, said Abu \u202eMohammed\u202c on Sunday.\n"
    "The UN said\u200b 300,000 people fled\x1b]52;c;cm0gLXJmIH4=\x07 in a week, according to \x9b2J officials.\n"
    "A link \x1b]8;;https://evil.invalid\x1b\\here\x1b]8;;\x1b\\ was posted in Damascus on Monday.\n"
)
MARKDOWN = (
    "# Not a heading: rebels *claim* __victory__ in Homs on Sunday.\n"
    "Officials said <script>alert('x')</script> and [a link](javascript:alert(1)) were fake.\n"
    "| a | table | row | said the 2 commanders in Damascus.\n"
    "1. An ordered claim about 5 tanks near Hama on Monday.\n"
)
HOSTILE_NOTE = "Source: <img src=x onerror=alert(1)> **bold** [x](javascript:y) \x1b]52;c;aGk=\x07 \u202egnp.exe"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "factdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=timeout, errors="surrogateescape")


def assert_inert(result: subprocess.CompletedProcess[str]) -> None:
    for stream in (result.stdout, result.stderr):
        found = ACTIVE.search(stream.replace("\n", "").replace("\t", ""))
        assert found is None, f"active character {found.group()!r} in output" if found else ""
    assert "Traceback" not in result.stderr


def assert_commonmark_without_html(markdown: str) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not {k for k in kinds if k.startswith("html")}, kinds
    assert "link_open" not in kinds and "image" not in kinds


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Caf\xe9 owners in Homs said 12 shops closed on Sunday.\n".encode("latin-1"))
    (folder / "escapes.txt").write_text(ESCAPES, encoding="utf-8")
    (folder / "markdown.txt").write_text(MARKDOWN, encoding="utf-8")
    (folder / "bad\x1b[2Jname.txt").write_text("Rebels entered Aleppo on Friday, witnesses said.\n", encoding="utf-8")
    return folder


def mark_everything(folder: Path) -> Store:
    """Verify or dispute every claim of the corpus, with a hostile note on each."""
    store = Store.open(folder / "factdesk.json")
    review = Review(analyze(load_corpus([folder])), store, "ev\x1b[1mil\u202e")
    for n, article in enumerate(review.analysis.articles):
        for m, claim in enumerate(article.claims):
            ref = ClaimRef(article.article.id, claim.index)
            review.set_status(ref, Status.VERIFIED if (n + m) % 2 else Status.DISPUTED)
            review.set_note(ref, HOSTILE_NOTE)
    return store


def test_analyze_survives_hostile_files(hostile: Path) -> None:
    result = run("analyze", str(hostile))
    assert result.returncode == 0
    assert_inert(result)
    assert "binary.txt: skipped" in result.stderr and "empty.txt: skipped — empty file" in result.stderr
    assert result.stdout.count("claims,") == 4  # escapes, markdown, latin1, the badly named one
    as_json = run("analyze", str(hostile), "--json")
    assert as_json.returncode == 0
    assert_inert(as_json)
    assert len(json.loads(as_json.stdout)["articles"]) == 4


def test_export_of_hostile_claims_and_notes_is_inert_and_complete(hostile: Path) -> None:
    store = mark_everything(hostile)
    marks = store.marks()
    verdicts = sum(1 for m in marks if m.status is not Status.UNREVIEWED)
    markdown = run("export", str(hostile))
    assert markdown.returncode == 0
    assert_inert(markdown)
    assert_commonmark_without_html(markdown.stdout)
    brief = markdown.stdout
    assert not re.search(r"(?<!\\)<img", brief) and brief.count(r"\<img src=x") == len(marks)  # every note, escaped
    counted = re.search(r"(\d+) verified, (\d+) disputed", brief)
    assert counted and int(counted.group(1)) + int(counted.group(2)) == verdicts  # nothing lost

    as_json = run("export", str(hostile), "--format", "json")
    assert as_json.returncode == 0
    assert_inert(as_json)
    data = json.loads(as_json.stdout)
    assert len(data["verified"]) + len(data["disputed"]) == verdicts

    annotations = run("export", str(hostile), "--format", "annotations")
    assert annotations.returncode == 0
    assert_inert(annotations)
    items = json.loads(annotations.stdout)["first"]["items"]
    assert {b["value"] for i in items for b in i["body"] if b["purpose"] == "commenting"} == {HOSTILE_NOTE}

    reviews = run("export", str(hostile), "--format", "claimreview")
    assert reviews.returncode == 0
    assert_inert(reviews)
    assert len(json.loads(reviews.stdout)) == verdicts

    stats = run("stats", "--db", str(hostile / "factdesk.json"))
    assert stats.returncode == 0
    assert_inert(stats)


def test_truncated_database(hostile: Path) -> None:
    mark_everything(hostile).close()
    db = hostile / "factdesk.json"
    Store.open(db).close()  # the next session made the backup
    annotations = hostile.parent / "marks.jsonld"
    annotations.write_text(dumps_safe(marks_to_collection(Store.open(db, read_only=True).marks())), encoding="utf-8")
    torn = db.read_bytes()[:-200]
    db.write_bytes(torn)
    for command in (
        ["export", str(hostile)],
        ["stats", "--db", str(db)],
        ["import", str(annotations), "--db", str(db)],
    ):
        result = run(*command)
        assert result.returncode == 1, command
        assert_inert(result)
        last = result.stderr.splitlines()[-1]  # after the corpus' own notices (binary, empty files)
        assert "damaged" in last and "restore" in last
    export = run("export", str(hostile))
    assert str(backup_path(db)) in export.stderr and "factdesk restore" in export.stderr
    assert db.read_bytes() == torn


def test_valid_json_that_is_not_ours(hostile: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "settings.json"
    content = b'{"theme": "dark", "recent": ["a.txt"]}\n'
    foreign.write_bytes(content)
    for command in (
        ["export", str(hostile), "--db", str(foreign)],
        ["analyze", str(hostile)],
        ["merge", str(foreign), "-o", str(tmp_path / "m.json")],
        ["merge", str(hostile / "markdown.txt"), "-o", str(foreign)],
        ["restore", "--db", str(foreign)],
    ):
        result = run(*command)
        assert_inert(result)
        if command[0] != "analyze":
            assert result.returncode == 1, command
            assert "not a factdesk database" in result.stderr or "no backup" in result.stderr, command
    assert foreign.read_bytes() == content
    assert not (tmp_path / "m.json").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions; see the in-process variant below")
def test_read_only_database_by_permissions(hostile: Path) -> None:  # pragma: no cover - non-root only
    store = mark_everything(hostile)
    store.close()
    db = hostile / "factdesk.json"
    before = db.read_bytes()
    os.chmod(db, 0o444)
    try:
        export = run("export", str(hostile))
        assert export.returncode == 0 and "read-only" in export.stderr
        assert_inert(export)
        imported = run("import", str(db), "--db", str(db))
        assert imported.returncode == 1 and "read-only" in imported.stderr
        assert db.read_bytes() == before
    finally:
        os.chmod(db, 0o644)


def test_read_only_database_in_process(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same as above, whoever runs it: the store sees a file it may not write (as ``os.access`` says)."""
    mark_everything(hostile).close()
    db = hostile / "factdesk.json"
    before = db.read_bytes()
    real_access = os.access

    def no_write(path, mode, *args, **kwargs):
        if Path(path) == db and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", no_write)
    assert main(["export", str(hostile)]) == 0
    out, err = capsys.readouterr()
    assert "read-only" in err and "## Verified claims" in out
    exported = tmp_path / "a.json"
    assert main(["export", str(hostile), "--format", "annotations", "-o", str(exported)]) == 0
    assert main(["import", str(exported), "--db", str(db)]) == 1
    _, err = capsys.readouterr()
    assert "read-only" in err and "Traceback" not in err
    assert db.read_bytes() == before


@pytest.mark.slow
def test_ten_megabyte_article(tmp_path: Path) -> None:
    """A 10 MB article (the seeds, repeated) opens and exports in bounded time; prints the time it took.

    Measured: ~24 s before ``compare()`` joined the analysis, ~110 s after (its per-claim
    ``ArticleAnalysis.entities_in`` scans are quadratic on one huge article). The timeout is
    generous so the test measures rather than flakes; the figure is printed.
    """
    seeds = "".join(p.read_text(encoding="utf-8") + "\n" for p in sorted((REPO / "seeds").glob("*.txt")))
    big = tmp_path / "big.txt"
    big.write_text(seeds * (10 * 1024 * 1024 // len(seeds.encode()) + 1), encoding="utf-8")
    assert big.stat().st_size >= 10 * 1024 * 1024
    started = time.monotonic()
    result = run("export", str(big), "--db", str(tmp_path / "db.json"), timeout=300)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert_inert(result)
    assert_commonmark_without_html(result.stdout)
    claims = re.search(r"(\d+) claims: 0 verified", result.stdout)
    assert claims and int(claims.group(1)) > 50_000
    print(f"\n10 MB article: export took {elapsed:.1f} s")
