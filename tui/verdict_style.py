"""Verdict colours from the active theme: the one place ``$fd-verified`` and ``$fd-disputed`` become Rich styles.

Used by the article gutter, the inspector, the disagreements and orphans dialogs and the coverage matrix, so a
theme recolours every verdict at once. The symbols (``annotations.review.verdicts``) say the verdict without
colour; under ``NO_COLOR`` Textual drops the colour and the symbols remain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rich.style import Style
from textual.app import App
from textual.color import Color, ColorParseError

from factdesk.annotations.model import Status
from factdesk.annotations.review.verdicts import PRIMARY, VERDICTS

VERIFIED_VARIABLE = "fd-verified"
DISPUTED_VARIABLE = "fd-disputed"
# Each verdict's theme colour, ``$fd-<value>`` ("needs_context" → ``fd-needs-context``).
VERDICT_VARIABLES: dict[Status, str] = {status: "fd-" + status.value.replace("_", "-") for status in VERDICTS}
UNREVIEWED_STYLE = Style(dim=True)


@dataclass(frozen=True)
class VerdictStyles:
    verified: Style
    disputed: Style
    unreviewed: Style = UNREVIEWED_STYLE
    others: tuple[tuple[Status, Style], ...] = ()  # the rest of the scale

    def status(self, status: Status) -> Style:
        if status is Status.VERIFIED:
            return self.verified
        if status is Status.DISPUTED:
            return self.disputed
        return dict(self.others).get(status, self.unreviewed)

    @property
    def conflict(self) -> Style:
        """``≠``: figures that disagree, in the disputed colour."""
        return self.disputed

    def cell(self, state: str) -> Style:
        """A coverage cell: a source that states the fact, one that gives another figure, a silent one."""
        return {"states": self.verified, "differs": self.disputed}.get(state, self.unreviewed)


@lru_cache(maxsize=16)
def _styles(colours: tuple[tuple[Status, str], ...]) -> VerdictStyles:
    styles = {status: Style(color=Color.parse(colour).rich_color, bold=True) for status, colour in colours}
    return VerdictStyles(
        verified=styles[Status.VERIFIED],
        disputed=styles[Status.DISPUTED],
        others=tuple((status, style) for status, style in styles.items() if status not in PRIMARY),
    )


def styles_from_variables(variables: Mapping[str, str]) -> VerdictStyles:
    """Bold, in the theme's verdict colours (``variables`` as a theme defines them: ``fd-verified`` …)."""
    return _styles(tuple((status, variables[name]) for status, name in VERDICT_VARIABLES.items()))


def verdict_styles(app: App) -> VerdictStyles:
    """The styles for ``app``'s theme right now.

    The theme's own variables over the app's defaults, as ``App.get_css_variables`` merges them (without building
    the whole colour system, and never a stale ``app.theme_variables`` just after a theme change): any theme, even
    one of Textual's without ``$fd-*`` variables, colours the verdicts.
    """
    defaults = app.get_theme_variable_defaults()
    try:
        return styles_from_variables({**defaults, **app.current_theme.variables})
    except ColorParseError:  # a theme registered in code, unchecked by factdesk's loader: factdesk's colours
        return styles_from_variables(defaults)
