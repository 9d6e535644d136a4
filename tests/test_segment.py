from __future__ import annotations

from pathlib import Path

from factdesk.annotations.text.segment import is_boilerplate, looks_like_heading, paragraphs, segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in segment(text)]


def test_abbreviations_quotes_and_initials_do_not_break_sentences() -> None:
    text = (
        "A U.S. official said the government could fall. Gen. Smith and J. R. Jones met on Dec. 5 in Geneva. "
        "“The end of the criminal regime is near,” he said. It was over."
    )
    sentences = [t for _, t in _kinds(text)]
    assert sentences == [
        "A U.S. official said the government could fall.",
        "Gen. Smith and J. R. Jones met on Dec. 5 in Geneva.",
        "“The end of the criminal regime is near,” he said.",
        "It was over.",
    ]


def test_headings_and_boilerplate_are_not_claims() -> None:
    text = (
        "Rebels Seize Strategic Homs\n"
        "Homs has fallen to rebel forces. Detainees were freed.\n"
        "(With files from AP)\n"
        "Comments (0)\n"
        "Related Sources:\n"
        "[Continue reading…]\n"
        "Copyright © 2024 iKurd.net. All rights reserved"
    )
    kinds = _kinds(text)
    assert kinds[0] == ("heading", "Rebels Seize Strategic Homs")
    assert [k for k, _ in kinds[1:3]] == ["claim", "claim"]
    assert [k for k, _ in kinds[3:]] == ["boilerplate"] * 5


def test_offsets_slice_the_text_for_every_seed() -> None:
    for file in SEEDS.glob("*.txt"):
        text = file.read_text(encoding="utf-8")
        sentences = segment(text)
        assert sentences, file
        for number, s in enumerate(sentences):
            assert s.index == number
            piece = text[s.start : s.end]
            assert piece == piece.strip() and piece
        claims = [s for s in sentences if s.kind == "claim"]
        assert len(claims) >= 8, file


def test_hard_wrapped_wire_copy_is_reflowed_into_paragraphs() -> None:
    wire = (
        "DAMASCUS, Dec 8 (Reuters) - Syrian rebels said on Sunday they had\n"
        "entered the capital Damascus, meeting no sign of army deployments,\n"
        "as the government of President Bashar al-Assad appeared to crumble.\n"
        "\n"
        "\tResidents said gunfire was heard in the centre of the city and\n"
        "that thousands of people had gathered in the main squares to\n"
        "celebrate the fall of the government.\n"
        "Rebels Enter the Capital\n"
        "The army command told officers that Assad's rule had ended, a\n"
        "Syrian officer who was informed of the move said.\n"
    )
    spans = paragraphs(wire)
    texts = [wire[s:e] for s, e in spans]
    assert len(texts) == 4, texts
    assert texts[0].startswith("DAMASCUS") and texts[0].endswith("crumble.")
    assert texts[2] == "Rebels Enter the Capital"
    sentences = _kinds(wire)
    assert ("heading", "Rebels Enter the Capital") in sentences
    assert sum(1 for k, _ in sentences if k == "claim") == 3


def test_one_line_per_paragraph_files_are_not_joined() -> None:
    text = (SEEDS / "002_60ab972603afec2b.txt").read_text(encoding="utf-8")
    assert len(paragraphs(text)) == len([line for line in text.split("\n") if line.strip()])


def test_heading_and_boilerplate_predicates() -> None:
    assert looks_like_heading("Momentum Builds Against Assad")
    assert not looks_like_heading("Thousands poured onto the streets there to celebrate, residents said.")
    assert is_boilerplate("Copyright © 2024 iKurd.net. All rights reserved")
    assert is_boilerplate("(With files from AP)")
    # Wire notices: syndicated copies carry them word for word, and they are no fact to corroborate.
    assert is_boilerplate("This material may not be published, broadcast, rewritten or redistributed.")
    assert is_boilerplate(
        "NO PORTION OF THE MATERIALS CONTAINED HEREIN MAY BE USED IN ANY MEDIA WITHOUT ATTRIBUTION TO WORLDSOURCES."
    )
    assert not is_boilerplate("The minister said the report may not be published before the election.")
    assert not is_boilerplate("Rebels said they were entering the city centre.")
