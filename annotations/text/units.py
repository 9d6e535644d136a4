"""Units of measure: one spelling per unit, its dimension, and conversion between units.

Why: sources report the same distance or duration in different units ("30 km" and
"20 miles", "24 hours" and "a day"). The comparison has to see those as the *same*
figure when matching claims, and must never call them a conflict. Counted nouns
("people", "capitals") are not units of measure: :func:`dimension` returns None for
them and they are compared by the counted noun instead (see ``factdesk.annotations.compare``).

``factdesk.annotations.text.numbers`` already emits normalised units (``km``, ``miles``, ``days``,
``%``, ``$`` …); :func:`normalise_unit` also accepts the spelled-out forms so that
other producers (tests, hand-built analyses) can pass "kilometers" or "week".
"""

from __future__ import annotations

from dataclasses import dataclass

from factdesk.annotations.model import NumberMention, NumberValue

# normalised unit -> (dimension, factor to the dimension's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    # length, base metre
    "km": ("length", 1000.0),
    "m": ("length", 1.0),
    "cm": ("length", 0.01),
    "mm": ("length", 0.001),
    "miles": ("length", 1609.344),
    "ft": ("length", 0.3048),
    "yards": ("length", 0.9144),
    "nautical miles": ("length", 1852.0),
    # area, base square metre
    "km²": ("area", 1e6),
    "sq miles": ("area", 2_589_988.11),
    "ha": ("area", 1e4),
    "acres": ("area", 4046.856),
    # mass, base kilogram
    "kg": ("mass", 1.0),
    "tonnes": ("mass", 1000.0),
    "lb": ("mass", 0.45359237),
    # speed, base km/h
    "km/h": ("speed", 1.0),
    "mph": ("speed", 1.609344),
    # volume, base litre
    "L": ("volume", 1.0),
    "barrels": ("volume", 158.987),
    # time, base second
    "seconds": ("time", 1.0),
    "minutes": ("time", 60.0),
    "hours": ("time", 3600.0),
    "days": ("time", 86400.0),
    "weeks": ("time", 604800.0),
    "fortnights": ("time", 1209600.0),
    "months": ("time", 2_629_800.0),  # mean month: 365.25 / 12 days
    "years": ("time", 31_557_600.0),  # Julian year
    "decades": ("time", 315_576_000.0),
    "centuries": ("time", 3_155_760_000.0),
    # ratios
    "%": ("percent", 1.0),
    "percentage points": ("percentage points", 1.0),
}

# Temperatures are affine, not proportional: handled apart.
_TEMPERATURES = {"°C", "°F"}

_ALIASES: dict[str, str] = {
    **{u.casefold(): u for u in _UNITS},
    **{u.casefold(): u for u in _TEMPERATURES},
    "kilometer": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kms": "km",
    "meter": "m",
    "meters": "m",
    "metre": "m",
    "metres": "m",
    "mile": "miles",
    "mi": "miles",
    "foot": "ft",
    "feet": "ft",
    "yard": "yards",
    "yd": "yards",
    "nautical mile": "nautical miles",
    "nm": "nautical miles",
    "square kilometers": "km²",
    "square kilometres": "km²",
    "sq km": "km²",
    "km2": "km²",
    "square miles": "sq miles",
    "hectare": "ha",
    "hectares": "ha",
    "acre": "acres",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "tonne": "tonnes",
    "ton": "tonnes",
    "tons": "tonnes",
    "pound weight": "lb",
    "lbs": "lb",
    "kph": "km/h",
    "litre": "L",
    "litres": "L",
    "liter": "L",
    "liters": "L",
    "l": "L",
    "barrel": "barrels",
    "second": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "minute": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "hour": "hours",
    "hr": "hours",
    "hrs": "hours",
    "day": "days",
    "week": "weeks",
    "fortnight": "fortnights",
    "month": "months",
    "year": "years",
    "yr": "years",
    "yrs": "years",
    "decade": "decades",
    "century": "centuries",
    "percent": "%",
    "per cent": "%",
    "pc": "%",
    "percentage point": "percentage points",
    "dollar": "$",
    "dollars": "$",
    "us$": "$",
    "usd": "$",
    "euro": "€",
    "euros": "€",
    "eur": "€",
    "gbp": "£",
    "yen": "¥",
}

_CURRENCIES = {"$", "€", "£", "¥", "₹", "A$", "C$", "NZ$", "HK$"}

# Default relative tolerance when deciding that one figure is a conversion of another:
# "30 km (20 miles)" is 7% apart once converted, because the writer rounded the miles.
CONVERSION_TOLERANCE = 0.12


def normalise_unit(unit: str | None) -> str | None:
    """The one spelling of ``unit`` (``"kilometers"`` → ``"km"``); counted nouns pass through lower-cased."""
    if unit is None:
        return None
    stripped = " ".join(unit.split())
    if stripped in _UNITS or stripped in _TEMPERATURES or stripped in _CURRENCIES:
        return stripped
    return _ALIASES.get(stripped.casefold(), stripped.casefold())


def dimension(unit: str | None) -> str | None:
    """What a unit measures ("length", "time", "money:$" …); None for counted nouns and no unit."""
    unit = normalise_unit(unit)
    if unit is None:
        return None
    if unit in _UNITS:
        return _UNITS[unit][0]
    if unit in _TEMPERATURES:
        return "temperature"
    if unit in _CURRENCIES:
        return f"money:{unit}"  # exchange rates move: different currencies never convert
    return None


def is_measure(unit: str | None) -> bool:
    """True for units of measure (km, days, %, $), False for counted nouns and None."""
    return dimension(unit) is not None


def _to_base_scalar(value: float, unit: str) -> float:
    if unit == "°F":
        return (value - 32.0) * 5.0 / 9.0
    if unit == "°C":
        return value
    if unit in _UNITS:
        return value * _UNITS[unit][1]
    return value  # currencies and counts: the value itself


def to_base(value: NumberValue, unit: str | None) -> NumberValue:
    """``value`` expressed in the base unit of its dimension (metres, seconds, kg …)."""
    unit = normalise_unit(unit)
    if unit is None:
        return value
    if isinstance(value, tuple):
        return (_to_base_scalar(value[0], unit), _to_base_scalar(value[1], unit))
    return _to_base_scalar(value, unit)


def convert(value: NumberValue, from_unit: str, to_unit: str) -> NumberValue | None:
    """``value`` in ``from_unit`` expressed in ``to_unit``; None when the dimensions differ."""
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    if source is None or target is None or dimension(source) is None or dimension(source) != dimension(target):
        return None
    if source == target:
        return value
    base = to_base(value, source)
    if target in _TEMPERATURES:
        inverse = (lambda v: v * 9.0 / 5.0 + 32.0) if target == "°F" else (lambda v: v)
    else:
        factor = _UNITS[target][1] if target in _UNITS else 1.0
        inverse = lambda v: v / factor  # noqa: E731 — a one-line inverse reads clearest here
    if isinstance(base, tuple):
        return (inverse(base[0]), inverse(base[1]))
    return inverse(base)


def bounds(value: NumberValue) -> tuple[float, float]:
    """(low, high) of a value: a point is its own range."""
    if isinstance(value, tuple):
        return (min(value), max(value))
    return (value, value)


def _close(a: float, b: float, tolerance: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0.0 or abs(a - b) <= tolerance * scale


def same_amount(a: NumberMention, b: NumberMention, tolerance: float = CONVERSION_TOLERANCE) -> bool:
    """True when two measures state the same amount: equal in one unit, or a rounded conversion.

    Counts (no unit of measure) are never "the same amount" here: whether "300,000
    people" and "300,000 fleeing" count the same thing is the comparison's call.
    """
    unit_a, unit_b = normalise_unit(a.unit), normalise_unit(b.unit)
    dim = dimension(unit_a)
    if dim is None or dim != dimension(unit_b):
        return False
    if unit_a == unit_b:
        return bounds(a.value) == bounds(b.value)
    low_a, high_a = bounds(to_base(a.value, unit_a))
    low_b, high_b = bounds(to_base(b.value, unit_b))
    return _close(low_a, low_b, tolerance) and _close(high_a, high_b, tolerance)


def is_conversion(a: NumberMention, b: NumberMention, tolerance: float = CONVERSION_TOLERANCE) -> bool:
    """True when one figure restates the other in another unit of the same dimension (30 km / 20 miles)."""
    return normalise_unit(a.unit) != normalise_unit(b.unit) and same_amount(a, b, tolerance)


@dataclass(frozen=True)
class Amount:
    """A measure in its dimension's base unit, for comparing across units."""

    dimension: str
    low: float
    high: float


def amount(mention: NumberMention) -> Amount | None:
    """The mention as an :class:`Amount`, or None when it has no unit of measure."""
    dim = dimension(mention.unit)
    if dim is None:
        return None
    low, high = bounds(to_base(mention.value, mention.unit))
    return Amount(dim, low, high)
