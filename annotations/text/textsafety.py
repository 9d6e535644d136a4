"""Neutralise characters that could act on the reviewer's terminal or mislead the eye.

Article text is untrusted: a file may carry ANSI/OSC escape sequences (OSC 52 can
overwrite the clipboard), bidi overrides that reorder what is shown, or zero-width
characters. Every replacement is one character for one character so that display
offsets stay equal to file offsets.
"""

from __future__ import annotations

import json
import re

CONTROL_PICTURE_BASE = 0x2400  # U+2400 "SYMBOL FOR NULL" … control pictures
REPLACEMENT = "\ufffd"

# C0 controls except tab/newline, DEL, C1 controls, and lone surrogates: a file name that is not UTF-8 arrives as
# surrogate escapes, which a terminal would get back as raw bytes (0x9b is CSI to an 8-bit terminal).
_C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\ud800-\udfff]")
# Bidi embeddings/overrides/isolates, zero-width and other invisible format characters.
_INVISIBLE_CHARS = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(CONTROL_PICTURE_BASE + code)  # ESC -> ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def neutralise(text: str) -> str:
    """Return ``text`` with every control or invisible format character made visible and inert.

    Tabs and newlines are kept (layout decides what to do with them). Length is preserved.
    """
    text = _C0_C1.sub(_picture, text)
    return _INVISIBLE.sub(REPLACEMENT, text)


def strip_controls(text: str) -> str:
    """Like :func:`neutralise` but also turns tabs and newlines into spaces: for one-line labels."""
    return neutralise(text).replace("\t", " ").replace("\n", " ").replace("\r", " ")


# JSON escapes C0 controls itself; these it would write raw with ensure_ascii=False.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)


def json_dumps_safe(data: object, indent: int | None = 2) -> str:
    """JSON text (UTF-8, readable) with every terminal-active or invisible character \\u-escaped.

    The decoded values are unchanged (offsets still slice the file); only the bytes that
    reach a terminal when the JSON is printed are made inert.
    """
    return escape_json_unsafe(json.dumps(data, ensure_ascii=False, indent=indent))


def escape_json_unsafe(json_text: str) -> str:
    """``json_text`` (JSON written with ``ensure_ascii=False``) with every terminal-active or invisible
    character \\u-escaped: the same JSON value, but inert when the file is printed (``cat factdesk.json``)."""
    return _JSON_UNSAFE.sub(_escape_one, json_text)


def _escape_one(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
