"""Names on news the model never saw (issue 14, item 7): places, parties, relief societies.

Each sentence is written for this test; each case failed before the rules in ``annotations/ner/places.py``,
``parties.py`` and ``relief.py`` and the area vote in ``consistency.py``.
"""

from __future__ import annotations

from factdesk.annotations.ner import tag_corpus


def _labels(*texts: str) -> list[list[tuple[str, str]]]:
    spans = [[(0, len(t), False)] for t in texts]
    return [[(e.text, e.label) for e in ents] for ents in tag_corpus(list(texts), spans)]


def test_a_name_ending_in_a_landform_word_is_a_place() -> None:
    (got,) = _labels("Water poured over the Mangla Dam and flooded Sanibel Island.")
    assert ("Sanibel Island", "LOC") in got
    assert ("Mangla Dam", "LOC") in got


def test_a_county_is_a_place_and_so_is_its_bare_name() -> None:
    (got,) = _labels("Officials in Kent County said roads were shut. Kent has 40 shelters.")
    assert got == [("Kent County", "LOC"), ("Kent", "LOC")]


def test_a_shouted_dateline_is_not_the_end_of_the_byline_name() -> None:
    (got,) = _labels("By MARK THIESSEN KAHULUI, Hawaii (AP) — The fire spread.")
    assert ("MARK THIESSEN", "PERSON") in got
    assert ("KAHULUI", "LOC") in got


def test_a_country_abbreviation_alone_is_a_place() -> None:
    (got,) = _labels("It was the deadliest US wildfire in a century.")
    assert got == [("US", "LOC")]


def test_a_title_inside_an_organisation_run_starts_a_person() -> None:
    (got,) = _labels("Harris County Mayor Richard Bissen said the roads were shut.")
    assert ("Richard Bissen", "PERSON") in got
    assert ("Harris County", "LOC") in got


def test_party_names_are_organisations() -> None:
    (got,) = _labels("The Liberal Democrats won 72 seats and Labour won 412.")
    assert got == [("Liberal Democrats", "ORG"), ("Labour", "ORG")]


def test_conservatives_alone_stay_a_group_of_people() -> None:
    (got,) = _labels("Syrian Kurds fled, and Conservatives said little.")
    assert ("Conservatives", "NORP") in got
    assert ("Syrian", "NORP") in got and ("Kurds", "NORP") in got


def test_a_national_red_crescent_society_is_one_organisation() -> None:
    (got,) = _labels("The Turkish Red Crescent said 300 tents were sent; the American Red Cross Society helped.")
    assert ("Turkish Red Crescent", "ORG") in got
    assert ("American Red Cross Society", "ORG") in got


def _person_at(text: str, word: str) -> str:
    """The label ``place_mentions`` leaves on ``word`` when the model called it a PERSON."""
    from factdesk.annotations.ner import load_lexicon, load_tagger, run
    from factdesk.annotations.ner.document import Mention
    from factdesk.annotations.ner.places import place_mentions

    lexicon = load_lexicon()
    (doc,) = run([text], [[(0, len(text), False)]], load_tagger(), lexicon, consistency=False)
    t = doc.sentences[0].words.index(word)
    doc.mentions = [Mention(0, t, t + 1, "PERSON", 0.0, "model")]
    place_mentions(doc, lexicon)
    return doc.mentions[0].label


def test_a_gazetteer_town_is_not_a_person_on_a_context_cue_alone() -> None:
    assert _person_at("Floods hit Tobruk hardest, officials said.", "Tobruk") == "LOC"


def test_a_title_keeps_a_town_name_a_person() -> None:
    assert _person_at("Floods hit the house of Mr Tobruk, officials said.", "Tobruk") == "PERSON"
    assert _person_at("Floods hit the house of Marj, officials said.", "Marj") == "PERSON"  # a given name
