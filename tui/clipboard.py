"""Copy text to the reviewer's clipboard, wherever the reviewer is.

OSC 52 (``App.copy_to_clipboard``) travels through SSH to the reviewer's own
terminal; pyperclip reaches a local desktop clipboard. Neither can confirm success
on a headless server and pyperclip raises there (posting#99), so both are tried,
nothing raises, and the message tells the reviewer what happened. What is copied never carries a control
character: pasted into a shell, a carriage return or an escape sequence from a file name would act.
"""

from __future__ import annotations

import os
import sys

from textual.app import App

from factdesk.annotations.text.textsafety import neutralise


def _has_local_clipboard() -> bool:
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def copy_text(app: App, text: str) -> str:
    """Send ``text`` (controls made visible, newlines kept) to every clipboard we can reach; say what happened."""
    text = neutralise(text)
    app.copy_to_clipboard(text)
    if _has_local_clipboard():
        try:
            import pyperclip

            pyperclip.copy(text)
            return "Copied to the clipboard."
        except Exception:
            pass
    return "Sent to your terminal's clipboard (OSC 52). If nothing arrived, save to a file with e."
