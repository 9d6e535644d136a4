"""Names that the sentence itself identifies, on news the model never saw (issue 14, item 7).

Every sentence is written for this test, with made-up or ordinary names; each case failed before the rules in
``annotations/ner/place_cues.py``, ``name_cues.py`` and the additions to ``bodies.py``, ``places.py`` and
``parties.py``: the shapes (a list before "counties", "MP for", "-based", a photo credit, an acronym in
brackets, …) hold in any story.
"""

from __future__ import annotations

from factdesk.annotations.ner import tag_corpus


def _labels(text: str) -> list[tuple[str, str]]:
    (entities,) = tag_corpus([text], [[(0, len(text), False)]])
    return [(e.text, e.label) for e in entities]


def test_a_list_before_an_area_noun_is_all_places() -> None:
    got = _labels("One death each was reported in Polk, Lake, Hendry and Hillsborough counties, officials said.")
    assert ("Hendry", "LOC") in got
    assert not [name for name, label in got if label == "PERSON"]


def test_the_seat_after_mp_for_is_a_place() -> None:
    got = _labels("Nigel Hart, the new MP for Clacton, thanked voters. He won in the Clacton constituency in Essex.")
    assert got.count(("Clacton", "LOC")) == 2
    assert ("Nigel Hart", "PERSON") in got
    assert ("Labour", "ORG") in _labels("The newly elected MPs for Labour and the Conservatives met.")


def test_every_seat_of_a_listed_constituency_is_a_place() -> None:
    got = _labels("Drew served as the MP for Inverness, Nairn, Badenoch and Strathspey from 2015.")
    assert [label for name, label in got if name in ("Inverness", "Nairn", "Badenoch", "Strathspey")] == ["LOC"] * 4


def test_a_shire_and_a_name_listed_between_places_are_places() -> None:
    got = _labels("The final result from Inverness, Skye and West Ross-shire was declared on Saturday.")
    assert ("Skye", "LOC") in got
    assert ("West Ross-shire", "LOC") in got


def test_a_name_before_based_is_a_place() -> None:
    got = _labels("Boston-based catastrophe modeler Verisk said losses were high.")
    assert ("Boston", "LOC") in got


def test_a_town_before_a_comma_and_its_state_is_a_place() -> None:
    got = _labels("The storm made a second landfall near Caines, South Carolina on Friday.")
    assert ("Caines", "LOC") in got


def test_facilities_people_shelter_at_are_places() -> None:
    got = _labels(
        "Families stayed at War Memorial Gymnasium, Hannibal Tavares Community Center, Maui High School and "
        "Grace Bible Church, officials said."
    )
    assert ("Hannibal Tavares Community Center", "LOC") in got
    assert ("Maui High School", "LOC") in got
    assert ("Grace Bible Church", "LOC") in got


def test_a_county_before_a_title_is_a_place() -> None:
    got = _labels("Officials found 11 victims. Maui County Mayor Richard Bissen posted a video online.")
    assert ("Maui County", "LOC") in got
    assert ("Richard Bissen", "PERSON") in got


def test_a_photo_credit_names_the_photographer() -> None:
    got = _labels("Homes burned in the hills. (JOSEPH AGCAOILI/AFP / Getty Images)")
    assert ("JOSEPH AGCAOILI", "PERSON") in got
    assert ("AFP", "ORG") in got
    got = _labels("A polling station in Swansea. Photo Sarah Morgan Jones")
    assert ("Sarah Morgan Jones", "PERSON") in got


def test_a_firms_short_name_is_the_firm() -> None:
    got = _labels(
        "Karen Clark pegs storm losses at $63 billion. The modeler Karen Clark & Co. said insured losses were high."
    )
    assert got[0] == ("Karen Clark", "ORG")
    assert ("Karen Clark & Co.", "ORG") in got


def test_a_party_word_before_a_name_is_not_part_of_the_person() -> None:
    got = _labels("Reform has four MPs, including chairman Richard Tice and former Tory Lee Anderson.")
    assert ("Tory", "NORP") in got
    assert ("Lee Anderson", "PERSON") in got


def test_initials_and_a_surname_before_a_role_are_a_person() -> None:
    got = _labels("Over 800 were injured, said KS Anand, chief public relations officer of the railway.")
    assert ("KS Anand", "PERSON") in got


def test_a_name_introduced_with_its_acronym_is_one_organisation() -> None:
    got = _labels(
        "A report by the United Nations Office for the Co-ordination of Humanitarian Affairs (OCHA) said many died."
    )
    assert ("United Nations Office for the Co-ordination of Humanitarian Affairs", "ORG") in got
    got = _labels("The United States Geological Survey (USGS) said the quake had a magnitude of 6.8.")
    assert ("United States Geological Survey", "ORG") in got
    # a known place and the model's whole person keep their labels; a list before the name stays out of it
    got = _labels("Aid came from Spain, Qatar and the United Arab Emirates (UAE) on Sunday.")
    assert ("United Arab Emirates", "LOC") in got
    assert ("Qatar", "LOC") in got


def test_a_place_before_a_capitalised_body_and_a_national_body_alone_are_organisations() -> None:
    assert ("Odisha Government", "ORG") in _labels("The Odisha Government on Sunday revised the death toll.")
    assert ("Railways", "ORG") in _labels("The Railways on Saturday said that the number of deaths is 288.")
    assert _labels("The Federal Government said nothing.") == []


def test_a_clipped_party_name_is_the_party() -> None:
    got = _labels("The result should see his old seat returned to Lib Dem hands, said Angus MacDonald.")
    assert ("Lib Dem", "ORG") in got


def test_an_acronym_groups_a_name_written_with_and_without_its_abbreviation_and_hyphen() -> None:
    from factdesk.annotations.model import Entity
    from factdesk.annotations.ner.aliases import group_aliases

    names = [
        "United Nations Office for the Co-ordination of Humanitarian Affairs",
        "OCHA",
        "UN Office for the Coordination of Humanitarian Affairs",
        "US Coast Guard",
        "United States Coast Guard",
    ]
    groups = {g.canonical: set(g.variants) for g in group_aliases([[Entity(0, 1, n, "ORG") for n in names]])}
    assert set(names[:3]) in groups.values()
    assert set(names[3:]) in groups.values()


def test_a_dateline_before_a_date_and_a_credit_is_a_place_and_a_weekday_is_not() -> None:
    assert ("Geneva", "LOC") in _labels("Geneva, Sept 18, (dpa) – Following the floods, the UN warned of two dams.")
    assert ("Monday", "LOC") not in _labels("Monday, Sept 18, (AP) – The UN warned of two dams.")


def test_a_name_after_a_place_noun_and_of_is_a_place() -> None:
    got = _labels("Benghazi and the outskirts of Al-Marj were also said to have been severely affected.")
    assert ("Al-Marj", "LOC") in got


def test_an_office_named_after_its_holder_is_an_organisation() -> None:
    assert ("Sheriff’s Office", "ORG") in _labels("Two deaths in Sarasota, according to the Sheriff’s Office.")
    assert ("Lee County Sheriff's Office", "ORG") in _labels("The Lee County Sheriff's Office said two died.")


def test_a_name_with_an_ampersand_is_an_organisation() -> None:
    assert ("Urban Search & Rescue Teams", "ORG") in _labels("Dogs from FEMA’s Urban Search & Rescue Teams arrived.")
    assert _labels("Karen Clark & Co. said losses were high.") == [("Karen Clark & Co.", "ORG")]


def test_a_compass_named_area_after_a_place_and_and_is_a_place() -> None:
    got = _labels("Reform won its fifth seat as the final result was declared in South Basildon and East Thurrock.")
    assert ("East Thurrock", "LOC") in got


def test_the_city_of_a_place_capitalised_is_its_government() -> None:
    line = "• Two deaths in Lee County, according to the City of Sanibel"  # a bullet line is read as a heading
    (entities,) = tag_corpus([line], [[(0, len(line), True)]])
    assert ("City of Sanibel", "ORG") in [(e.text, e.label) for e in entities]
    assert ("Naples", "LOC") in _labels("He lives in the city of Naples.")
    heading = "Rebels Seize the City of Homs"  # Title Case capitalises every word: the place stays a place
    (entities,) = tag_corpus([heading], [[(0, len(heading), True)]])
    assert ("Homs", "LOC") in [(e.text, e.label) for e in entities]
