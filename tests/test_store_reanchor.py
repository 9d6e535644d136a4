"""Marks follow their claim when the article file is edited; what cannot follow is kept as an orphan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from factdesk.annotations.export.briefs import brief_markdown
from factdesk.annotations.model import ClaimRef, Status
from factdesk.annotations.pipeline.analysis import analyze
from factdesk.annotations.review.anchor import inline_diff, locate_fuzzy, make_anchor, same_facts
from factdesk.annotations.review.review import Review
from factdesk.annotations.storage.records import mark_path
from factdesk.annotations.storage.store import Store
from factdesk.annotations.text.corpus import load_corpus

WITHDRAWAL = "Syrian goverment forces have withdrawn from the strategic city of Homs, officials said."
DISPLACED = "The fighting has caused massive displacement, with over 300,000 fleeing in a week, according to the UN."
PRISON = "Rebels have reportedly gained control of the city center, including its central prison."
PROTESTS = "In Damascus, protests have erupted in several suburbs."
V1 = f"{WITHDRAWAL} {DISPLACED}\n{PRISON} {PROTESTS}\n"


def review_of(folder: Path, store: Store, reviewer: str = "alice") -> Review:
    return Review(analyze(load_corpus([folder])), store, reviewer)


def ref_of(review: Review, sentence: str) -> ClaimRef:
    article = review.analysis.articles[0]
    for claim in article.claims:
        if article.sentence_text(claim) == sentence:
            return ClaimRef(article.article.id, claim.index)
    raise AssertionError(f"no claim {sentence!r}")


@pytest.fixture
def marked(tmp_path: Path) -> tuple[Path, Path]:
    """A one-article corpus with three marks by alice and one by bob; returns (folder, db)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "homs.txt").write_text(V1, encoding="utf-8")
    db = tmp_path / "factdesk.json"
    store = Store.open(db)
    alice = review_of(folder, store)
    alice.set_status(ref_of(alice, WITHDRAWAL), Status.VERIFIED)
    alice.set_status(ref_of(alice, DISPLACED), Status.DISPUTED)
    alice.set_note(ref_of(alice, DISPLACED), "UNHCR says otherwise")
    alice.set_note(ref_of(alice, PRISON), "check the prison")
    bob = review_of(folder, store, "bob")
    bob.set_status(ref_of(bob, PRISON), Status.VERIFIED)
    assert all(mark_path(m) == str((folder / "homs.txt").resolve()) for m in store.marks())
    store.close()
    return folder, db


def test_marks_follow_an_edited_article(marked: tuple[Path, Path]) -> None:
    folder, db = marked
    fixed = WITHDRAWAL.replace("goverment", "government")  # a typo fixed
    new_text = f"Homs (updated)\nA paragraph added at the top of the story.\n{fixed} {DISPLACED}\n{PRISON} {PROTESTS}\n"
    (folder / "homs.txt").write_text(new_text, encoding="utf-8")
    store = Store.open(db)
    review = review_of(folder, store)
    assert review.orphans == []
    how = {(r.old.reviewer, r.old.anchor.quote): r.how for r in review.reattached}
    assert how == {
        ("alice", WITHDRAWAL): "fuzzy",
        ("alice", DISPLACED): "moved",
        ("alice", PRISON): "moved",
        ("bob", PRISON): "moved",
    }
    assert all(r.saved for r in review.reattached)
    assert review.status(ref_of(review, fixed)) is Status.VERIFIED
    assert review.mark(ref_of(review, DISPLACED)).note == "UNHCR says otherwise"
    assert set(review.verdicts(ref_of(review, PRISON))) == {"alice", "bob"}
    # Migrated in the store: new article id, anchor on the new text — it sticks.
    new_id = review.analysis.articles[0].article.id
    assert {m.article_id for m in store.marks()} == {new_id}
    moved = store.mark(
        new_id, make_anchor(new_text, new_text.index(fixed), new_text.index(fixed) + len(fixed)), "alice"
    )
    assert moved is not None and moved.status is Status.VERIFIED
    assert [e.action for e in review.history(ref_of(review, fixed))] == ["set", "reanchor"]
    again = review_of(folder, Store.open(db))
    assert again.reattached == [] and again.orphans == []
    assert again.status(ref_of(again, fixed)) is Status.VERIFIED


def test_a_changed_figure_never_reattaches_and_is_kept_as_an_orphan(marked: tuple[Path, Path]) -> None:
    folder, db = marked
    changed = DISPLACED.replace("300,000", "370,000")
    (folder / "homs.txt").write_text(f"{WITHDRAWAL} {changed}\n{PRISON} {PROTESTS}\n", encoding="utf-8")
    store = Store.open(db)
    review = review_of(folder, store)
    [orphan] = review.orphans
    assert orphan.anchor.quote == DISPLACED and orphan.status is Status.DISPUTED
    assert review.mark(ref_of(review, changed)) is None  # not silently moved onto "370,000"
    closest, diff = review.orphan_diff(orphan)
    assert closest == changed
    assert "[-300-]{+370+}" in diff and diff.startswith("The fighting")
    assert review.orphan_article(orphan) is review.analysis.articles[0]
    # Never dropped: still in the store, and in the brief's appendix.
    assert any(m.anchor.quote == DISPLACED for m in store.marks())
    brief = brief_markdown(review)
    appendix = brief.split("## Appendix: marks whose claim could not be found (1)")[1]
    assert "300,000 fleeing" in appendix and "UNHCR says otherwise" in appendix
    assert not any(t.type.startswith("html") for t in MarkdownIt("commonmark").parse(brief))
    assert [e.describe() for e in review.mark_history(orphan)] == [
        "alice: unreviewed → disputed",
        "alice: note added",
    ]


def test_a_changed_name_never_reattaches(marked: tuple[Path, Path]) -> None:
    folder, db = marked
    (folder / "homs.txt").write_text(V1.replace("Damascus", "Aleppo"), encoding="utf-8")
    review = review_of(folder, Store.open(db))
    assert review.orphans == []  # PROTESTS was not marked; the others moved exactly
    store = Store.open(db)
    store.close()
    (folder / "homs.txt").write_text(V1.replace("Homs", "Hama"), encoding="utf-8")
    review = review_of(folder, Store.open(db))
    assert [o.anchor.quote for o in review.orphans] == [WITHDRAWAL]


def test_an_article_moved_to_another_folder_is_found_by_name(marked: tuple[Path, Path], tmp_path: Path) -> None:
    folder, db = marked
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(folder / "homs.txt", elsewhere / "homs.txt")
    text = (elsewhere / "homs.txt").read_text(encoding="utf-8")
    (elsewhere / "homs.txt").write_text("Intro line.\n" + text, encoding="utf-8")
    review = review_of(elsewhere, Store.open(db))
    assert review.orphans == [] and len(review.reattached) == 4
    assert {mark_path(m) for m in review.store.marks()} == {str((elsewhere / "homs.txt").resolve())}


def test_read_only_store_shows_reattached_marks_without_saving(marked: tuple[Path, Path]) -> None:
    folder, db = marked
    (folder / "homs.txt").write_text("New intro.\n" + V1, encoding="utf-8")
    before = db.read_bytes()
    review = review_of(folder, Store.open(db, read_only=True))
    assert len(review.reattached) == 4 and not any(r.saved for r in review.reattached)
    assert review.status(ref_of(review, WITHDRAWAL)) is Status.VERIFIED
    assert db.read_bytes() == before


# --------------------------------------------------------------------------- the matcher itself


@pytest.mark.parametrize(
    "old,new,same",
    [
        ("over 300,000 fled", "over 370,000 fled", False),
        ("over 300,000 fled", "over 300000 fled", True),
        ("five to 10 days", "six to 10 days", False),
        ("Assad fled to Moscow.", "Putin fled to Moscow.", False),
        ("Rebels took Homs.", "Rebels took Hama.", False),
        ("Syrian goverment forces left.", "Syrian government forces left.", True),
        ("The rebels took the city.", "Rebels took the city.", True),  # an opener is not a name
        ("Iran sent troops.", "Iraq sent troops.", False),
        ("Rebels took the city.", "The rebels took the city.", True),
    ],
)
def test_same_facts(old: str, new: str, same: bool) -> None:
    assert same_facts(old, new) is same


def test_locate_fuzzy_needs_similarity_and_the_same_facts() -> None:
    old_text = "Rebels seized the central prison on Sunday, witnesses said."
    anchor = make_anchor(old_text, 0, len(old_text))
    edited = "Rebels seized the central jail on Sunday, witnesses said."
    other = "Protests erupted in several suburbs of the capital overnight."
    text = f"{other} {edited}"
    spans = [(0, len(other)), (len(other) + 1, len(text))]
    assert locate_fuzzy(anchor, text, spans) == spans[1]
    assert locate_fuzzy(anchor, text, spans[:1]) is None  # nothing similar enough
    figure = text.replace("Sunday", "Monday")
    assert locate_fuzzy(anchor, figure, spans) is None  # a different day is a different fact


def test_inline_diff() -> None:
    assert inline_diff("over 300,000 fled", "over 370,000 fled") == "over [-300-]{+370+},000 fled"
    assert inline_diff("a b", "a b") == "a b"
    assert inline_diff("a", "") == "[-a-]"
