"""W3C Web Annotation export/import (lossless round trip) and schema.org ClaimReview export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factdesk.annotations.export.interop import annotations_to_marks, dumps_safe, mark_to_annotation
from factdesk.annotations.model import Anchor, ClaimRef, Mark, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.locations import default_db_path
from factdesk.annotations.storage.records import mark_to_record
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
NOTE = "UNHCR: “370,000” — not 300,000 | *check* <b>this</b>\nsecond line \x1b]52;c;aGk=\x07"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "factdesk", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)


@pytest.fixture
def marked(seeds_copy: Path) -> tuple[Path, Review]:
    """Seeds with marks by two reviewers (one disagreement, notes, a note-only mark)."""
    analysis = analyze(load_corpus([seeds_copy]))
    store = Store.open(default_db_path([seeds_copy]))
    alice, bob = Review(analysis, store, "alice"), Review(analysis, store, "bob")
    first, second = analysis.articles[0], analysis.articles[3]
    a = [ClaimRef(first.article.id, s.index) for s in first.claims[:3]]
    b = ClaimRef(second.article.id, second.claims[1].index)
    alice.set_status(a[0], Status.VERIFIED)
    alice.set_status(a[1], Status.DISPUTED)
    alice.set_note(a[1], NOTE)
    alice.set_note(a[2], "only a note")
    bob.set_status(a[0], Status.DISPUTED)
    bob.set_status(b, Status.VERIFIED)
    return seeds_copy, alice


def records(store: Store) -> list[dict]:
    return sorted((mark_to_record(m) for m in store.marks()), key=lambda r: json.dumps(r, sort_keys=True))


def test_web_annotation_export_shape(marked: tuple[Path, Review]) -> None:
    folder, _ = marked
    result = run("export", str(folder), "--format", "annotations")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    data = json.loads(result.stdout)
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 5
    items = data["first"]["items"]
    assert data["first"]["type"] == "AnnotationPage" and len(items) == 5
    for item in items:
        assert item["type"] == "Annotation" and item["id"].startswith("urn:")
        assert item["creator"]["type"] == "Person" and item["creator"]["name"] in {"alice", "bob"}
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
        target = item["target"]
        assert target["source"].startswith("file://") and target["source"].endswith(".txt")
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and set(quote) >= {"exact", "prefix", "suffix"}
        assert position["type"] == "TextPositionSelector"
        text = Path(target["source"][len("file://") :]).read_text(encoding="utf-8")
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
    purposes = {(b["purpose"], b["value"]) for item in items for b in item["body"]}
    assert ("assessing", "verified") in purposes and ("assessing", "disputed") in purposes
    assert ("commenting", NOTE) in purposes  # the note as written: JSON escapes, not lost
    note_only = [i for i in items if i["motivation"] == "commenting"]
    assert len(note_only) == 1 and note_only[0]["body"] == [
        {"type": "TextualBody", "purpose": "commenting", "value": "only a note", "format": "text/plain"}
    ]


def test_export_then_import_into_an_empty_database_is_lossless(marked: tuple[Path, Review], tmp_path: Path) -> None:
    folder, review = marked
    exported = tmp_path / "marks.jsonld"
    result = run("export", str(folder), "--format", "annotations", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    empty = tmp_path / "empty.json"
    imported = run("import", str(exported), "--db", str(empty))
    assert imported.returncode == 0, imported.stderr
    assert "5 new" in imported.stderr
    original = Store.open(default_db_path([folder]))
    copy = Store.open(empty)
    assert records(copy) == records(original)  # marks, notes, reviewers, times, anchors, paths
    assert {(m.reviewer, m.updated) for m in copy.marks()} == {(m.reviewer, m.updated) for m in original.marks()}
    again = run("import", str(exported), "--db", str(empty))
    assert again.returncode == 0 and "5 already there" in again.stderr
    # …and the reader sees them on the same claims.
    reread = Review(review.analysis, Store.open(empty), "alice")
    before = Review(review.analysis, original, "alice")
    assert reread.marks() == before.marks() and len(reread.marks()) == 4
    assert reread.disagreements() == before.disagreements() != []


def test_import_finds_articles_by_file_when_the_id_is_missing(marked: tuple[Path, Review], tmp_path: Path) -> None:
    folder, review = marked
    store = review.store
    data = json.loads(dumps_safe({"items": [mark_to_annotation(m) for m in store.marks()]}))
    for item in data["items"]:
        del item["target"]["factdesk:articleId"]
        del item["target"]["selector"][1]  # no position either: found by quote + context
    result = annotations_to_marks(data)
    assert len(result.problems) == 5 and not result.marks  # nothing says which article
    source = tmp_path / "foreign.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    empty = tmp_path / "empty.json"
    imported = run("import", str(source), str(folder), "--db", str(empty))
    assert imported.returncode == 0, imported.stderr
    assert {(m.article_id, m.anchor.start, m.reviewer, m.status) for m in Store.open(empty).marks()} == {
        (m.article_id, m.anchor.start, m.reviewer, m.status) for m in store.marks()
    }


def test_import_reports_bad_annotations_and_keeps_the_good(tmp_path: Path) -> None:
    good = mark_to_annotation(
        Mark("art-1", Anchor("Homs fell.", "", "", 0, 10), Status.VERIFIED, "", "zoe", "2024-12-09T10:00:00Z")
    )
    data = [good, {"type": "Annotation", "target": "http://example.invalid/x"}, "junk", {"body": []}]
    result = annotations_to_marks(data)
    assert len(result.marks) == 1 and result.marks[0].reviewer == "zoe"
    assert len(result.problems) == 3
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    cli = run("import", str(path), "--db", str(tmp_path / "db.json"))
    assert cli.returncode == 0 and cli.stderr.count("skipped") == 3
    not_json = tmp_path / "x.json"
    not_json.write_bytes(b"\x89PNG\x00\x00")
    failed = run("import", str(not_json), "--db", str(tmp_path / "db.json"))
    assert failed.returncode == 1 and "not a JSON file" in failed.stderr and "Traceback" not in failed.stderr


def test_claimreview_export(marked: tuple[Path, Review]) -> None:
    folder, review = marked
    result = run("export", str(folder), "--format", "claimreview")
    assert result.returncode == 0, result.stderr
    reviews = json.loads(result.stdout)
    assert isinstance(reviews, list) and len(reviews) == 4  # verdicts only: 3 by alice/bob on a[0..1], bob's b
    first = review.analysis.articles[0]
    claim_text = first.sentence_text(first.claims[0])
    on_first = [r for r in reviews if r["claimReviewed"] == claim_text]
    assert {(r["author"]["name"], r["reviewRating"]["alternateName"]) for r in on_first} == {
        ("alice", "Verified"),
        ("bob", "Disputed"),
    }
    for item in reviews:
        assert item["@context"] == "https://schema.org" and item["@type"] == "ClaimReview"
        assert item["itemReviewed"]["@type"] == "Claim"
        assert item["itemReviewed"]["author"]["name"]  # the source
        assert item["itemReviewed"]["appearance"]["url"].startswith("file://")
        assert item["reviewRating"]["alternateName"] in {"Verified", "Disputed"}
        assert item["author"]["@type"] == "Person"
        assert len(item["datePublished"]) == 10
    disputed = next(r for r in reviews if r.get("reviewBody"))
    assert "\x1b" not in disputed["reviewBody"] and "370,000" in disputed["reviewBody"]


def test_dumps_safe_escapes_terminal_active_characters() -> None:
    text = dumps_safe({"a": "x\x1b[31m\x9b2J\u202e\u200b\x7fy"})
    assert json.loads(text) == {"a": "x\x1b[31m\x9b2J\u202e\u200b\x7fy"}
    assert all(ch not in text for ch in "\x1b\x9b\u202e\u200b\x7f")
