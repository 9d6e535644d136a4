"""Give back the memory only the analysis needs, once it has run: the reader keeps what it shows, not the models.

Why: the recogniser's weights and lexicon, the match model and the comparison's word tables (about 70 MB, more
while they load) stay cached for the life of the process after the first analysis, and the reader analyses once.
Dropping them (they load again on the next analysis, were there one) and handing the freed pages back to the
system (glibc's ``malloc_trim``) takes the reader of the seeds from about 150 MB to well under it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import lru_cache


def _caches() -> list[Callable[[], object]]:
    """The analysis-only caches (imported here: the caller has run the analysis, so they are loaded)."""
    from factdesk.annotations.compare import background, match_model, text
    from factdesk.annotations.ner import lexicon, load_tagger

    return [load_tagger, lexicon.load_lexicon, match_model.shipped_model, background._table, text.term]


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where there is none (musl, macOS)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        function = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = [ctypes.c_size_t], ctypes.c_int
    return function


# From this many articles on, the recogniser's models are dropped once every article's names are found (see
# release_name_models): loading them again costs about half a second, which a corpus this size's analysis hides.
NAME_MODELS_KEPT_BELOW = 200


def release_name_models(articles: int) -> bool:
    """Drop the recogniser's models and their caches (the tagger's summed weights, the lexicon, about 60 MB on 500
    articles) once the names of ``articles`` articles are found, when they are that many; whether they were.

    Why: the comparison runs next and reads neither, and its peak came on top of them (the analysis's peak on a
    large corpus). A small corpus keeps them: a process that analyses many (the test suite, a script) would load
    them again each time.
    """
    if articles < NAME_MODELS_KEPT_BELOW:
        return False
    from factdesk.annotations.ner import lexicon, load_tagger

    load_tagger.cache_clear()
    lexicon.load_lexicon.cache_clear()
    return True


def release_analysis_memory() -> None:
    """Drop the analysis-only caches and return free memory to the system (safe to call at any time)."""
    for cached in _caches():
        cache_clear = getattr(cached, "cache_clear", None)
        if cache_clear is not None:
            cache_clear()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
