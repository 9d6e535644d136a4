"""The claim inspector: everything known about the current claim, under the panes."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from factdesk.annotations.model import ArticleAnalysis, ClaimRef, Sentence, Status
from factdesk.annotations.review.adjudication import curator_of
from factdesk.annotations.review.verdicts import DIFFERS_SYMBOL, verdict_text
from factdesk.annotations.text.textsafety import strip_controls
from factdesk.tui.verdict_style import verdict_styles

if TYPE_CHECKING:
    from factdesk.annotations.compare.crossref import CrossIndex
    from factdesk.annotations.review.review import Review

KIND_NAMES = (("PERSON", "People"), ("ORG", "Orgs"), ("LOC", "Places"), ("NORP", "Groups"), ("DATE", "Dates"))


def _when(iso: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _value(value: float | tuple[float, float]) -> str:
    if isinstance(value, tuple):
        return "–".join(_value(v) for v in value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


class Inspector(Static):
    """Status, note, reviewer and time, entities and numbers of the claim under the cursor."""

    _shown: tuple | None = None  # what show() was last given, to redraw in a new theme's colours

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def show(
        self,
        analysis: ArticleAnalysis | None,
        sentence: Sentence | None,
        position: int,
        review: Review,
        cross: CrossIndex | None = None,
    ) -> None:
        self._shown = (analysis, sentence, position, review, cross)
        if analysis is None or sentence is None:
            self.update("No claim here.")
            return
        verdicts = verdict_styles(self.app)
        ref = ClaimRef(analysis.article.id, sentence.index)
        mark = review.mark(ref)
        text = Text(overflow="ellipsis")
        text.append(f"Claim {position + 1} of {len(analysis.claims)} · ", style="dim")
        status = mark.status if mark else Status.UNREVIEWED
        text.append(verdict_text(status), style=verdicts.status(status))
        if mark:
            text.append(f" · {strip_controls(mark.reviewer)} · {_when(mark.updated)}", style="dim")
        others = {r: m for r, m in review.verdicts(ref).items() if m is not mark and m.status is not Status.UNREVIEWED}
        if others:
            text.append("  · others: ", style="dim")
            text.append(", ".join(f"{strip_controls(r)} {verdict_text(m.status)}" for r, m in sorted(others.items())))
        final = review.final(ref)
        if final is not None:  # a curator's, where reviewers disagree (A): what the brief goes by
            text.append("\nFinal: ", style="bold")
            text.append(verdict_text(final.status), style=verdicts.status(final.status))
            text.append(f" · {strip_controls(curator_of(final))} · {_when(final.updated)}", style="dim")
            if final.note:
                text.append(f" · {strip_controls(final.note)[:300]}")
        if mark and mark.note:
            text.append("\nNote: ", style="bold")
            text.append(strip_controls(mark.note.strip())[:400])
        self._fragments(text, ref, review)
        self._evidence(text, ref, review)
        history = review.history(ref)
        if history:
            text.append("\nHistory: ", style="bold")
            recent = [f"{_when(e.at)} {strip_controls(e.describe())}" for e in history[-3:]]
            text.append(" · ".join(reversed(recent)) + (f"  (+{len(history) - 3} earlier)" if len(history) > 3 else ""))
        from factdesk.annotations.text.claims import cues  # (its rules load with the first claim shown)
        from factdesk.annotations.text.language import ENGLISH, language_of, not_analysed_note

        language = language_of(analysis.article)
        if language != ENGLISH:  # no check-worthiness, attribution or names: the rules read English only
            text.append("\nLanguage: ", style="bold")
            text.append(not_analysed_note(language))
        else:
            claim_cues = cues(analysis, sentence)
            text.append(f"\nCheck-worthiness {claim_cues.score:.2f}", style="bold")
            if claim_cues.reasons:
                text.append(f" ({', '.join(claim_cues.reasons)})", style="dim")
            if claim_cues.attribution:
                text.append(" · Attributed to: ", style="bold")
                text.append(strip_controls(claim_cues.attribution))
        entities = analysis.entities_in(sentence)
        parts: list[tuple[str, str]] = []
        for label_key, name in KIND_NAMES:
            names = list(dict.fromkeys(strip_controls(e.text) for e in entities if e.label == label_key))
            if names:
                parts.append((name, ", ".join(names)))
        if parts:
            text.append("\n")
            for i, (name, listed) in enumerate(parts):
                if i:
                    text.append(" · ", style="dim")
                text.append(f"{name}: ", style="bold")
                text.append(listed)
        numbers = analysis.numbers_in(sentence)
        if numbers:
            text.append("\nNumbers: ", style="bold")
            rendered = []
            for n in numbers:
                item = _value(n.value) + (f" {n.unit}" if n.unit else "")
                if n.qualifier:
                    item = f"{n.qualifier} {item}"
                rendered.append(strip_controls(item))
            text.append(" · ".join(rendered))
        if cross is not None:
            self._cross(text, ref, review, cross, verdicts.conflict)
        self.update(text, layout=False)  # its height is fixed (CSS): no need to lay the whole screen out again

    def _fragments(self, text: Text, ref: ClaimRef, review: Review) -> None:
        """The claim's fragment marks (x), each with its verdict, words and reviewer: beside the claim's own verdict,
        never counted in it."""
        fragments = review.fragments.on(ref) if review.fragments.has(ref) else []
        if not fragments:
            return
        verdicts = verdict_styles(self.app)
        for number, fragment in enumerate(fragments):
            mark = fragment.mark
            text.append("\nFragment " if number == 0 else " · Fragment ", style="bold")
            text.append(verdict_text(mark.status), style=verdicts.status(mark.status))
            quote = " ".join(strip_controls(mark.anchor.quote).split())
            text.append(f": “{quote[:60]}{'…' if len(quote) > 60 else ''}”")
            who = [] if mark.reviewer == review.reviewer else [strip_controls(mark.reviewer)]
            if mark.note:
                who.append(strip_controls(" ".join(mark.note.split()))[:80])
            if who:
                text.append(f" ({' · '.join(who)})", style="dim")

    def _evidence(self, text: Text, ref: ClaimRef, review: Review) -> None:
        """The reviewers' evidence on the claim: URLs and citations, then "Your links" — the reviewers' own typed links
        (→), never mixed with the machine's matches ("Also in N sources", below)."""
        from factdesk.annotations.review.evidence import LINK_SYMBOL, RELATION_LABEL, evidence_of

        marks = review.verdicts(ref)
        order = sorted(marks, key=lambda name: (name != review.reviewer, name))
        items = [(name, item) for name in order for item in evidence_of(marks[name])]
        if not items:
            return
        sources = [(n, i) for n, i in items if i.kind != "link"]
        links = [(n, i) for n, i in items if i.kind == "link"]

        def whose(name: str) -> str:
            return "" if name == review.reviewer else f"{strip_controls(name)}: "

        if sources:
            text.append(f"\nEvidence ({len(sources)}): ", style="bold")
            text.append(" · ".join(whose(n) + strip_controls(i.url or i.text)[:120] for n, i in sources) + "  (E)")
        if links:
            text.append(f"\nYour links ({len(links)}): ", style="bold")
            parts = []
            for name, item in links:
                found = review.analysis.by_id(item.article_id)
                where = found.article.source if found is not None else "another article"
                quote = item.anchor.quote if item.anchor else ""
                relation = RELATION_LABEL.get(item.relation, item.relation)
                parts.append(strip_controls(f"{whose(name)}{LINK_SYMBOL} {relation} {where}: “{quote[:60]}”"))
            text.append(" · ".join(parts) + "  (F: follow)")

    def _cross(self, text: Text, ref: ClaimRef, review: Review, cross: CrossIndex, conflict_style: Style) -> None:
        """Other sources carrying the claim (with scores and differing figures), and its conflicts."""
        analysis = review.analysis  # (by_id: a dict made once; a dict of every article per key cost O(articles))
        matches = cross.matches(ref)
        if matches:
            text.append(f"\nAlso in {cross.sources(ref)} source(s): ", style="bold")
            parts = []
            for other, score in matches[:4]:
                found = analysis.by_id(other.article)
                part = f"{strip_controls(found.article.source if found else '?')} ({score:.2f})"
                differing = cross.differing(ref, other)
                if differing:
                    part += f" {DIFFERS_SYMBOL} " + ", ".join(
                        f"{strip_controls(a.text)} vs {strip_controls(b.text)}" for a, b in differing
                    )
                parts.append(part)
            text.append(" · ".join(parts) + ("  …" if len(matches) > 4 else "") + "  (m: show)")
        for conflict in cross.conflicts(ref)[:2]:
            text.append(f"\n{DIFFERS_SYMBOL} ", style=conflict_style)
            text.append(strip_controls(conflict.summary))
