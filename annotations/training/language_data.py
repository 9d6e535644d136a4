"""Build the stopword lists the language detector ships with, from NLTK's stopwords corpus, as plain JSON.

Why: telling an English article from a French, German or Russian one needs only each language's commonest
words (``annotations/text/language.py``); NLTK's stopword lists are exactly that, but the app must never need
NLTK_DATA at run time, so this writes a small ``annotations/data/stopwords.json`` (a few hundred words per
language at most, well under 100 KB) that is committed and read with the package.

    NLTK_DATA=../shared/nltk_data python -m factdesk.annotations.training.language_data

Deterministic: the same corpus gives the same file byte for byte. Left out: ``hinglish`` (romanised Hindi mixed
with English words, which would make English look foreign) and ``chinese`` (written without spaces between words,
so a word count does not find it; the detector tells it by its script instead).
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "stopwords.json"
# The most words kept per language: lists longer than this keep their shortest words (function words are short),
# in the list's own order. Most of NLTK's lists are shorter and are kept whole.
MAX_WORDS = 160
# NLTK's file name → (ISO 639-1 code, the name the reader shows). Languages not listed are left out.
LANGUAGES = {
    "arabic": ("ar", "Arabic"),
    "azerbaijani": ("az", "Azerbaijani"),
    "basque": ("eu", "Basque"),
    "bengali": ("bn", "Bengali"),
    "catalan": ("ca", "Catalan"),
    "danish": ("da", "Danish"),
    "dutch": ("nl", "Dutch"),
    "english": ("en", "English"),
    "finnish": ("fi", "Finnish"),
    "french": ("fr", "French"),
    "german": ("de", "German"),
    "greek": ("el", "Greek"),
    "hebrew": ("he", "Hebrew"),
    "hungarian": ("hu", "Hungarian"),
    "indonesian": ("id", "Indonesian"),
    "italian": ("it", "Italian"),
    "kazakh": ("kk", "Kazakh"),
    "nepali": ("ne", "Nepali"),
    "norwegian": ("no", "Norwegian"),
    "portuguese": ("pt", "Portuguese"),
    "romanian": ("ro", "Romanian"),
    "russian": ("ru", "Russian"),
    "slovene": ("sl", "Slovene"),
    "spanish": ("es", "Spanish"),
    "swedish": ("sv", "Swedish"),
    "tajik": ("tg", "Tajik"),
    "turkish": ("tr", "Turkish"),
}
# A stopword is kept only when it is one token as the detector reads words (letters only, lower case).
_TOKEN = re.compile(r"[^\W\d_]+")


def _nltk_data() -> Path:
    for folder in os.environ.get("NLTK_DATA", "").split(os.pathsep):
        if folder and (Path(folder) / "corpora" / "stopwords.zip").exists():
            return Path(folder)
    raise SystemExit("set NLTK_DATA to a folder with corpora/stopwords.zip (e.g. ../shared/nltk_data)")


def select(words: list[str], limit: int = MAX_WORDS) -> list[str]:
    """The words kept of one list: each once, whole tokens only, the ``limit`` shortest, in the list's order."""
    unique = [w for w in dict.fromkeys(word.strip().lower() for word in words) if _TOKEN.fullmatch(w)]
    if len(unique) <= limit:
        return unique
    kept = set(sorted(unique, key=len)[:limit])  # (a stable sort: equal lengths keep the list's order)
    return [w for w in unique if w in kept]


def build(nltk_data: Path) -> dict:
    languages = {}
    with zipfile.ZipFile(nltk_data / "corpora" / "stopwords.zip") as archive:
        for name in sorted(archive.namelist()):
            file_name = name.rsplit("/", 1)[-1]
            if file_name not in LANGUAGES:
                continue
            code, label = LANGUAGES[file_name]
            words = archive.read(name).decode("utf-8").split()
            languages[code] = {"name": label, "words": select(words)}
    return {
        "source": f"NLTK stopwords corpus (corpora/stopwords.zip), at most {MAX_WORDS} words per language",
        "languages": dict(sorted(languages.items())),
    }


def main() -> None:
    data = build(_nltk_data())
    DATA_FILE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {DATA_FILE} ({DATA_FILE.stat().st_size} bytes, {len(data['languages'])} languages)")


if __name__ == "__main__":
    main()
