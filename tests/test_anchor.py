"""Claim anchors: building them and re-attaching marks after the text or the split changed."""

from __future__ import annotations

import pytest

from factdesk.annotations.model import Anchor, Mark, Status
from factdesk.annotations.review.anchor import (
    LOCATORS,
    attach_marks,
    context_score,
    locate_at_offsets,
    locate_moved,
    make_anchor,
    span_for,
)

S1 = "Syrian government forces have withdrawn from Homs."
S2 = "Rebels seized the central prison, where detainees were freed."
S3 = "Protests erupted in several suburbs of Damascus."
TEXT = f"{S1} {S2} {S3}"


def spans_of(text: str, *sentences: str) -> list[tuple[int, int]]:
    spans = []
    for sentence in sentences:
        start = text.index(sentence)
        spans.append((start, start + len(sentence)))
    return spans


def mark_on(text: str, sentence: str, *, updated: str = "2024-12-09T10:00:00Z") -> Mark:
    start = text.index(sentence)
    return Mark(
        article_id="a1",
        anchor=make_anchor(text, start, start + len(sentence)),
        status=Status.VERIFIED,
        reviewer="alice",
        updated=updated,
    )


# --------------------------------------------------------------------------- make_anchor


def test_make_anchor_takes_quote_and_context() -> None:
    start = TEXT.index(S2)
    anchor = make_anchor(TEXT, start, start + len(S2), context=10)
    assert anchor.quote == S2
    assert anchor.prefix == TEXT[start - 10 : start] == "rom Homs. "
    assert anchor.suffix == TEXT[start + len(S2) : start + len(S2) + 10] == " Protests "
    assert (anchor.start, anchor.end) == (start, start + len(S2))


def test_make_anchor_context_is_clipped_at_the_text_edges() -> None:
    anchor = make_anchor(TEXT, 0, len(S1))
    assert anchor.prefix == ""
    assert anchor.suffix == TEXT[len(S1) : len(S1) + 32]
    assert len(anchor.suffix) == 32
    end_anchor = make_anchor(TEXT, len(TEXT) - len(S3), len(TEXT))
    assert end_anchor.suffix == ""
    assert end_anchor.prefix == TEXT[len(TEXT) - len(S3) - 32 : len(TEXT) - len(S3)]


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 4), (0, len(TEXT) + 1)])
def test_make_anchor_rejects_spans_outside_the_text(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        make_anchor(TEXT, start, end)


# --------------------------------------------------------------------------- locators


def test_locators_are_exact_first_then_moved() -> None:
    assert LOCATORS[:2] == (locate_at_offsets, locate_moved)


def test_locate_at_offsets_requires_the_same_text_at_the_same_place() -> None:
    mark = mark_on(TEXT, S2)
    assert locate_at_offsets(mark.anchor, TEXT) == (mark.anchor.start, mark.anchor.end)
    assert locate_at_offsets(mark.anchor, "X" + TEXT) is None


def test_locate_moved_prefers_the_nearest_occurrence() -> None:
    text = f"{S1} {S2} {S1} {S3} {S1}"
    first, second = text.index(S1), text.index(S1, 1)
    anchor = make_anchor(text, second, second + len(S1))
    shifted = "Intro. " + text
    assert locate_moved(anchor, shifted) == (second + 7, second + 7 + len(S1))
    anchor_first = make_anchor(text, first, first + len(S1))
    assert locate_moved(anchor_first, shifted) == (7, 7 + len(S1))


def test_locate_moved_uses_context_to_break_a_distance_tie() -> None:
    quote = "Homs fell."
    text = f"AAAA {quote} BBBB {quote} CCCC"
    second = text.rindex(quote)
    anchor = make_anchor(text, second, second + len(quote), context=5)
    # Put the old start exactly between the two occurrences: context decides.
    first = text.index(quote)
    middle = (first + second) // 2
    moved = Anchor(
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        start=middle,
        end=middle + len(quote),
    )
    assert abs(first - middle) == abs(second - middle)
    assert context_score(moved, text, second, second + len(quote)) > context_score(
        moved, text, first, first + len(quote)
    )
    assert locate_moved(moved, text) == (second, second + len(quote))


def test_span_for_prefers_identical_then_containing_then_most_overlap() -> None:
    spans = [(0, 10), (10, 30), (0, 30), (30, 40)]
    assert span_for((10, 30), spans) == 1
    assert span_for((12, 20), spans) == 1  # smallest containing span
    assert span_for((5, 35), [(0, 8), (8, 33), (33, 50)]) == 1  # most overlap
    assert span_for((100, 110), spans) is None


# --------------------------------------------------------------------------- attach_marks


def test_marks_attach_exactly_when_nothing_changed() -> None:
    spans = spans_of(TEXT, S1, S2, S3)
    m1, m3 = mark_on(TEXT, S1), mark_on(TEXT, S3)
    attached, orphans = attach_marks([m1, m3], TEXT, spans)
    assert attached == {0: m1, 2: m3}
    assert orphans == []


def test_marks_reattach_after_an_inserted_paragraph() -> None:
    marks = [mark_on(TEXT, S2), mark_on(TEXT, S3)]
    inserted = "Homs, December 9 (updated)\nA new paragraph was added at the top. "
    new_text = inserted + TEXT
    new_spans = spans_of(new_text, "A new paragraph was added at the top.", S1, S2, S3)
    assert locate_at_offsets(marks[0].anchor, new_text) is None  # offsets really are stale
    attached, orphans = attach_marks(marks, new_text, new_spans)
    assert attached == {2: marks[0], 3: marks[1]}
    assert orphans == []


def test_mark_attaches_to_the_span_two_sentences_were_merged_into() -> None:
    mark = mark_on(TEXT, S2)
    merged = (TEXT.index(S2), TEXT.index(S3) + len(S3))
    spans = [spans_of(TEXT, S1)[0], merged]
    attached, orphans = attach_marks([mark], TEXT, spans)
    assert attached == {1: mark}
    assert orphans == []


def test_merged_and_shifted_text_still_attaches() -> None:
    mark = mark_on(TEXT, S3)
    new_text = "Breaking. " + TEXT
    merged = (new_text.index(S2), new_text.index(S3) + len(S3))
    attached, orphans = attach_marks([mark], new_text, [spans_of(new_text, S1)[0], merged])
    assert attached == {1: mark}
    assert orphans == []


def test_mark_on_a_sentence_later_split_goes_to_the_larger_part() -> None:
    long_sentence = "Rebels took the prison; detainees were freed in the early hours of Sunday."
    text = f"{S1} {long_sentence}"
    mark = mark_on(text, long_sentence)
    head = "Rebels took the prison;"
    tail = "detainees were freed in the early hours of Sunday."
    spans = spans_of(text, S1, head, tail)
    attached, orphans = attach_marks([mark], text, spans)
    assert attached == {2: mark}
    assert orphans == []


def test_two_marks_on_merged_sentences_keep_the_newest_and_orphan_the_other() -> None:
    older = mark_on(TEXT, S2, updated="2024-12-09T10:00:00Z")
    newer = mark_on(TEXT, S3, updated="2024-12-10T10:00:00Z")
    merged = (TEXT.index(S2), TEXT.index(S3) + len(S3))
    attached, orphans = attach_marks([older, newer], TEXT, [merged])
    assert attached == {0: newer}
    assert orphans == [older]


def test_exact_match_beats_a_moved_one_for_the_same_span() -> None:
    text = f"{S1} {S2} {S3}"
    exact = mark_on(text, S2, updated="2024-01-01T00:00:00Z")
    # A newer mark whose quote is gone from its old place but found inside S2's span.
    moved = Mark(
        article_id="a1",
        anchor=Anchor(quote="central prison", prefix="", suffix="", start=0, end=14),
        status=Status.DISPUTED,
        updated="2030-01-01T00:00:00Z",
    )
    attached, orphans = attach_marks([moved, exact], text, spans_of(text, S1, S2, S3))
    assert attached == {1: exact}
    assert orphans == [moved]


def test_mark_whose_quote_vanished_is_an_orphan() -> None:
    mark = mark_on(TEXT, S2)
    edited = TEXT.replace("central prison", "main jail")
    spans = spans_of(edited, S1, edited[len(S1) + 1 : edited.index(S3) - 1], S3)
    attached, orphans = attach_marks([mark], edited, spans)
    assert attached == {}
    assert orphans == [mark]


def test_quote_outside_every_span_is_an_orphan() -> None:
    mark = mark_on(TEXT, S3)
    attached, orphans = attach_marks([mark], TEXT, spans_of(TEXT, S1, S2))
    assert attached == {}
    assert orphans == [mark]
