"""Who published an article, and when: its outlet identity read from the text.

Reviewers judge a claim by who made it, so a pane that says
``000_b2a9280c56cfe527.txt`` when the text says "Copyright © 2024 iKurd.net"
or "(Reuters) -" hides the one thing they need. This module reads, in order
of trust: a front-matter block, a copyright line, a URL line, a file name that
is itself a domain, an explicit "Source:" line, a dateline or credit line
naming a wire agency, and "told Reuters". It never raises and runs in one
pass over the first and last lines of the text (linear in its length).

``wire`` is the agency the text credits (dateline, byline, credit line),
kept apart from ``outlet`` so a republished wire story can be recognised as
a copy rather than independent corroboration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Where the outlet name came from, most trusted first.
# A "Source: BBC" line names where the story came from; a file named after its site
# ("nilepost.co.ug.txt") names who published this copy, so it comes first.
OUTLET_SOURCES = (
    "front matter",
    "copyright",
    "url",
    "file name",
    "source line",
    "dateline",
    "credit",
    "byline",
    "told",
)

# Wire and national news agencies: canonical short name for each spelling.
_WIRES: dict[str, str] = {
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ani": "ANI",
    "ians": "IANS",
    "upi": "UPI",
    "xinhua": "Xinhua",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "aa": "Anadolu",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "yonhap": "Yonhap",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "bernama": "Bernama",
    "apa": "APA",
    "aap": "AAP",
    "australian associated press": "AAP",
    "cp": "The Canadian Press",
    "the canadian press": "The Canadian Press",
    "pa": "PA Media",
    "pa media": "PA Media",
    "bloomberg": "Bloomberg",
    "irna": "IRNA",
    "wafa": "WAFA",
    "sana": "SANA",
    "mena": "MENA",
    "kuna": "KUNA",
    "wam": "WAM",
    "spa": "SPA",
    "ap/reuters": "AP",
}

_HEAD_LINES = 12  # datelines, bylines and front matter live at the top
_TAIL_LINES = 8  # credits and copyright lines at the bottom
_MAX_NAME = 60
_MAX_LINE = 2000


@dataclass(frozen=True)
class OutletInfo:
    """An article's identity. ``outlet`` is always set (the file name at worst)."""

    outlet: str
    outlet_source: str  # one of OUTLET_SOURCES
    title: str | None = None
    date: str | None = None  # ISO "YYYY-MM-DD" or "YYYY-MM" when it parses, else as written
    url: str | None = None
    author: str | None = None
    wire: str | None = None  # canonical agency name the text credits


def wire_name(name: str) -> str | None:
    """The canonical agency for ``name`` ("The Associated Press" → "AP"), else None."""
    return _WIRES.get(" ".join(name.lower().replace("’", "'").split()).strip(" .,"))


# --- front matter ---------------------------------------------------------------

_FRONT_KEY = re.compile(r"^([A-Za-z_][\w -]{0,30}?)\s*:\s*(.*?)\s*$")
_OUTLET_KEYS = ("outlet", "source", "publisher", "site_name", "site", "publication", "newspaper")
_DATE_KEYS = ("date", "published", "published_at", "pubdate", "datepublished", "date_published")
_URL_KEYS = ("url", "link", "canonical_url", "source_url")
_AUTHOR_KEYS = ("author", "authors", "byline", "by")


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """A leading ``---`` … ``---`` block of ``key: value`` lines (a safe YAML subset).

    Returns (keys lower-cased with their unquoted scalar values, offset where the
    body starts). Lists (``- item`` lines) keep their first item; anything else
    (nested maps, anchors, tags) is ignored rather than interpreted. No block:
    ({}, 0).
    """
    stripped = text.lstrip("\ufeff")
    lead = len(text) - len(stripped)
    if not stripped.startswith("---\n"):
        return {}, 0
    end = stripped.find("\n---", 3)
    if end < 0 or end > 8192:
        return {}, 0
    after = stripped.find("\n", end + 4)
    body_start = lead + (len(stripped) if after < 0 else after + 1)
    values: dict[str, str] = {}
    last_key: str | None = None
    for line in stripped[4:end].split("\n"):
        item = re.match(r"^\s+-\s+(.*)$", line) or re.match(r"^-\s+(.*)$", line)
        if item and last_key and not values.get(last_key):
            values[last_key] = _unquote(item.group(1))
            continue
        match = _FRONT_KEY.match(line)
        if not match or line[:1].isspace():
            continue
        last_key = match.group(1).strip().lower().replace(" ", "_").replace("-", "_")
        value = match.group(2)
        if value.startswith("[") and value.endswith("]"):
            value = value[1:-1].split(",")[0]
        values.setdefault(last_key, _unquote(value))
    return values, body_start


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    elif " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    return value.strip()


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if values.get(key):
            return values[key]
    return None


# --- dates ----------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_ISO = re.compile(r"\b((?:19|20)\d{2})-(\d{1,2})(?:-(\d{1,2}))?(?!\d)")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2,8})\.?,?\s+((?:19|20)\d{2})\b")
_DATE_LINE = re.compile(r"^\s*(?:date|published(?: on)?|posted(?: on)?|updated)\s*:?\s+(\S.{3,40})", re.I)


def parse_date(value: str) -> str | None:
    """An ISO date ("2023-09-14", or "2023-09" for a month) from common spellings, else None."""
    match = _ISO.search(value)
    if match:
        year, month, day = match.group(1), int(match.group(2)), match.group(3)
        if 1 <= month <= 12:
            if day and 1 <= int(day) <= 31:
                return f"{year}-{month:02d}-{int(day):02d}"
            return f"{year}-{month:02d}"
    match = _MONTH_DAY_YEAR.search(value)
    if match and match.group(1).lower() in _MONTHS and 1 <= int(match.group(2)) <= 31:
        return f"{match.group(3)}-{_MONTHS[match.group(1).lower()]:02d}-{int(match.group(2)):02d}"
    match = _DAY_MONTH_YEAR.search(value)
    if match and match.group(2).lower() in _MONTHS and 1 <= int(match.group(1)) <= 31:
        return f"{match.group(3)}-{_MONTHS[match.group(2).lower()]:02d}-{int(match.group(1)):02d}"
    return None


# --- lines in the text ------------------------------------------------------------

_SOURCE_LINE = re.compile(r"^\s*(?:Source|Via|Published by|Publisher|Outlet)\s*:\s*(\S.{0,58}?)\s*$", re.I)
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|\(c\)\s*(?:19|20)\d{2})", re.I)
_COPYRIGHT_NOISE = re.compile(r"copyright|©|\(c\)|\b(?:19|20)\d{2}\b(?:\s*[-–]\s*(?:19|20)\d{2})?", re.I)
_COPYRIGHT_STOP = re.compile(r"all rights|rights reserved|reprinted|permission|\bterms\b|privacy", re.I)
_URL_LINE = re.compile(
    r"^\s*(?:(?:source\s+)?url|link|originally published (?:at|on)|read more at|source)?\s*:?\s*<?(https?://[^\s>]+)>?\s*$",
    re.I,
)
_NAME = r"[A-Z][\w’'.&-]*(?:\s+(?:[A-Z][\w’'.&-]*|de|del|da|van|von|al|bin|el))*"
_BYLINE = re.compile(rf"^\s*By\s+({_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)\s*(?:[|,;–—-]|$)")
_BY_AGENCY = re.compile(r"\bby\s+((?:The\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s*$")
_DATELINE = re.compile(r"^(?:[^()\n]{0,60}?[\s,])?\(([A-Za-z][\w./&’' -]{0,40})\)\s*(?:[-–—:]|$)")
_DATELINE_BARE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,40}(?:,\s*[\w. ]{2,30})?\s*\(([A-Za-z][\w./&’' -]{0,40})\)")
# "(CNN) Officials said…": a bare opening credit, an acronym or CamelCase name, never "(Updated)".
_DATELINE_OPENING = re.compile(r"^\(([A-Za-z][a-z]*[A-Z][\w.]{0,20})\)\s+(?=[A-Z\"“])")
_NOT_DATELINE = re.compile(r"photo|file|image|video|graphic|getty|pool", re.I)
_CREDIT = re.compile(
    r"(?:with (?:files|reporting|additional reporting|inputs) from|(?:additional )?reporting by|"
    r"compiled by|inputs? from|courtesy(?: of)?)\s+((?:the\s+)?[A-Za-z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})",
    re.I,
)
_CREDIT_WORDS = ("with ", "reporting", "compiled", "input", "courtesy")
_CONTRIBUTED = re.compile(r"\b((?:The\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s+contributed\b")
_DASH_CREDIT = re.compile(r"^\s*(?:[-–—]\s*)?\(?([A-Za-z][\w./ -]{0,30}?)\)?\s*$|[-–—]\s*([A-Za-z][\w./ -]{0,30})\s*$")
_TOLD = re.compile(r"\btold (Reuters|AFP|The Associated Press|Al Jazeera)\b")


def _clean_name(name: str) -> str:
    name = " ".join(name.split()).strip(" .,;:-–—|()")
    return name if 0 < len(name) <= _MAX_NAME else ""


def _copyright_name(line: str) -> str:
    if not _COPYRIGHT.match(line):
        return ""
    rest = _COPYRIGHT_NOISE.sub(" ", line)
    rest = re.split(r"\.\s|[,;|]|\s[-–—]\s", rest + " ", maxsplit=1)[0]
    name = _clean_name(rest)
    if not name or _COPYRIGHT_STOP.search(name) or not any(c.isalpha() for c in name):
        return ""
    return name


def _dateline_agencies(line: str) -> list[str]:
    """Names in a dateline's parentheses: "LONDON (Reuters) -" → ["Reuters"], "(dpa/GNA) –" → ["dpa", "GNA"]."""
    match = _DATELINE.match(line) or _DATELINE_BARE.match(line) or _DATELINE_OPENING.match(line)
    if not match or _NOT_DATELINE.search(match.group(1)):
        return []
    names = [_clean_name(part) for part in re.split(r"[/,&]| and ", match.group(1))]
    return [n for n in names if n and ((len(n.split()) <= 4 and n[0].isupper()) or wire_name(n))]


def _person(name: str) -> str:
    """A byline name without the dateline place glued to it ("Marco Garcia KAHULUI" → "Marco Garcia")."""
    words = name.split()
    while len(words) > 1 and words[-1].isupper() and len(words[-1]) > 2 and not wire_name(words[-1]):
        words.pop()
    return " ".join(words)


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


_DOMAIN_NAME = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}$", re.I)


def _domain_like(path: Path) -> bool:
    """A file named after its site ("www.dw.com.txt") already names the outlet."""
    return bool(_DOMAIN_NAME.match(path.stem)) and not path.stem[0].isdigit()


def read_outlet(text: str, path: Path) -> OutletInfo:
    """Everything the text says about its own origin; the file name when it says nothing."""
    meta, body_start = front_matter(text)
    body = text[body_start:]
    lines = [line for line in body.split("\n") if line and not line.isspace()]
    # Only the edges carry identity; a long line is cut so no pattern runs over a whole megabyte.
    head = [line.strip()[:_MAX_LINE] for line in lines[:_HEAD_LINES]]
    tail = [line.strip()[:_MAX_LINE] for line in lines[-_TAIL_LINES:]]
    edges = head + [line for line in tail if line not in head]

    found: dict[str, str] = {}  # outlet_source -> name
    fm_outlet = _first(meta, _OUTLET_KEYS)
    if fm_outlet and _clean_name(fm_outlet):
        found["front matter"] = _clean_name(fm_outlet)
    url = _first(meta, _URL_KEYS)
    date_text = _first(meta, _DATE_KEYS)
    author = _first(meta, _AUTHOR_KEYS)
    wire: str | None = None
    credits: list[str] = []

    for line in edges:
        if "source line" not in found:
            match = _SOURCE_LINE.match(line)
            if match and not match.group(1).lower().startswith("http") and _clean_name(match.group(1)):
                found["source line"] = _clean_name(match.group(1))
        if "copyright" not in found:
            name = _copyright_name(line)
            if name:
                found["copyright"] = name
        if url is None:
            match = _URL_LINE.match(line)
            if match:
                url = match.group(1).rstrip(".,)")
        if date_text is None:
            match = _DATE_LINE.match(line)
            if match and parse_date(match.group(1)):
                date_text = match.group(1)
        lowered = line.lower()  # the credit patterns only where their words are: a cheap test first
        if any(word in lowered for word in _CREDIT_WORDS):
            credits += _CREDIT.findall(line)
        if "contributed" in lowered:
            credits += _CONTRIBUTED.findall(line)
    for line in head:
        agencies = _dateline_agencies(line)
        if agencies:
            wires = [w for w in (wire_name(a) for a in agencies) if w]
            own = [a for a in agencies if not wire_name(a)]
            if wires and wire is None:
                wire = wires[0]
            if "dateline" not in found:
                found["dateline"] = own[-1] if own else wires[0]
        by = _BYLINE.match(line)
        if by and author is None:
            names = [_person(n) for n in re.split(r",|\band\b|&", by.group(1))]
            names = [n for n in names if n]
            people = [n for n in names if not wire_name(n)]
            agencies = [agency for agency in map(wire_name, names) if agency]
            if people:
                author = ", ".join(people)
            if agencies and wire is None:
                wire = agencies[0]
                found.setdefault("byline", agencies[0])
        by_agency = _BY_AGENCY.search(line)
        agency = wire_name(by_agency.group(1)) if by_agency else None
        if agency:
            wire = wire or agency
            found.setdefault("byline", agency)
    for line in tail[-3:]:
        match = _DASH_CREDIT.search(line)
        credited = wire_name(match.group(1) or match.group(2) or "") if match else None
        if credited:
            credits.append(credited)
    for credit in credits:
        credited = wire_name(credit)
        if credited:
            wire = wire or credited
            found.setdefault("credit", credited)
    if date_text is None:
        for line in head[:4]:
            if len(line) <= 60 and parse_date(line):
                date_text = line
                break
    if url and "url" not in found and _domain(url):
        found["url"] = _domain(url)
    if _domain_like(path):
        found["file name"] = path.name
    match = _TOLD.search(text)
    if match:
        found["told"] = match.group(1)
    for key in ("copyright", "source line"):
        wire = wire or wire_name(found.get(key, ""))

    outlet, where = path.name, "file name"
    for key in OUTLET_SOURCES:
        if found.get(key):
            outlet, where = found[key], key
            break
    return OutletInfo(
        outlet=outlet,
        outlet_source=where,
        title=_clean_title(meta.get("title")),
        date=(parse_date(date_text) or date_text.strip()[:40]) if date_text else None,
        url=url if url and url.lower().startswith(("http://", "https://")) else None,
        author=author.strip()[:80] if author else None,
        wire=wire,
    )


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    title = " ".join(title.split())
    return title[:200] or None
