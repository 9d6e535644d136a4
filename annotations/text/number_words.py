"""The words English news writes numbers, units, currencies and hedges with: data for the number reader.

Kept apart from :mod:`factdesk.annotations.text.numbers` (the reader) because it is a vocabulary that is edited
as data: number words and scales, vague quantities, time and measure units with their normal forms, currency
signs, qualifiers ("nearly", "at least"), irregular plurals and the words that end a noun phrase.
"""

from __future__ import annotations


def _words(spec: str) -> frozenset[str]:
    """A word set written as one whitespace-separated string, so long lists stay short to read."""
    return frozenset(spec.split())


def _numbered(spec: str, first: int, step: int = 1) -> dict[str, int]:
    """{"one": 1, "two": 2, …} from "one two …"."""
    return {word: first + step * i for i, word in enumerate(spec.split())}


def _by_normal_form(groups: dict[str, str]) -> dict[str, str]:
    """Invert {normal form: "surface | surface …"} into {surface: normal form}."""
    return {surface.strip(): normal for normal, spec in groups.items() for surface in spec.split("|")}


UNITS_1_9 = _numbered("one two three four five six seven eight nine", 1)
TEENS = {"zero": 0, **_numbered("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen", 10)}
TENS = _numbered("twenty thirty forty fifty sixty seventy eighty ninety", 20, step=10)
# Indian English writes 100,000 as a lakh and 10,000,000 as a crore ("Rs 1.35 crore", "5 lakh people").
SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,
    "lakhs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
}
SCALE_ABBREVIATIONS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12}
NEEDS_CURRENCY = {"k", "m", "b"}  # "5m" alone is five metres; "$5m" is five million dollars
VAGUE = {"dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
ORDINALS = _numbered("first second third fourth fifth sixth seventh eighth ninth tenth", 1)
FRACTIONS = _words("half halves third thirds quarter quarters fifth fifths sixth sixths eighth eighths tenth tenths")
NUMBER_WORDS = frozenset([*UNITS_1_9, *TEENS, *TENS, "hundred", *SCALES, "dozen"])

TIME_UNITS = _by_normal_form(
    {
        "seconds": "second | seconds | sec | secs",
        "minutes": "minute | minutes | min | mins",
        "hours": "hour | hours | hr | hrs",
        "days": "day | days",
        "weeks": "week | weeks",
        "fortnights": "fortnight | fortnights",
        "months": "month | months",
        "years": "year | years | yr | yrs",
        "decades": "decade | decades",
        "centuries": "century | centuries",
    }
)
MEASURE_UNITS = _by_normal_form(
    {
        "%": "% | percent | per cent | pc",
        "percentage points": "percentage point | percentage points",
        "km": "km | kms | kilometer | kilometers | kilometre | kilometres",
        "miles": "mile | miles",
        "m": "m | meter | meters | metre | metres",
        "cm": "cm | centimeters | centimetres",
        "mm": "mm | millimeters | millimetres",
        "ft": "ft | foot | feet",
        "km²": "sq km | km2 | km² | square km | square kilometers | square kilometres",
        "sq miles": "square miles | sq miles",
        "ha": "ha | hectare | hectares",
        "acres": "acre | acres",
        "kg": "kg | kgs | kilogram | kilograms | kilogramme | kilogrammes | kilo | kilos",
        "tonnes": "tonne | tonnes | ton | tons",
        "mph": "mph",
        "km/h": "km/h | kph",
        "°C": "°c | degrees celsius | degrees centigrade",
        "°F": "°f | degrees fahrenheit",
        "magnitude": "magnitude",
        "degrees": "degree | degrees",
        "L": "litre | litres | liter | liters",
        "$": "dollar | dollars | us dollars | u.s. dollars",
        "€": "euro | euros",
        "£": "pounds sterling",
        "¥": "yen",
    }
)
UNITS = {**TIME_UNITS, **MEASURE_UNITS}
CURRENCY_SIGNS = {
    "$": "$",
    "us$": "$",
    "usd": "$",
    "€": "€",
    "eur": "€",
    "£": "£",
    "gbp": "£",
    "¥": "¥",
    "₹": "₹",
    "rs": "₹",
    "rs.": "₹",
    "inr": "₹",
}

QUALIFIERS = (
    "as many as|as much as|as few as|as little as|as high as|as low as|up to|at least|at most|no more than|"
    "no fewer than|no less than|not more than|more than|less than|fewer than|greater than|upwards of|"
    "in excess of|well over|just over|just under|well under|over|under|above|below|nearly|almost|about|"
    "around|roughly|approximately|approx\\.|some|an estimated|estimated|close to|within|just|only|barely|"
    "exactly|precisely|a few|several|many|between"
)
# Head nouns are irregular plurals or words in -s; these -s words are not plural nouns.
IRREGULAR_PLURALS = _words(
    "people men women children police personnel troops staff cattle feet teeth mice geese media data crew"
)
SINGULAR_TO_PLURAL = {"person": "people", "man": "men", "woman": "women", "child": "children", "foot": "feet"}
# Words that end the noun phrase after a number: function words and common news verbs.
STOP = _words(
    """
    the a an this that these those his her its their our my your some any all each every no
    of in on at to for from by with within without into onto over under about around after before since during
    between among against toward towards through across near along amid despite than as per via until upon
    and or but nor so yet while if because although though whereas when where which who whom whose what
    is are was were be been being am has have had having do does did will would shall should can could may might
    must not also now still just only already more most less least even again then there here very too nearly
    almost reportedly ago earlier later prior who it they he she we you i them us him me
    said say says told put made make took take left fled gave went came saw fell rose hit set cut ran won lost
    held kept met paid sent spent built brought thought fought caught bought sought stood sold got found became
    began broke chose drove wrote spoke stole threw shot led fed lay laid read hid struck flew grew knew drew
    """
)
DESIGNATORS = (
    r"(?:No\.|Nos\.|no\.|#|Resolution|Article|Section|Chapter|Flight|Route|Highway|Room|Page|Vol\.|Law|"
    r"Decree|Act|Table|Figure|Fig\.|Item|Channel|Platform|Gate|Brigade|Division|Regiment|Battalion|"
    r"Squadron|Corps|Camp|Sector|Zone|Block|Building|Level|Phase|Stage|Episode|Season|Version|Model|"
    r"Category|Cat\.?)"
)
SUPERLATIVE_NOT = _words(
    "test interest protest request quest west rest nest chest guest arrest harvest forest contest conquest "
    "suggest manifest honest modest invest digest unrest inquest behest crest pest vest zest"
)
