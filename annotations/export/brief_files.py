"""Where a brief is saved, and whether saving it may replace the file already there.

Exporting once wrote every corpus to ``./factdesk-brief.md`` and silently replaced whatever was there — another
corpus' brief, or a file of the user's own. Now a brief is named after its corpus (:func:`default_brief_name`)
and carries an inert marker naming the corpus key: the first line of the Markdown is the link reference definition
``[//]: # "factdesk brief: corpus KEY"`` — CommonMark's comment idiom: it renders as nothing, is no HTML, and
nothing in a brief can refer to it, since every ``[`` of outside text is escaped — and the JSON has
``"corpus": "KEY"`` right after ``"version"``. A file may be replaced without asking only when it is this
corpus' previous brief (:func:`replace_problem`); anything else needs the user's say-so (``--force``, or the
reader's confirm step).

The corpus key is :attr:`factdesk.annotations.text.corpus.Corpus.key` (a hash of the article ids), computed here
from the analysis.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from factdesk.annotations.model import CorpusAnalysis

__all__ = ["brief_marker", "corpus_key", "default_brief_name", "is_previous_brief", "replace_problem"]

_KEY = re.compile(r"[0-9a-f]{1,64}")
_MARKER = re.compile(r'\[//\]: # "factdesk brief: corpus ([0-9a-f]+)"')
_JSON_HEAD = re.compile(r'\{\s*"format": "factdesk-brief",\s*"version": \d+,\s*"corpus": "([0-9a-f]*)"')
_HEAD_BYTES = 4096  # the marker sits in the first line; never read a whole (possibly huge) file to find it
_SLUG_LENGTH = 40


def corpus_key(analysis: CorpusAnalysis) -> str:
    """The corpus key of the analysed articles: the same hash as ``Corpus.key`` (sorted article ids)."""
    digest = hashlib.sha256("\n".join(sorted(a.article.id for a in analysis.articles)).encode())
    return digest.hexdigest()[:16]


def brief_marker(key: str) -> str:
    """The Markdown brief's first line: a reference definition nothing uses, invisible when rendered, naming the
    corpus.

    "" unless ``key`` is a corpus key (hex digits): nothing else may reach the marker.
    """
    return f'[//]: # "factdesk brief: corpus {key}"' if _KEY.fullmatch(key) else ""


def _slug(text: str) -> str:
    """ASCII lower-case words joined by hyphens: safe in any file system and shell."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_LENGTH].strip("-")


def default_brief_name(analysis: CorpusAnalysis) -> str:
    """``<corpus folder>-brief.md`` when the articles share a folder, else ``<first outlet>-brief.md``."""
    folders = {Path(a.article.path).parent for a in analysis.articles}
    name = ""
    if len(folders) == 1:
        name = _slug(folders.pop().name)
    if not name and analysis.articles:
        first = analysis.articles[0].article
        name = _slug(first.source) or _slug(first.path.stem)
    return f"{name or 'factdesk'}-brief.md"


def _head(path: Path) -> str:
    try:
        with path.open("rb") as file:
            return file.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def is_previous_brief(path: Path, key: str) -> bool:
    """True when ``path`` is a brief (Markdown or JSON) that factdesk wrote for the corpus ``key``."""
    if not key or not path.is_file():
        return False
    head = _head(path)
    found = _MARKER.match(head) or _JSON_HEAD.match(head)
    return found is not None and found.group(1) == key


def replace_problem(path: Path, key: str) -> str | None:
    """Why writing ``path`` needs the user's consent (None: it is new, or this corpus' previous brief)."""
    if not path.exists() and not path.is_symlink():
        return None
    if path.is_dir():
        return f"{path} is a folder"
    if is_previous_brief(path, key):
        return None
    return f"{path} already exists and is not a brief of this corpus"
