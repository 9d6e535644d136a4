"""Load articles from files: decode, identify, title and attribute them.

Bad files never stop a corpus from opening: each problem becomes a
:class:`LoadProblem` the caller shows, and the rest loads.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from factdesk.annotations.model import Article
from factdesk.annotations.text.outlet import read_outlet

ARTICLE_SUFFIXES = (".txt", ".md")
MAX_ARTICLE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class LoadProblem:
    path: Path
    message: str


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    problems: tuple[LoadProblem, ...]
    paths: tuple[Path, ...]  # what the user asked for, resolved

    @property
    def key(self) -> str:
        """Stable identity of this set of articles, for per-corpus reader state."""
        digest = hashlib.sha256("\n".join(sorted(a.id for a in self.articles)).encode())
        return digest.hexdigest()[:16]


def bundled_seeds() -> Path:
    """The sample corpus shipped with the package."""
    from factdesk import seeds

    return Path(seeds.__file__).parent


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[LoadProblem]]:
    """Files as given; folders become their ``*.txt``/``*.md`` files sorted by name."""
    files: list[Path] = []
    problems: list[LoadProblem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                (p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()),
                key=lambda p: p.name,
            )
            if not found:
                problems.append(LoadProblem(path, f"{path}: no .txt or .md files in this folder"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(LoadProblem(path, f"{path}: no such file or folder"))
    return files, problems


def decode(data: bytes) -> tuple[str, str, str | None]:
    """Decode like ``Path.read_text(encoding="utf-8")`` would, with a cp1252 fallback.

    Returns (text, encoding, notice). Newlines are translated as text mode does
    (``\\r\\n`` and ``\\r`` become ``\\n``) so offsets match ``read_text``.
    Raises ValueError for data that is not text.
    """
    if b"\x00" in data[:8192]:
        raise ValueError("looks like a binary file (contains NUL bytes)")
    try:
        text, encoding, notice = data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(f"not UTF-8 ({error.reason} at byte {error.start}) nor cp1252") from None
        encoding = "cp1252"
        notice = f"not valid UTF-8 (byte {error.start}); decoded as Windows-1252 (cp1252)"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding, notice


def article_id(text: str) -> str:
    """Content hash: the same text keeps its marks wherever the file lives."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_COPYRIGHT_LINE = re.compile(r"^\s*(?:copyright\b|©|\(c\)\s*\d{4}).*$", re.I | re.M)
_COPYRIGHT_NOISE = re.compile(r"copyright|©|\(c\)|\b(?:19|20)\d{2}\b|all rights reserved.*", re.I)
_OUTLET_LINE = re.compile(r"^\s*(?:Source|Via|Published by)\s*:\s*(\S.{0,58}?)\s*$", re.I | re.M)
# Wire agencies write "told Reuters" only in their own copy.
_TOLD = re.compile(r"\btold (Reuters|AFP|The Associated Press|Al Jazeera)\b")


def find_source(text: str, path: Path) -> str:
    """The outlet named in the text (source or copyright line, "told Reuters"), else the file name.

    Kept for callers of the old API; :func:`load_article` uses
    :func:`factdesk.annotations.text.outlet.read_outlet`, which reads more.
    """
    match = _OUTLET_LINE.search(text)
    if match:
        return match.group(1)
    for match in _COPYRIGHT_LINE.finditer(text):
        name = _COPYRIGHT_NOISE.sub(" ", match.group()).strip(" .,;:-")
        name = " ".join(name.split())
        if name and len(name) <= 60:
            return name
    match = _TOLD.search(text)
    if match:
        return match.group(1)
    return path.name


_SENTENCE_END = re.compile(r"(?<=[.!?])[\s\"”’]")


def find_title(text: str, is_heading) -> str:
    """The first heading line, else the start of the first sentence."""
    lines = [line.strip().lstrip("#").strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    for line in lines:
        if is_heading(line):
            return line
    if not lines:
        return "(empty)"
    first = _SENTENCE_END.split(lines[0], maxsplit=1)[0]
    return first if len(first) <= 90 else first[:87].rstrip() + "…"


def load_article(path: Path) -> Article:
    """Read one file; raises ValueError/OSError with a message fit for the user."""
    from factdesk.annotations.text.segment import looks_like_heading
    from factdesk.annotations.text.textsafety import strip_controls

    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ValueError(
            f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_ARTICLE_BYTES // (1024 * 1024)} MB)"
        )
    text, encoding, notice = decode(path.read_bytes())
    if not text.strip():
        raise ValueError("empty file")
    identity = read_outlet(text, path)

    def clean(value: str | None) -> str | None:
        return strip_controls(value) if value else None

    return Article(
        id=article_id(text),
        path=path,
        text=text,
        title=strip_controls(identity.title or find_title(text, looks_like_heading)),
        source=strip_controls(identity.outlet),
        encoding=encoding,
        notice=notice,
        outlet_source=identity.outlet_source,
        date=clean(identity.date),
        url=clean(identity.url),
        author=clean(identity.author),
        wire=identity.wire,
    )


def load_corpus(paths: list[Path]) -> Corpus:
    """Load every readable article under ``paths``; collect a problem for each other file."""
    files, problems = expand_paths(paths)
    articles: list[Article] = []
    seen: set[str] = set()
    for file in files:
        try:
            article = load_article(file)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            problems.append(LoadProblem(file, f"{file.name}: skipped — {reason}"))
            continue
        if article.id in seen:
            problems.append(LoadProblem(file, f"{file.name}: skipped — same text as another file"))
            continue
        seen.add(article.id)
        articles.append(article)
    return Corpus(tuple(articles), tuple(problems), tuple(p.resolve() for p in paths))
