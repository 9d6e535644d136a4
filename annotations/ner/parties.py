"""Political parties named by their members' word are organisations: "Liberal Democrats", "Labour".

Why: the lexicon lists "Democrats", "Conservatives", "Liberal", "Scottish" as NORP (groups of people, as
OntoNotes does), so a party's name made of such words came out as two NORP pieces. A reviewer reads
"the Liberal Democrats won 72 seats" as a party, an organisation. Two rules, general vocabulary only:

* a capitalised run of NORP mentions, touching, that ends in a party members' plural ("Liberal Democrats",
  "Scottish Conservatives", "Social Democrats") is one ORG;
* a one-word party name that never names a group of people ("Labour", "Likud", "Fidesz") is ORG. The list
  is general political vocabulary across many countries, kept short: only words a tagger would otherwise
  call a group of people;
* a party's members in the plural stand for the party: "the Conservatives won 121 seats", "the Tories lost",
  "Republicans blocked the bill" are ORG, as IE-ER annotates "Republicans" and reviewers read them; the
  adjective ("a Conservative MP", "Tory") stays NORP;
* a name ending in a clipped party word ("Lib Dem", "Soc Dems") is the party, never a person.
"""

from __future__ import annotations

from factdesk.annotations.ner.document import Mention, TaggedDocument

PARTY_PLURALS = frozenset(
    {"Democrats", "Conservatives", "Liberals", "Republicans", "Socialists", "Greens", "Unionists", "Nationalists"}
)
# Members' plurals that name their party on their own.
PARTY_MEMBERS = frozenset({"Conservatives", "Tories", "Republicans", "Democrats", "Liberals", "Socialists"})
PARTY_NAMES = frozenset({"Labour", "Likud", "Fidesz", "Syriza", "Podemos", "Morena", "Kuomintang", "Jobbik"})
# Clipped party words that end a party's name in headlines and speech: "Lib Dem", "the Dems", "Soc Dems".
PARTY_CLIPPED = frozenset({"Dem", "Dems"})


def party_mentions(doc: TaggedDocument) -> None:
    """Relabel and join party names in ``doc.mentions`` in place."""
    out: list[Mention] = []
    for m in sorted(doc.mentions, key=lambda x: (x.sent, x.i)):
        s = doc.sentences[m.sent]
        if m.label == "NORP" and m.j - m.i == 1 and s.seen[m.i] in PARTY_NAMES:
            m.label = "ORG"
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.sent == m.sent
            and prev.j == m.i
            and prev.label == "NORP"
            and m.label == "NORP"
            and m.j - m.i == 1
            and s.seen[m.i] in PARTY_PLURALS
        ):
            prev.j, prev.label = m.j, "ORG"
            continue
        if m.label == "NORP" and m.j - m.i == 1 and s.seen[m.i] in PARTY_MEMBERS:
            m.label = "ORG"
        if m.label in ("PERSON", "NORP") and m.j - m.i >= 2 and s.seen[m.j - 1] in PARTY_CLIPPED:
            m.label = "ORG"  # "Lib Dem hands": a clipped party word ends no person's name
        out.append(m)
    doc.mentions = out
