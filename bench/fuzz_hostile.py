#!/usr/bin/env python3
"""Fuzz the ``factdesk`` command (and a sample of reader sessions) with hostile articles and damaged databases.

    python bench/fuzz_hostile.py [--articles 500] [--databases 40] [--reader 20] [--seed 13] [--keep DIR]

Generates, from a seeded RNG:

- hostile article files — random bytes, wrong encodings (Latin-1, UTF-16/32, Shift-JIS), BOMs, NULs, escape
  sequences (CSI ``ESC[``, OSC, DCS, 8-bit C1), BEL, bidi overrides, zero-width characters, huge lines and huge
  numbers, Markdown and Textual/Rich markup (``[@click=app.quit]``), odd line endings — under hostile file names
  (escape sequences, C1, bidi, markup, invalid UTF-8, leading dashes), grouped into corpora;
- damaged databases — truncated, bit-flipped, wrong JSON types in every table, deep nesting, huge numbers,
  foreign JSON, empty, binary, other encodings, hostile reviewer names and notes, and a damaged ``.bak`` beside
  a damaged or a sound database;

and runs ``factdesk analyze [--json]``, ``export`` (every ``--format``, to stdout and ``-o``), ``stats``,
``import``, ``merge`` and ``restore`` against them, each in a fresh process with its own home, checking:
exit code 0, 1 or 2; no ``Traceback`` on stderr; no ESC, BEL or C1 control (U+0080–U+009F, or a raw byte
0x80–0x9F) in stdout, stderr or any file written; bidi and zero-width characters are counted too; a damaged
database is never modified except by ``restore``. Then it opens the reader under a pseudo-terminal for
``--reader`` hostile corpora, presses a few keys and ``q``, and checks that it exits 0 with no traceback and
that none of the planted sequences (their parameters are ones Textual never emits) reaches the terminal.

Prints counts and every finding (escaped); exits 1 if there is any. ``tests/test_fuzz_sample.py`` runs a small
fixed sample of the same generators in the fast suite.
"""

from __future__ import annotations

import argparse
import codecs
import collections
import fcntl
import json
import os
import pty
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
_CODE = REPO  # where ``python -m factdesk`` finds the package: the working tree, or main()'s snapshot of it
FORMATS = ("markdown", "json", "annotations", "claimreview")
TIMEOUT = 180  # seconds for one command; longer is a finding (a hang)

# --- what must never come out ------------------------------------------------------------------------------------

_ESC_BEL = re.compile("[\x1b\x07]")
_C1 = re.compile("[\x80-\x9f\udc80-\udc9f]")  # as characters, or as raw bytes (surrogate-escaped)
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")

#: Planted in articles, names and notes; each parameter is one Textual never writes, so finding one of these in
#: the reader's terminal output means article or file-name text reached the terminal raw.
PLANTED = (
    "\x1b[7777m",
    "\x1b[7777;1H",
    "\x1b]52;c;RlVaWg==\x07",
    "\x1b]0;FUZZTITLE\x07",
    "\x1b]8;;https://fuzz.invalid\x1b\\",
    "\x1bP7777|fuzz\x1b\\",
    "\x9b7777m",
    "\x9d0;FUZZC1\x9c",
    "\x07",
)
PLANTED_SIGNATURES = (
    b"\x1b[7777",
    b"\x1b]52;c;RlVaWg",
    b"\x1b]0;FUZZTITLE",
    b"\x1b]8;;https://fuzz",
    b"\x1bP7777",
    b"\xc2\x9b7777",
    b"\x9b7777",
    b"\xc2\x9d0;FUZZC1",
    b"\x9d0;FUZZC1",
)


def problems_in(data: bytes | str) -> list[str]:
    """What in ``data`` must not be there: ``ESC``/``BEL``, ``C1``, ``bidi`` (one entry per kind found)."""
    text = data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data
    found = []
    if _ESC_BEL.search(text):
        found.append("ESC/BEL")
    if _C1.search(text):
        found.append("C1")
    if _INVISIBLE.search(text):
        found.append("bidi")
    return found


# --- hostile articles ---------------------------------------------------------------------------------------------

SENTENCES = (
    "Rebels entered Homs on Sunday, witnesses said.",
    "The UN said 300,000 people fled in a week, according to officials in Damascus.",
    "Abu Mohammed al-Jolani told Reuters the city would be protected.",
    "Nearly 1,200 fighters were killed between December 1 and December 8, 2024.",
    "The Syrian Observatory for Human Rights reported 45 civilian deaths.",
    "Russia's foreign minister Sergey Lavrov met officials in Doha on Saturday.",
)
PAYLOADS = (
    *PLANTED,
    "\x1b[2J\x1b[H",
    "\x1b[31;1m",
    "\x1b[?1049h",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x1b]1337;File=name=eA==:AAAA\x07",
    "\x1bPq#0;2;0;0;0#1;2;100;100;0\x1b\\",
    "\x1b_G a=T;AAAA\x1b\\",
    "\x1b^privacy\x1b\\",
    "\x90dcs\x9c",
    "\x85",
    "\x00",
    "\x7f",
    "\x08\x08\x08",
    "\r",
    "\x0b\x0c",
    "\u202eevil\u202c",
    "\u2066\u2067\u2068\u2069",
    "\u200b\u200d\ufeff",
    "\u2028\u2029",
    "\u061c",
    "\ud7ff\ue000\uffff",
    "\U0010ffff",
    "[bold red]markup[/]",
    "[@click=app.quit]click[/]",
    "[link=https://evil.invalid]here[/link]",
    "[/]",
    "[",
    "]]][[[",
    "\\[escaped\\]",
    "<script>alert(1)</script>",
    "[a link](javascript:alert(1))",
    "![img](x onerror=alert(1))",
    "**bold** __under__ `code` ~~s~~",
    "| a | b |\n|---|---|",
    "# Heading\n## Sub",
    "```\ncode\n```",
    "> quote\n> more",
    "&amp; &#x1b; &lt;",
    "%s %n {0} {{}}",
    "$(rm -rf ~) `id`",
)
NUMBERS = (
    "1e999 people",
    "10^400 refugees",
    "-0 soldiers",
    "NaN tanks",
    "9" * 400 + " people",
    "1,2,3,4,5,6,7,8,9,0,1,2,3,4 km",
    "between 5 and 3 million",
    "December 99, 99999",
    "0.000000000000000000001 percent",
    "٣٠٠ displaced",
    "三百 people",
)


def _sentence(rng: random.Random) -> str:
    words = rng.choice(SENTENCES).split()
    for _ in range(rng.randrange(4)):
        words.insert(rng.randrange(len(words) + 1), rng.choice(PAYLOADS + NUMBERS))
    return " ".join(words)


def _prose(rng: random.Random, sentences: int) -> str:
    lines = ["Headline " + rng.choice(PAYLOADS)]
    for _ in range(sentences):
        lines.append(_sentence(rng))
    ending = rng.choice(["\n", "\r\n", "\r", "\n\n", "\u2028", "\x85", "\x0c"])
    return ending.join(lines) + ending


def _encode(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis"])
    return text.encode(encoding, "replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")


ARTICLE_KINDS: dict[str, Callable[[random.Random], bytes]] = {
    "random bytes": lambda rng: rng.randbytes(rng.randrange(1, 4096)),
    "escapes in prose": lambda rng: _prose(rng, rng.randrange(1, 12)).encode("utf-8"),
    "wrong encoding": lambda rng: _encode(rng, _prose(rng, rng.randrange(1, 8))),
    "BOM in the middle": lambda rng: (
        _prose(rng, 3).encode() + codecs.BOM_UTF8 + _prose(rng, 2).encode() + codecs.BOM_UTF16_LE
    ),
    "NULs": lambda rng: _prose(rng, 4).replace(" ", "\x00", rng.randrange(1, 30)).encode(),
    "lone surrogates": lambda rng: _prose(rng, 3).encode() + b"\xed\xa0\x80 and \xed\xbf\xbf then \xf4\x90\x80\x80",
    "invalid UTF-8": lambda rng: _prose(rng, 3).encode() + bytes([0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xFF]),
    "huge line": lambda rng: (
        rng.choice(["x", "a ", "1,", "\x1b[7777m", "é"]) * rng.randrange(50_000, 200_000)
    ).encode(),
    "huge line of words": lambda rng: " ".join(_sentence(rng) for _ in range(rng.randrange(200, 800))).encode(),
    "many short lines": lambda rng: "\n".join(
        rng.choice(PAYLOADS) + " x." for _ in range(rng.randrange(100, 3000))
    ).encode(),
    "only controls": lambda rng: bytes(
        rng.choice(b"\x00\x01\x07\x08\x1b\x7f\x0b\x0c\r\n\t") for _ in range(rng.randrange(1, 500))
    ),
    "C1 bytes": lambda rng: bytes(rng.randrange(0x80, 0xA0) for _ in range(rng.randrange(1, 300))),
    "markup": lambda rng: "\n".join(rng.choice(PAYLOADS[-20:]) + " " + _sentence(rng) for _ in range(12)).encode(),
    "empty": lambda rng: rng.choice([b"", b" ", b"\n\n\n", b"\t \r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]),
    "numbers": lambda rng: " ".join(f"Officials said {rng.choice(NUMBERS)} were there." for _ in range(20)).encode(),
    "one word": lambda rng: rng.choice(PAYLOADS + NUMBERS).encode("utf-8", "surrogatepass"),
}

NAME_PARTS = (
    "\x1b[7777m",
    "\x1b]0;FUZZTITLE\x07",
    "\x1b]52;c;RlVaWg==\x07",
    "\x9b7777m",
    "\x07",
    "\u202egnp.exe",
    "[@click=app.quit]",
    "[bold]b[/]",
    "*star*",
    "new\nline",
    "tab\there",
    "-rf",
    "--db=x",
    " spaced ",
    "é",
    "日本",
)


def hostile_name(rng: random.Random, number: int) -> bytes:
    """A file name (bytes: it may not be UTF-8) ending in .txt or .md, unique by ``number``."""
    parts = [rng.choice(NAME_PARTS).encode() for _ in range(rng.randrange(0, 3))]
    if rng.random() < 0.15:
        parts.append(bytes([rng.choice([0xFF, 0x9B, 0xC0, 0x80])]))  # not UTF-8: a raw byte in the name
    if rng.random() < 0.2:
        parts.insert(0, b"-")
    stem = b"".join(parts)[:180] + f"_{number:04d}".encode()
    return stem + rng.choice([b".txt", b".md", b".TXT" if rng.random() < 0.1 else b".txt"])


def write_articles(rng: random.Random, count: int, root: Path, per_corpus: int = 20) -> list[Path]:
    """``count`` hostile articles in folders of about ``per_corpus``; returns the folders (some oddly named)."""
    folders: list[Path] = []
    kinds = list(ARTICLE_KINDS)
    for number in range(count):
        if number % per_corpus == 0:
            name = f"corpus{len(folders):03d}" + (rng.choice(NAME_PARTS).replace("/", "") if rng.random() < 0.3 else "")
            folder = root / name
            folder.mkdir(parents=True)
            # One readable article per corpus, so the commands have claims and marks to work on.
            (folder / "0000_plain.txt").write_text(_prose(rng, 6), encoding="utf-8", errors="surrogatepass")
            folders.append(folder)
        kind = kinds[number % len(kinds)] if number < len(kinds) else rng.choice(kinds)
        path = os.path.join(os.fsencode(folders[-1]), hostile_name(rng, number).replace(b"/", b"_"))
        with open(path, "wb") as handle:
            handle.write(ARTICLE_KINDS[kind](rng))
    return folders


# --- damaged databases --------------------------------------------------------------------------------------------

HOSTILE_PEOPLE = ("ev\x1b[7777mil", "\x9b7777m", "\u202eecila", "[@click=app.quit]", "bob\x07", "x" * 300)


def sound_database(path: Path, corpus: Path) -> None:
    """A real database of ``corpus``: marks by several (hostile) reviewers with hostile notes, history, a state."""
    from factdesk.annotations.model import ClaimRef, Status
    from factdesk.annotations.pipeline.analysis import analyze
    from factdesk.annotations.review.review import Review
    from factdesk.annotations.storage.store import Store
    from factdesk.annotations.text.corpus import load_corpus

    loaded = load_corpus([corpus])
    analysis = analyze(loaded)
    store = Store.open(path)
    try:
        for number, reviewer in enumerate(["alice", *HOSTILE_PEOPLE[:3]]):
            review = Review(analysis, store, reviewer)
            for article in analysis.articles[:3]:
                for m, claim in enumerate(article.claims[:4]):
                    ref = ClaimRef(article.article.id, claim.index)
                    review.set_status(ref, Status.VERIFIED if (number + m) % 2 else Status.DISPUTED)
                    review.set_note(ref, f"note {PLANTED[(number + m) % len(PLANTED)]} <b>x</b> [y](javascript:z)")
        placed = [a for a in analysis.articles if len(a.claims) > 1][:2]
        panes = [{"article": a.article.id, "claim": a.claims[1].index} for a in placed]
        store.set_state(loaded.key, {"panes": panes, "focus": len(panes) - 1 if panes else 0})
    finally:
        store.close()


def _edit(good: bytes, change: Callable[[dict], object]) -> bytes:
    data = json.loads(good)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _first(data: dict, table: str) -> dict:
    return next(iter(data[table].values()))


def _set_mark(key: str, value: object) -> Callable[[dict], object]:
    return lambda data: _first(data, "marks").__setitem__(key, value)


def _set_anchor(key: str, value: object) -> Callable[[dict], object]:
    return lambda data: _first(data, "marks")["anchor"].__setitem__(key, value)


def _raw_into(good: bytes, marker: str, raw: str) -> bytes:
    """``good`` with the first note replaced by raw JSON text (which json.dumps could not write)."""
    data = json.loads(good)
    _first(data, "marks")["note"] = marker
    return json.dumps(data).replace(json.dumps(marker), raw).encode()


def _flip(rng: random.Random, raw: bytes, bits: int) -> bytes:
    data = bytearray(raw)
    for _ in range(bits):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def damaged_databases(rng: random.Random, good: bytes, count: int) -> Iterator[tuple[str, bytes, bytes | None]]:
    """``(what, database bytes, .bak bytes or None)``: every fixed kind of damage, then random flips up to ``count``."""
    fixed: list[tuple[str, bytes, bytes | None]] = [
        ("empty", b"", None),
        ("whitespace", b" \n\t\n", None),
        ("binary", rng.randbytes(2048), None),
        ("NULs", b"\x00" * 4096, None),
        ("UTF-16", good.decode().encode("utf-16"), None),
        ("BOM", codecs.BOM_UTF8 + good, None),
        ("trailing garbage", good + b"\x1b[7777m garbage }", None),
        ("twice", good + good, None),
        ("foreign object", b'{"theme": "dark", "recent": ["\\u001b[7777m"]}', None),
        ("foreign list", b"[1, 2, 3]", None),
        ("foreign string", b'"\\u001b]52;c;RlVaWg==\\u0007"', None),
        ("null", b"null", None),
        ("number", b"1e999", None),
        ("package.json", b'{"name": "x", "version": "1.0.0", "meta": {"app": "factdesk"}}', None),
        ("marks as a list", _edit(good, lambda d: d.__setitem__("marks", list(d["marks"].values()))), None),
        ("status 5", _edit(good, _set_mark("status", 5)), None),
        ("status unknown", _edit(good, _set_mark("status", "\x1b[7777mverified")), None),
        ("anchor a string", _edit(good, _set_mark("anchor", "\x1b]0;FUZZTITLE\x07")), None),
        ("note a dict", _edit(good, _set_mark("note", {"a": 1})), None),
        ("reviewer a list", _edit(good, _set_mark("reviewer", ["a"])), None),
        ("reviewer escapes", _edit(good, _set_mark("reviewer", "\x9d0;FUZZC1\x9c\x1b[7777m")), None),
        ("updated a number", _edit(good, _set_mark("updated", 12)), None),
        ("article id null", _edit(good, _set_mark("article_id", None)), None),
        ("article id escapes", _edit(good, _set_mark("article_id", "\x1b[7777m\u202e")), None),
        ("anchor start a string", _edit(good, _set_anchor("start", "12")), None),
        ("anchor start huge", _edit(good, _set_anchor("start", "@@N@@")).replace(b'"@@N@@"', b"1" + b"0" * 5000), None),
        ("anchor start negative", _edit(good, _set_anchor("start", -7)), None),
        ("anchor quote a number", _edit(good, _set_anchor("quote", 123)), None),
        ("schema a string", _edit(good, lambda d: _first(d, "meta").__setitem__("schema", "2")), None),
        ("schema 999", _edit(good, lambda d: _first(d, "meta").__setitem__("schema", 999)), None),
        ("schema -1", _edit(good, lambda d: _first(d, "meta").__setitem__("schema", -1)), None),
        ("schema 1e308", _edit(good, lambda d: _first(d, "meta").__setitem__("schema", 1e308)), None),
        ("no meta", _edit(good, lambda d: d.pop("meta")), None),
        ("history strings", _edit(good, lambda d: d.__setitem__("history", {"1": "x", "2": 5})), None),
        ("history 'from' a list", _edit(good, lambda d: _first(d, "history").__setitem__("from", [1])), None),
        (
            "history hostile",
            _edit(good, lambda d: _first(d, "history").__setitem__("reviewer", "\x1bP7777|x\x1b\\")),
            None,
        ),
        ("state a list", _edit(good, lambda d: d.__setitem__("state", [1])), None),
        ("state panes [7]", _edit(good, lambda d: _first(d, "state").__setitem__("state", {"panes": [7]})), None),
        ("note nested 100,000", _raw_into(good, "@@N@@", "[" * 100_000 + "]" * 100_000), None),
        ("note nested 500", _raw_into(good, "@@N@@", "[" * 500 + "]" * 500), None),
        ("note NaN", _raw_into(good, "@@N@@", "NaN"), None),
        ("note Infinity", _raw_into(good, "@@N@@", "-Infinity"), None),
        ("note huge int", _raw_into(good, "@@N@@", "9" * 5000), None),
        ("whole file nested", b'{"meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", None),
    ]
    for fraction in (0.0, 0.1, 0.5, 0.9):
        fixed.append((f"truncated at {fraction:.0%}", good[: int(len(good) * fraction) + 1], None))
    fixed.append(("truncated by one byte", good[:-1], None))
    cut = good[: len(good) // 2]
    fixed += [
        ("cut, .bak good", cut, good),
        ("cut, .bak cut", cut, good[: len(good) // 3]),
        ("cut, .bak flipped", cut, _flip(rng, good, 8)),
        ("cut, .bak foreign", cut, b'{"theme": "dark"}'),
        ("cut, .bak nested", cut, b"[" * 100_000 + b"]" * 100_000),
        ("cut, .bak binary", cut, rng.randbytes(1000)),
        ("cut, .bak empty", cut, b""),
        ("sound, .bak cut", good, cut),
        ("sound, .bak binary", good, rng.randbytes(500)),
    ]
    yield from fixed
    for number in range(max(0, count - len(fixed))):
        bits = 1 + number % 5
        yield (f"{bits} bits flipped (#{number})", _flip(rng, good, bits), None)


HOSTILE_IMPORTS: dict[str, Callable[[bytes], bytes]] = {
    "sound": lambda good: good,
    "cut": lambda good: good[: len(good) // 2],
    "nested": lambda good: (
        b'{"type": "AnnotationCollection", "first": {"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    ),
    "items a string": lambda good: b'{"type": "AnnotationCollection", "first": {"items": "\\u001b[7777m"}}',
    "huge numbers": lambda good: re.sub(rb'"start": \d+', b'"start": 1' + b"0" * 400, good),
    "hostile values": lambda good: good.replace(b'"alice"', b'"\\u001b]52;c;RlVaWg==\\u0007\\u009b7777m"'),
    "not JSON": lambda good: b"\x1b[7777m not json",
}


# --- running the command ------------------------------------------------------------------------------------------


@dataclass
class Findings:
    """Counts of what ran, and every problem found (kind → examples)."""

    runs: collections.Counter[str] = field(default_factory=collections.Counter)
    exits: collections.Counter[int] = field(default_factory=collections.Counter)
    problems: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)  # --jobs runs several checks at once
    log: Path | None = None  # each finding is also appended here as it is found (a long run can be watched)

    def add(self, kind: str, where: str) -> None:
        with self.lock:
            self.problems[kind].append(where)
            if self.log is not None:
                with self.log.open("a", encoding="utf-8") as handle:
                    handle.write(f"{kind}: {where}\n")

    def ran(self, command: str, code: int | None = None) -> None:
        with self.lock:
            if code is None:
                self.runs[command] += 1
            else:
                self.exits[code] += 1

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.problems.values())


def environment(home: Path) -> dict[str, str]:
    """A process environment whose home, data, config and cache folders are all under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "TEXTUAL", "PYTEST", "FACTDESK"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        FACTDESK_REVIEWER="fuzz",
        PYTHONPATH=str(_CODE),
        LC_ALL="C.UTF-8",
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _show(data: bytes | str, limit: int = 160) -> str:
    return ascii(data[:limit])


def run(findings: Findings, env: dict[str, str], *args: str | bytes | Path, written: tuple[Path, ...] = ()) -> int:
    """Run ``factdesk ARGS`` and check its exit code, its output and the files it wrote; returns the exit code."""
    argv = [os.fsencode(a) if isinstance(a, (str, Path)) else a for a in args]
    label = " ".join(os.fsdecode(a) for a in argv)
    findings.ran(os.fsdecode(argv[0]))
    before = {path: path.read_bytes() if path.is_file() else None for path in written}
    try:
        done = subprocess.run(
            [sys.executable.encode(), b"-m", b"factdesk", *argv],
            capture_output=True,
            env=env,
            cwd=_CODE,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        findings.add("hang", _show(label))
        return -1
    findings.ran(os.fsdecode(argv[0]), done.returncode)
    if done.returncode not in (0, 1, 2):
        findings.add(f"exit {done.returncode}", f"{_show(label)}: {_show(done.stderr[-400:])}")
    if b"Traceback" in done.stderr:
        findings.add("traceback", f"{_show(label)}: {_show(done.stderr[-600:], 600)}")
    if done.returncode == 0 and _prints_json(argv) and not _strict_json(done.stdout):
        findings.add("invalid JSON on stdout", f"{_show(label)}: {_show(done.stdout[:200])}")
    for stream, data in (("stdout", done.stdout), ("stderr", done.stderr)):
        for kind in problems_in(data):
            findings.add(f"{kind} in {stream}", f"{_show(label)}: {_show(_context(data, kind))}")
    for path, old in before.items():
        now = path.read_bytes() if path.is_file() else None
        if now is not None and now != old:  # only what this command wrote
            where = "a database file" if path.suffix == ".json" else "a written file"
            for kind in problems_in(now):
                findings.add(f"{kind} in {where}", f"{_show(label)}: {path.name}")
    return done.returncode


def _prints_json(argv: list[bytes]) -> bool:
    """Whether the command prints JSON (to stdout: no ``-o``)."""
    if b"-o" in argv:
        return False
    if b"--json" in argv:
        return True
    return b"--format" in argv and argv[argv.index(b"--format") + 1] != b"markdown"


def _strict_json(data: bytes) -> bool:
    """RFC 8259 JSON: Python's ``NaN``/``Infinity`` extensions are refused (other readers refuse them)."""

    def refuse(constant: str) -> object:
        raise ValueError(constant)

    try:
        json.loads(data, parse_constant=refuse)
    except ValueError:
        return False
    return True


def _context(data: bytes, kind: str) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    pattern = {"ESC/BEL": _ESC_BEL, "C1": _C1, "bidi": _INVISIBLE}[kind]
    found = pattern.search(text)
    start = max(0, found.start() - 60) if found else 0
    return text[start : start + 160].encode("utf-8", "surrogateescape")


_IN_PROCESS = threading.Lock()  # one in-process analysis at a time (the commands run in their own processes)


def fuzz_corpus(findings: Findings, env: dict[str, str], folder: Path, work: Path) -> None:
    """Every command against one hostile corpus: analysis, each export, stats, import, merge, restore."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / "marks.json"
    run(findings, env, "analyze", folder, "--json")
    run(findings, env, "analyze", folder)
    try:
        with _IN_PROCESS:
            sound_database(db, folder)  # marks on the hostile claims, by hostile reviewers
    except Exception as error:  # a crash of the domain API on this corpus is a finding, not the end of the run
        findings.add("traceback", f"sound_database({_show(str(folder))}): {error!r}")
    for form in FORMATS:
        run(findings, env, "export", folder, "--db", db, "--format", form, "--all", "--agreement")
    out = work / "brief.out"
    run(findings, env, "export", folder, "--db", db, "-o", out, "--force", written=(out,))
    annotations = work / "marks.jsonld"
    run(
        findings,
        env,
        "export",
        folder,
        "--db",
        db,
        "--format",
        "annotations",
        "-o",
        annotations,
        "--force",
        written=(annotations,),
    )
    run(findings, env, "stats", "--db", db, folder)
    run(findings, env, "stats", "--db", db, "--json")
    fresh = work / "imported.json"
    # PATH before --db: argparse cannot take PATH after ``FILE --db X`` (``import FILE --db X PATH`` is exit 2).
    run(findings, env, "import", annotations, folder, "--db", fresh, written=(fresh,))
    merged = work / "merged.json"
    run(findings, env, "merge", db, fresh, "-o", merged, written=(merged,))
    run(findings, env, "restore", "--db", db, folder)
    # A folder's files named one by one, as a shell glob would pass them (names with leading dashes included).
    names = sorted(os.listdir(os.fsencode(folder)))[:6]
    run(findings, env, "analyze", "--json", *[os.path.join(os.fsencode(folder), name) for name in names])


def fuzz_database(
    findings: Findings,
    env: dict[str, str],
    number: int,
    what: str,
    raw: bytes,
    backup: bytes | None,
    work: Path,
    imports: Path,
) -> None:
    """Every command against one damaged database (of the seeds); nothing but restore may change it."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / "factdesk.json"
    db.write_bytes(raw)
    bak = Path(f"{db}.bak")
    if backup is not None:
        bak.write_bytes(backup)
    before = db.read_bytes()
    run(findings, env, "stats", "--db", db)
    run(findings, env, "stats", "--db", db, "--json", SEEDS)
    for form in ("markdown", FORMATS[1 + number % 3]):  # every format across the databases
        run(findings, env, "export", SEEDS, "--db", db, "--format", form, "--all")
    run(findings, env, "import", imports, SEEDS, "--db", db)
    merged = work / "merged.json"
    run(findings, env, "merge", db, "-o", merged, written=(merged,))
    if db.read_bytes() != before and _is_damaged(before):
        findings.add("damaged database changed", f"{what}")
    run(findings, env, "restore", "--db", db, SEEDS, written=(db,))
    run(findings, env, "export", SEEDS, "--db", db, "--format", "markdown")


def _is_damaged(raw: bytes) -> bool:
    """Whether ``raw`` is not a database the store would open (only those must stay untouched)."""
    from factdesk.annotations.storage.errors import StoreError
    from factdesk.annotations.storage.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "probe.json"
        path.write_bytes(raw)
        try:
            Store.open(path, read_only=True).close()
        except (StoreError, OSError, ValueError):
            return True
        return False


# --- the reader under a pseudo-terminal --------------------------------------------------------------------------


def reader_session(findings: Findings, env: dict[str, str], folder: Path, db: Path, keys: str = "jj\t]jv") -> bytes:
    """Open the reader on ``folder`` in a 120×36 pty, press ``keys`` then ``q``; check exit, traceback, planted.

    Returns what the terminal received."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    args = [sys.executable.encode(), b"-m", b"factdesk", os.fsencode(folder), b"--db", os.fsencode(db)]
    process = subprocess.Popen(
        args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=_CODE, start_new_session=True
    )
    os.close(slave)
    output = bytearray()
    label = f"reader {_show(str(folder.name))}"
    findings.ran("reader")

    def read(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    output.extend(os.read(master, 65536))
                except OSError:
                    return

    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and b"claims" not in output and process.poll() is None:
            read(0.3)  # the text comes first; a pane's "/ N claims" once the corpus is analysed
        for key in keys:
            os.write(master, key.encode())
            read(0.3)
        os.write(master, b"q")
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            read(0.1)  # keep draining, as a terminal does: a full pty buffer would block the app's last frame
        if process.poll() is None:
            findings.add("reader did not quit on q", label)
            os.killpg(process.pid, signal.SIGKILL)
        code = process.wait(10)
        read(0.2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        os.close(master)
    findings.ran("reader", code)
    if code != 0:
        findings.add(f"reader exit {code}", f"{label}: {_show(bytes(output[-400:]))}")
    if b"Traceback" in output:
        findings.add("traceback", f"{label}: {_show(bytes(output[-600:]), 600)}")
    if b"claims" not in output:
        findings.add("reader never showed the analysed corpus", f"{label}: {_show(bytes(output[-400:]))}")
    for signature in PLANTED_SIGNATURES:
        if signature in output:
            findings.add("planted sequence reached the terminal", f"{label}: {_show(signature)}")
    return bytes(output)


# --- main -------------------------------------------------------------------------------------------------------


def snapshot_package(target: Path) -> Path:
    """Copy the package as it installs (pyproject's ``package-dir``) to ``target``; returns ``target``.

    The run then tests one version of the code, whose analysis cache stays valid: the cache key hashes the code, so
    a working tree that changes under a long run would otherwise make every command analyse again.
    """
    import tomllib

    folders = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    for name, folder in sorted(folders.items()):  # "factdesk" before "factdesk.annotations"
        destination = target.joinpath(*name.split("."))
        shutil.copytree(REPO / folder, destination, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    return target


def _import_files(folder: Path, good: Path, env: dict[str, str]) -> list[Path]:
    """A sound Web Annotation export of ``good`` (the seeds' marks) and each hostile variant of it."""
    folder.mkdir(parents=True)
    sound = folder / "sound.jsonld"
    command = ["export", str(SEEDS), "--db", str(good), "--format", "annotations", "-o", str(sound)]
    subprocess.run([sys.executable, "-m", "factdesk", *command], env=env, cwd=_CODE, check=True, capture_output=True)
    files = []
    for name, make in HOSTILE_IMPORTS.items():
        path = folder / f"{name}.jsonld"
        path.write_bytes(make(sound.read_bytes()))
        files.append(path)
    return files


def report(findings: Findings, started: float, counts: dict[str, int]) -> None:
    print(", ".join(f"{v} {k}" for k, v in counts.items()))
    print(f"runs: {sum(findings.runs.values())} ({', '.join(f'{k} {v}' for k, v in sorted(findings.runs.items()))})")
    print(f"exit codes: {dict(sorted(findings.exits.items()))}")
    print(f"findings: {findings.total} in {time.monotonic() - started:.0f} s")
    for kind, examples in sorted(findings.problems.items()):
        print(f"  {kind}: {len(examples)}")
        for example in examples[:5]:
            print(f"    {example}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--databases", type=int, default=40)
    parser.add_argument("--reader", type=int, default=20, help="hostile corpora to open in the reader under a pty")
    parser.add_argument("--per-corpus", type=int, default=20, help="hostile articles per corpus")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--jobs", type=int, default=1, help="checks to run at once (each is its own process)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = args.keep or Path(tempfile.mkdtemp(prefix="factdesk-fuzz-"))
    root.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    findings = Findings(log=root / "findings.log")
    print(f"generating into {root}; findings are logged to {findings.log} as they are found", file=sys.stderr)
    global _CODE
    _CODE = snapshot_package(root / "code")
    sys.path.insert(0, str(_CODE))  # the in-process helpers (sound databases) run the same code
    env = environment(root / "home")
    for name, value in env.items():  # the in-process helpers (sound databases) use the same folders
        if name.startswith("XDG_") or name == "FACTDESK_REVIEWER":
            os.environ[name] = value
    try:
        folders = write_articles(rng, args.articles, root / "articles", args.per_corpus)
        good_path = root / "good" / "factdesk.json"
        good_path.parent.mkdir(parents=True)
        sound_database(good_path, SEEDS)
        good = good_path.read_bytes()
        import_files = _import_files(root / "imports", good_path, env)
        databases = list(damaged_databases(rng, good, args.databases))
        (root / "work").mkdir(exist_ok=True)
        tasks: list[tuple[str, Callable[[], object]]] = []
        for number, folder in enumerate(folders):
            work = root / "work" / f"corpus{number:03d}"
            tasks.append((f"corpus {number + 1}/{len(folders)}", partial(fuzz_corpus, findings, env, folder, work)))
        for number, (what, raw, backup) in enumerate(databases):
            work = root / "work" / f"db{number:03d}"
            imports = import_files[number % len(import_files)]
            check = partial(fuzz_database, findings, env, number, what, raw, backup, work, imports)
            tasks.append((f"database {number + 1}/{len(databases)} ({what})", check))
        for number, folder in enumerate(folders[: args.reader]):
            session = partial(reader_session, findings, env, folder, root / "work" / f"reader{number:03d}.json")
            tasks.append((f"reader {number + 1}/{min(args.reader, len(folders))}", session))
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for name, _ in zip([name for name, _ in tasks], pool.map(lambda task: task[1](), tasks), strict=True):
                print(f"{name}: {findings.total} findings", file=sys.stderr)
        counts = {
            "hostile articles": args.articles,
            "corpora": len(folders),
            "damaged databases": len(databases),
            "reader sessions": min(args.reader, len(folders)),
        }
        report(findings, started, counts)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 1 if findings.total else 0


if __name__ == "__main__":
    sys.exit(main())
