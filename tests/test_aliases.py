"""Alias grouping: the surface forms a reviewer would call "the same" end up in one group."""

from __future__ import annotations

import pytest

from factdesk.annotations.model import Entity
from factdesk.annotations.ner.aliases import AliasIndex, acronym, alias_key, group_aliases


def _e(text: str, label: str) -> Entity:
    return Entity(0, len(text), text, label)


@pytest.mark.parametrize(
    ("forms", "label"),
    [
        (["Abu Mohammed al-Golani", "Abu Mohammad al-Golani", "Abu Mohammed al-Jolani"], "PERSON"),
        (["Bashar al-Assad", "Bashar Assad", "Bashar al-Assad’s"], "PERSON"),
        (["Deraa", "Daraa"], "LOC"),
        (["Suweida", "Sweida"], "LOC"),
        (["Hayat Tahrir al-Sham", "HTS"], "ORG"),
        (["United Nations", "UN", "U.N."], "ORG"),
        (["U.S.", "United States", "US", "USA"], "LOC"),
        (["Syrian", "Syrians"], "NORP"),
    ],
)
def test_variants_share_a_key(forms: list[str], label: str) -> None:
    assert len({alias_key(form, label) for form in forms}) == 1


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        ("Homs", "Hama", "LOC"),
        ("Iran", "Iraq", "LOC"),
        ("Bashar al-Assad", "Hafez al-Assad", "PERSON"),
        ("Hassan Hassan", "Mehdi Hasan", "PERSON"),
    ],
)
def test_different_names_keep_different_keys(a: str, b: str, label: str) -> None:
    assert alias_key(a, label) != alias_key(b, label)
    assert alias_key("Hamas", "ORG") != alias_key("Homs", "LOC")


def test_label_is_part_of_the_key() -> None:
    assert alias_key("Jordan", "LOC") != alias_key("Jordan", "PERSON")


def test_acronym_of_multiword_names() -> None:
    assert acronym("Hayat Tahrir al-Sham") == "HTS"
    assert acronym("Syrian Observatory for Human Rights") == "SOHR"
    assert acronym("Homs") is None


def test_group_aliases_over_a_corpus() -> None:
    articles = [
        [_e("Bashar al-Assad", "PERSON"), _e("Assad", "PERSON"), _e("Assad", "PERSON"), _e("Hafez al-Assad", "PERSON")],
        [_e("Bashar Assad", "PERSON"), _e("Assad", "PERSON"), _e("Syrian Observatory for Human Rights", "ORG")],
        [_e("SOHR", "ORG"), _e("Deraa", "LOC"), _e("Daraa", "LOC"), _e("U.S.", "LOC"), _e("United States", "LOC")],
        [_e("Abu Mohammed al-Golani", "PERSON"), _e("Abu Mohammad al-Jolani", "PERSON"), _e("Saturday", "DATE")],
    ]
    groups = {g.canonical: g for g in group_aliases(articles)}
    assert set(groups["Bashar al-Assad"].variants) == {"Bashar al-Assad", "Bashar Assad", "Assad"}
    assert groups["Bashar al-Assad"].label == "PERSON"
    assert groups["Hafez al-Assad"].variants == ("Hafez al-Assad",)
    assert set(groups["Syrian Observatory for Human Rights"].variants) == {
        "SOHR",
        "Syrian Observatory for Human Rights",
    }
    assert set(groups["United States"].variants) == {"U.S.", "United States"}
    assert len([g for g in groups.values() if "Deraa" in g.variants or "Daraa" in g.variants]) == 1
    assert (
        len([g for g in groups.values() if g.label == "PERSON" and "Golani" in g.canonical + "".join(g.variants)]) == 1
    )
    assert not any(g.label == "DATE" for g in groups.values())


def test_index_maps_any_surface_form_to_its_group() -> None:
    index = AliasIndex([_e("Hayat Tahrir al-Sham", "ORG"), _e("HTS", "ORG"), _e("Bashar al-Assad", "PERSON")])
    assert index.group_of("HTS", "ORG") == index.group_of("Hayat Tahrir al-Sham", "ORG")
    assert index.group_of("Assad’s", "PERSON") is not None
    assert index.group_of("Assad", "PERSON").canonical == "Bashar al-Assad"
    assert index.key_of("Bashar Assad", "PERSON") == index.key_of("Assad", "PERSON")
    assert index.group_of("Geneva", "LOC") is None


def test_ambiguous_last_name_is_left_alone() -> None:
    index = AliasIndex([_e("Hassan Hassan", "PERSON"), _e("Mehdi Hasan", "PERSON"), _e("Hasan", "PERSON")])
    assert index.group_of("Hasan", "PERSON").variants == ("Hasan",)


def test_an_acronym_joins_its_full_name() -> None:
    groups = group_aliases([[_e("National Transportation Safety Board", "ORG"), _e("NTSB", "ORG")]])
    assert [set(g.variants) for g in groups] == [{"National Transportation Safety Board", "NTSB"}]


def test_an_acronym_of_a_name_after_its_place_joins_it() -> None:
    articles = [
        [_e("Kansas State Disaster Management Authority", "ORG"), _e("SDMA", "ORG")],
        [_e("UN Office for the Coordination of Humanitarian Affairs", "ORG"), _e("OCHA", "ORG")],
    ]
    groups = {g.canonical: set(g.variants) for g in group_aliases(articles)}
    assert groups["Kansas State Disaster Management Authority"] == {
        "Kansas State Disaster Management Authority",
        "SDMA",
    }
    assert "OCHA" in groups["UN Office for the Coordination of Humanitarian Affairs"]


def test_an_acronym_with_another_label_joins_the_full_name_with_its_label() -> None:
    index = AliasIndex([_e("National Transportation Safety Board", "ORG"), _e("NTSB", "PERSON")])
    group = index.group_of("NTSB", "PERSON")
    assert group is not None and group.label == "ORG" and group.canonical == "National Transportation Safety Board"
    assert index.group_of("US", "LOC") is None  # a curated country is never pulled into an organisation


def test_a_dropped_first_name_joins_the_full_name() -> None:
    groups = group_aliases([[_e("Joe Biden", "PERSON")], [_e("Biden", "PERSON"), _e("Biden", "PERSON")]])
    assert [set(g.variants) for g in groups] == [{"Joe Biden", "Biden"}]
