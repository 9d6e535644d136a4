"""A review session: one corpus analysis plus the marks in one store, joined claim by claim.

The reader and ``factdesk export`` both go through this class — the brief is built from
:meth:`Review.marks` and :attr:`Review.orphans` by :mod:`factdesk.annotations.export.briefs` —
so the screen and the exported brief can never disagree about which mark belongs to which
claim. Every change goes to the store first (on disk) and only then into the in-memory view.

Several reviewers may have marked the same claim: :meth:`Review.verdicts` has each of
them, and :meth:`Review.mark` is the one the reader shows — the current reviewer's own,
else the most recent. Marks made on an earlier version of an article (found by the
file's path or name, since an edit changes the article id) are re-attached to the
edited text and migrated in the store; those that cannot be placed are kept as
:attr:`Review.orphans`, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from factdesk.annotations.model import Anchor, ArticleAnalysis, ClaimRef, CorpusAnalysis, Mark, Sentence, Status
from factdesk.annotations.review.adjudication import final_fields, final_reviewer, is_final
from factdesk.annotations.review.agreement import AgreementReport, summarize
from factdesk.annotations.review.anchor import Placement, closest_span, inline_diff, make_anchor, place_marks, span_for
from factdesk.annotations.review.fragments import (
    FRAGMENT_FIELD,
    FragmentBook,
    fragment_field,
    place_fragments,
    split_fragments,
)
from factdesk.annotations.review.outlets import with_outlets
from factdesk.annotations.review.verdicts import PRIMARY, VERDICTS
from factdesk.annotations.storage.errors import StoreError
from factdesk.annotations.storage.history import (
    Change,
    HistoryEntry,
    Identity,
    UndoStack,
    identity_of,
    moves_of,
    resolve_identity,
)
from factdesk.annotations.storage.outlets import read_outlets, save_outlet
from factdesk.annotations.storage.records import OUTLET_FIELD, is_blank, mark_path
from factdesk.annotations.storage.store import Store

__all__ = ["Counts", "OrphanDiff", "Reattachment", "Review"]


@dataclass(frozen=True)
class Counts:
    verified: int
    disputed: int
    claims: int
    others: tuple[tuple[Status, int], ...] = ()  # the rest of the scale (misleading, …), in scale order, when any

    @property
    def reviewed(self) -> int:
        """Claims with a verdict, whichever."""
        return self.verified + self.disputed + sum(count for _, count in self.others)


@dataclass(frozen=True)
class Reattachment:
    """A mark found again in an edited article (``how``: "exact", "moved" or "fuzzy")."""

    ref: ClaimRef
    old: Mark
    new: Mark
    how: str
    saved: bool  # migrated in the store (False: read-only store or the save failed)


class OrphanDiff(tuple[str, str]):
    """``(closest claim text, inline diff quote → closest)``; both empty when there is no article."""

    __slots__ = ()

    def __new__(cls, closest: str, diff: str) -> OrphanDiff:
        return super().__new__(cls, (closest, diff))

    @property
    def closest(self) -> str:
        return self[0]

    @property
    def diff(self) -> str:
        return self[1]


def _state(mark: Mark | None) -> tuple[Status, str]:
    return (Status(mark.status), mark.note) if mark is not None else (Status.UNREVIEWED, "")


def _by_reviewer(marks: Iterable[Mark]) -> dict[str, list[Mark]]:
    groups: dict[str, list[Mark]] = {}
    for mark in marks:
        groups.setdefault(mark.reviewer, []).append(mark)
    return groups


class Review:
    """The marks of one corpus for one reviewer, with undo, history, orphans and agreement.

    ``reattach=False`` skips migrating marks of edited articles in the store (they are
    still shown): for callers that must not write.
    """

    def __init__(self, analysis: CorpusAnalysis, store: Store, reviewer: str, *, reattach: bool = True) -> None:
        self.detected = analysis  # before reviewers' outlet names (set_outlet re-applies them to it)
        analysis = with_outlets(analysis, read_outlets(store))
        self.analysis = analysis
        self.store = store
        self.reviewer = reviewer
        self.reattach = reattach
        self.orphans: list[Mark] = []
        self.reattached: list[Reattachment] = []
        self.notices: list[str] = []
        self._articles = {a.article.id: a for a in analysis.articles}
        self._paths = {a.article.id: str(Path(a.article.path).resolve()) for a in analysis.articles}
        self._verdicts: dict[ClaimRef, dict[str, Mark]] = {}
        self._effective: dict[ClaimRef, Mark] = {}
        self._finals: dict[ClaimRef, Mark] = {}  # a curator's final verdict (see adjudication.py)
        self._tally: dict[str, dict[Status, int]] = {}  # article id -> status -> claims showing it (see counts)
        self._orphan_home: dict[Identity, str] = {}
        self._undo = UndoStack()
        self._generation = -1
        # The history index, kept up to date by appending what the log gained (see _index_history).
        self._history_position: tuple[int, int] | None = None
        self._history_index: dict[ClaimRef, list[HistoryEntry]] = {}
        self._mark_history: dict[Identity, list[HistoryEntry]] = {}
        self._history_moves: dict[Identity, Identity] = {}
        self._history_placed: dict[Identity, ClaimRef | None] = {}
        self._claim_spans: dict[str, list[tuple[int, int]]] = {}
        self._exact_spans: dict[str, dict[tuple[int, int], int]] = {}
        self.fragments = FragmentBook()  # fragment marks (review/fragments.py): beside the claims' own, never counted
        self.reload()

    def set_outlet(self, article_id: str, name: str) -> str:
        """Name an article's outlet (saved by article hash; "" goes back to the detected one); returns the name kept."""
        kept = save_outlet(self.store, article_id, name)
        self.analysis = with_outlets(self.detected, read_outlets(self.store))
        self._articles = {a.article.id: a for a in self.analysis.articles}
        return kept

    # --- attaching ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-attach every stored mark to the current claims (after a store or corpus change)."""
        verdicts: dict[ClaimRef, dict[str, Mark]] = {}
        orphans: list[Mark] = []
        homes: dict[Identity, str] = {}
        previous = self._previous_versions()
        moves: list[tuple[Placement, ArticleAnalysis]] = []
        fragments = FragmentBook()
        for article in self.analysis.articles:
            article_id = article.article.id
            claims = article.claims
            spans = [(s.start, s.end) for s in claims]
            held: dict[str, set[int]] = {}
            current, parts = split_fragments(self.store.marks(article_id))  # fragments: placed on their own
            earlier, earlier_parts = split_fragments(previous.get(article_id, []))
            lost_parts = self._place_fragments(fragments, article, parts, earlier_parts)
            orphans.extend(lost_parts)
            homes.update((identity_of(m), article_id) for m in lost_parts)
            for reviewer, group in _by_reviewer(current).items():
                placed, lost = place_marks(group, article.article.text, spans, fuzzy=False)
                held[reviewer] = set(placed)
                for position, placement in placed.items():
                    verdicts.setdefault(ClaimRef(article_id, claims[position].index), {})[reviewer] = placement.mark
                orphans.extend(lost)
                homes.update((identity_of(m), article_id) for m in lost)
            for reviewer, group in _by_reviewer(earlier).items():
                free = [i for i in range(len(spans)) if i not in held.get(reviewer, set())]
                placed, lost = place_marks(group, article.article.text, [spans[i] for i in free])
                for placement in placed.values():
                    position = free[placement.position]
                    moved = Placement(position, placement.found, placement.how, placement.mark)
                    moves.append((moved, article))
                    verdicts.setdefault(ClaimRef(article_id, claims[position].index), {})[reviewer] = moved.mark
                orphans.extend(lost)
                homes.update((identity_of(m), article_id) for m in lost)
        if moves:
            self._migrate(moves, verdicts)
        finals: dict[ClaimRef, Mark] = {}
        for ref, marks in verdicts.items():  # final verdicts are the curators', kept apart from the reviewers'
            given = [marks.pop(name) for name in [name for name in marks if is_final(name)]]
            if given:
                finals[ref] = max(given, key=lambda m: (m.updated, m.reviewer))
        verdicts = {ref: marks for ref, marks in verdicts.items() if marks}
        self._finals = finals
        self._verdicts = verdicts
        self._effective = {ref: self._pick(marks) for ref, marks in verdicts.items() if marks}
        self._tally = {}
        for ref, shown in self._effective.items():
            self._count(ref, shown, 1)
        self.orphans = orphans
        self.fragments = fragments
        self._orphan_home = homes
        self._generation = self.store.generation

    def sync(self) -> bool:
        """Pick up another session's changes: reload the store if the file changed, then re-attach.

        Cheap when nothing changed (one ``stat``): meant for a UI timer. Returns True if
        the marks were re-read. Raises :class:`~factdesk.annotations.storage.errors.StoreError` if the file
        became unreadable (memory is kept).
        """
        if self.store.changed_on_disk() and self.store.reload():
            self.reload()
            return True
        return False

    def _previous_versions(self) -> dict[str, list[Mark]]:
        """Marks of articles not in the corpus whose file is one of ours: same path, else same name."""
        by_path = {path: article_id for article_id, path in self._paths.items()}
        by_name: dict[str, list[str]] = {}
        for article_id, path in self._paths.items():
            by_name.setdefault(PurePath(path).name, []).append(article_id)
        found: dict[str, list[Mark]] = {}
        for article_id in self.store.article_ids():
            if article_id in self._articles:
                continue
            for mark in self.store.marks(article_id):
                path = mark_path(mark)
                if not path:
                    continue
                home = by_path.get(path)
                if home is None:
                    named = by_name.get(PurePath(path).name, [])
                    home = named[0] if len(named) == 1 else None
                if home is not None:
                    found.setdefault(home, []).append(mark)
        return found

    def _migrate(
        self, moves: list[tuple[Placement, ArticleAnalysis]], verdicts: dict[ClaimRef, dict[str, Mark]]
    ) -> None:
        """Move re-attached marks to their new article id and anchor, so the match sticks."""
        for placement, article in moves:
            text = article.article.text
            anchor = make_anchor(text, *placement.found)
            ref = ClaimRef(article.article.id, article.claims[placement.position].index)
            old = placement.mark
            new: Mark | None = None
            if self.reattach and not self.store.read_only:
                try:
                    new = self.store.move(old, article.article.id, anchor, path=self._paths[article.article.id])
                except StoreError as error:
                    self.notices.append(f"could not save a re-attached mark: {error}")
            if new is not None:
                verdicts[ref][old.reviewer] = new
            self.reattached.append(Reattachment(ref, old, new or old, placement.how, new is not None))

    def _place_fragments(
        self, book: FragmentBook, article: ArticleAnalysis, marks: list[Mark], earlier: list[Mark]
    ) -> list[Mark]:
        """Place the article's fragment marks in ``book`` (those of an earlier version of the file found again, fuzzily
        if need be, and moved to this version in the store like a claim's); the orphans."""
        article_id, text = article.article.id, article.article.text
        placed, lost = place_fragments(marks, article_id, text, article.claims, fuzzy=False)
        found, lost_earlier = place_fragments(earlier, article_id, text, article.claims)
        for fragment in found:
            new: Mark | None = None
            if self.reattach and not self.store.read_only:
                try:
                    new = self.store.move(
                        fragment.mark, article_id, make_anchor(text, *fragment.span), path=self._paths[article_id]
                    )
                    if new is not None:  # the claim it belongs to, as it is now (learnt: no history entry)
                        sentences = [article.sentences[ref.sentence] for ref in fragment.refs[:2]]
                        field = fragment_field([(s.start, s.end) for s in sentences])
                        new = self.store.put(
                            article_id,
                            new.anchor,
                            new.reviewer,
                            status=new.status,
                            note=new.note,
                            action="reanchor",
                            path=self._paths[article_id],
                            fields={FRAGMENT_FIELD: field},
                        )
                except StoreError as error:
                    self.notices.append(f"could not save a re-attached fragment: {error}")
            placed.append(replace(fragment, mark=new) if new is not None else fragment)
        book.set_article(article_id, placed)
        return lost + lost_earlier

    def save_fragment(
        self,
        ref: ClaimRef,
        span: tuple[int, int],
        claims: tuple[tuple[int, int], ...],
        *,
        status: Status | None = None,
        note: str | None = None,
    ) -> Mark | None:
        """Set the reviewer's verdict (``Status.UNREVIEWED``: withdraw it) and/or note on the fragment ``span`` of
        claim ``ref`` (``claims``: the sentence spans it covers), on disk first; then the article's fragments are
        placed again. The claim's own mark is untouched. The fragment's mark, or ``None`` when none is left."""
        article, _ = self._claim(ref)
        text = article.article.text
        anchor = make_anchor(text, *span)
        fields = {**self._fields(ref), FRAGMENT_FIELD: fragment_field(claims)}
        path = self._paths.get(ref.article)
        if status is Status.UNREVIEWED and note is None:
            mark = self.store.clear(ref.article, anchor, self.reviewer)
        elif status is not None:
            mark = self.store.set_status(ref.article, anchor, status, self.reviewer, path=path, fields=fields)
        else:
            mark = self.store.set_note(ref.article, anchor, note or "", self.reviewer, path=path, fields=fields)
        if self.store.generation != self._generation:
            self.reload()
        else:
            _, parts = split_fragments(self.store.marks(ref.article))
            placed, _ = place_fragments(parts, ref.article, text, article.claims, fuzzy=False)
            self.fragments.set_article(ref.article, placed)
        return None if mark is None or is_blank(mark.status, mark.note, mark.extra) else mark

    def _pick(self, marks: dict[str, Mark]) -> Mark:
        own = marks.get(self.reviewer)
        if own is not None:
            return own
        return max(marks.values(), key=lambda m: (m.updated, m.reviewer))

    # --- reading -------------------------------------------------------------------------

    def mark(self, ref: ClaimRef) -> Mark | None:
        """The mark the reader shows: the current reviewer's own, else the most recent one."""
        return self._effective.get(ref)

    def marks(self) -> dict[ClaimRef, Mark]:
        """The mark shown on each marked claim (see :meth:`mark`): what the brief is built from."""
        return dict(self._effective)

    def final(self, ref: ClaimRef) -> Mark | None:
        """The curator's final verdict on the claim, when one was set (see :meth:`adjudicate`)."""
        return self._finals.get(ref)

    def finals(self) -> dict[ClaimRef, Mark]:
        return dict(self._finals)

    def adjudicate(self, ref: ClaimRef, status: Status, reason: str) -> Mark | None:
        """Set the final verdict of a claim reviewers disagree on, with the reason, as this session's reviewer (the
        curator). ``Status.UNREVIEWED`` withdraws it. Logged in the history as ``adjudicate``, attributed to the
        curator; the reviewers' own verdicts are untouched."""
        reason = " ".join(reason.split()) if status is not Status.UNREVIEWED else ""
        if status is not Status.UNREVIEWED and not reason:
            raise StoreError("a final verdict needs a reason")
        name = final_reviewer(self.reviewer)
        current = self._finals.get(ref)
        anchor = current.anchor if current is not None and current.reviewer == name else self._anchor(ref)
        mark = self.store.put(
            ref.article,
            anchor,
            name,
            status=status,
            note=reason,
            action="adjudicate",
            path=self._paths.get(ref.article),
            fields={**self._fields(ref), **(final_fields(self.reviewer, reason) if reason else {})},
        )
        if self.store.generation != self._generation:
            self.reload()
        elif mark is None or mark.status is Status.UNREVIEWED:
            self._finals.pop(ref, None)
        else:
            self._finals[ref] = mark
        return mark

    def verdicts(self, ref: ClaimRef) -> dict[str, Mark]:
        """Every reviewer's mark on the claim, by reviewer name."""
        return dict(self._verdicts.get(ref, {}))

    def reviewers(self) -> list[str]:
        """Everyone with a mark on a claim of this corpus, sorted."""
        return sorted({name for marks in self._verdicts.values() for name in marks if name})

    def disagreements(self) -> list[ClaimRef]:
        """Claims on which reviewers gave different verdicts, in reading order."""
        order = {a.article.id: i for i, a in enumerate(self.analysis.articles)}
        found = [
            ref
            for ref, marks in self._verdicts.items()
            if len({m.status for m in marks.values() if m.status is not Status.UNREVIEWED}) > 1
        ]
        return sorted(found, key=lambda r: (order.get(r.article, len(order)), r.sentence))

    def status(self, ref: ClaimRef) -> Status:
        mark = self._effective.get(ref)
        return mark.status if mark else Status.UNREVIEWED

    def counts(self, article_id: str) -> Counts:
        """The article's verified and disputed claims (as shown: see :meth:`mark`) and its number of claims.

        Kept as a tally updated with each change, not counted claim by claim: the pane header asks on every
        verdict key, and an article may have 60,000 claims.
        """
        article = self.analysis.by_id(article_id)
        tally = self._tally.get(article_id, {})
        claims = len(article.claims) if article else 0
        others = tuple(
            (status, tally[status]) for status in VERDICTS if status not in PRIMARY and tally.get(status, 0) > 0
        )
        return Counts(tally.get(Status.VERIFIED, 0), tally.get(Status.DISPUTED, 0), claims, others)

    def _count(self, ref: ClaimRef, shown: Mark | None, step: int) -> None:
        """Add (``step`` 1) or take away (-1) the mark shown on ``ref`` in its article's tally."""
        if shown is not None:
            tally = self._tally.setdefault(ref.article, {})
            tally[shown.status] = tally.get(shown.status, 0) + step

    def _claim(self, ref: ClaimRef) -> tuple[ArticleAnalysis, Sentence]:
        article = self._articles.get(ref.article)
        if article is None or not (0 <= ref.sentence < len(article.sentences)):
            raise KeyError(ref)
        sentence = article.sentences[ref.sentence]
        if sentence.kind != "claim":
            raise KeyError(ref)
        return article, sentence

    def _anchor(self, ref: ClaimRef) -> Anchor:
        own = self._verdicts.get(ref, {}).get(self.reviewer)
        if own is not None and own.article_id == ref.article:
            return own.anchor
        article, sentence = self._claim(ref)
        return make_anchor(article.article.text, sentence.start, sentence.end)

    # --- history -----------------------------------------------------------------------------

    def history(self, ref: ClaimRef) -> list[HistoryEntry]:
        """Every logged change to any reviewer's mark on this claim, oldest first.

        Includes changes made on earlier versions of the article (followed through the
        ``reanchor`` entries) and changes to marks since withdrawn.
        """
        self._index_history()
        return list(self._history_index.get(ref, []))

    def mark_history(self, mark: Mark) -> list[HistoryEntry]:
        """The logged changes of one mark (e.g. an orphan), oldest first."""
        self._index_history()
        return list(self._mark_history.get(identity_of(mark), []))

    def _index_history(self) -> None:
        """Bring the history index up to date with the log: only the entries logged since the last look.

        Why: every save adds an entry and the inspector shows the claim's history on every key, so re-indexing
        the whole log each time made a key cost O(log). New entries are appended to their mark's and claim's
        lists exactly as a full pass would; only a re-anchoring (which changes where earlier entries belong) or
        a log that was not simply appended to (a merge, another session's file) indexes the whole log anew.
        """
        tail = self.store.history_since(self._history_position)
        if not tail.restarted and any(entry.action == "reanchor" for entry in tail.entries):
            tail = self.store.history_since(None)
        if tail.restarted:
            self._history_index, self._mark_history, self._history_placed = {}, {}, {}
            self._history_moves = moves_of(tail.entries)
        by_ref, by_mark, placed, moves = (
            self._history_index,
            self._mark_history,
            self._history_placed,
            self._history_moves,
        )
        for entry in tail.entries:
            identity = resolve_identity(entry.identity, moves)
            by_mark.setdefault(identity, []).append(entry)
            if identity not in placed:
                placed[identity] = self._locate(identity)
            ref = placed[identity]
            if ref is not None:
                by_ref.setdefault(ref, []).append(entry)
        self._history_position = tail.position

    def _spans(self, article: ArticleAnalysis) -> list[tuple[int, int]]:
        """The article's claim spans, made once per article (not once per corpus on every look)."""
        spans = self._claim_spans.get(article.article.id)
        if spans is None:
            spans = self._claim_spans[article.article.id] = [(s.start, s.end) for s in article.claims]
        return spans

    def _exact_span(self, article: ArticleAnalysis, found: tuple[int, int]) -> int | None:
        """The position of the claim spanning exactly ``found`` (what ``span_for`` answers first), by a dict."""
        positions = self._exact_spans.get(article.article.id)
        if positions is None:
            positions = {}
            for position, span in enumerate(self._spans(article)):
                positions.setdefault(span, position)
            self._exact_spans[article.article.id] = positions
        return positions.get(found)

    def _locate(self, identity: Identity) -> ClaimRef | None:
        article_id, quote, start, _ = identity
        article = self._articles.get(article_id)
        if article is None or not quote:
            return None
        text = article.article.text
        found: tuple[int, int] | None = None
        if text[start : start + len(quote)] == quote:
            found = (start, start + len(quote))
        else:
            position = text.find(quote)
            if position != -1:
                found = (position, position + len(quote))
        if found is None:
            return None
        index = self._exact_span(article, found)
        if index is None:
            index = span_for(found, self._spans(article))
        return None if index is None else ClaimRef(article_id, article.claims[index].index)

    # --- orphans -----------------------------------------------------------------------------

    def orphan_article(self, mark: Mark) -> ArticleAnalysis | None:
        """The corpus article an orphan belongs to (its own id, or the edited version of it)."""
        home = self._orphan_home.get(identity_of(mark), mark.article_id)
        return self._articles.get(home)

    def orphan_diff(self, mark: Mark) -> OrphanDiff:
        """The claim of the mark's article most like its quote, and a word diff quote → claim."""
        article = self.orphan_article(mark)
        if article is None or not article.claims:
            return OrphanDiff("", "")
        text = article.article.text
        found = closest_span(mark.anchor.quote, text, [(s.start, s.end) for s in article.claims])
        if found is None:
            return OrphanDiff("", "")
        (start, end), _ = found
        closest = text[start:end]
        return OrphanDiff(closest, inline_diff(mark.anchor.quote, closest))

    # --- changing (store first, then memory) -------------------------------------------------

    def set_status(self, ref: ClaimRef, status: Status) -> Mark | None:
        if status is Status.UNREVIEWED:
            return self.clear(ref)
        return self._apply(ref, status=Status(status))

    def set_note(self, ref: ClaimRef, note: str) -> Mark | None:
        return self._apply(ref, note=note)

    def clear(self, ref: ClaimRef) -> Mark | None:
        """Withdraw the reviewer's own verdict (their note stays). Others' verdicts are theirs."""
        if self.reviewer not in self._verdicts.get(ref, {}):
            return None
        return self._apply(ref, status=Status.UNREVIEWED)

    def undo(self) -> ClaimRef | None:
        """Undo this session's last own change (as a new, logged change); the claim it touched."""
        change = self._undo.pop_undo()
        if change is None:
            return None
        try:
            self._put(change.ref, change.before, "undo", change.fields_before)
        except BaseException:
            self._undo.redone(change)
            raise
        self._undo.undone(change)
        return change.ref

    def redo(self) -> ClaimRef | None:
        """Redo the last undone change; the claim it touched."""
        change = self._undo.pop_redo()
        if change is None:
            return None
        try:
            self._put(change.ref, change.after, "redo", change.fields_after)
        except BaseException:
            self._undo.undone(change)
            raise
        self._undo.redone(change)
        return change.ref

    @property
    def can_undo(self) -> bool:
        return self._undo.can_undo

    @property
    def can_redo(self) -> bool:
        return self._undo.can_redo

    def _apply(self, ref: ClaimRef, *, status: Status | None = None, note: str | None = None) -> Mark | None:
        before = _state(self._verdicts.get(ref, {}).get(self.reviewer))
        anchor = self._anchor(ref)
        path = self._paths.get(ref.article)
        if status is Status.UNREVIEWED and note is None:
            mark = self.store.clear(ref.article, anchor, self.reviewer)
        elif status is not None:
            mark = self.store.set_status(
                ref.article, anchor, status, self.reviewer, path=path, fields=self._fields(ref)
            )
        else:
            mark = self.store.set_note(
                ref.article, anchor, note or "", self.reviewer, path=path, fields=self._fields(ref)
            )
        if mark is not None and is_blank(mark.status, mark.note, mark.extra):
            mark = None
        self._remember(ref, mark)
        self._undo.push(Change(ref, before, _state(mark)))
        return mark

    def set_fields(
        self, ref: ClaimRef, fields: Mapping[str, Any], *, detail: str = "", action: str = "set"
    ) -> Mark | None:
        """Set extra fields of the reviewer's own mark on ``ref`` (evidence: see ``review/evidence.py``), on disk first
        (``Store.set_fields``, logged as ``action``); undone and redone like a verdict (the fields' old values ride on
        the undo stack). The mark that is left, or ``None`` when nothing is."""
        own = self._verdicts.get(ref, {}).get(self.reviewer)
        before = {key: (own.extra.get(key) if own is not None else None) for key in fields}
        mark = self.store.set_fields(
            ref.article,
            self._anchor(ref),
            self.reviewer,
            fields,
            action=action,
            path=self._paths.get(ref.article),
            detail=detail,
        )
        self._remember(ref, mark)
        after = {key: (mark.extra.get(key) if mark is not None else None) for key in fields}
        self._undo.push(Change(ref, _state(own), _state(mark), fields_before=before, fields_after=after))
        return mark

    def _put(
        self, ref: ClaimRef, state: tuple[Status, str], action: str, fields: Mapping[str, Any] | None = None
    ) -> Mark | None:
        if fields is not None:  # an extra-fields change (evidence): put those back, the verdict and note stay
            mark = self.store.set_fields(
                ref.article, self._anchor(ref), self.reviewer, fields, action=action, path=self._paths.get(ref.article)
            )
            self._remember(ref, mark)
            return mark
        mark = self.store.put(
            ref.article,
            self._anchor(ref),
            self.reviewer,
            status=state[0],
            note=state[1],
            action=action,
            path=self._paths.get(ref.article),
            fields=self._fields(ref),
        )
        self._remember(ref, mark)
        return mark

    def _fields(self, ref: ClaimRef) -> dict[str, str]:
        """What a saved mark records about its article beside the path: the outlet as the reader shows it
        (a reviewer's name for it, else the detected one), so the outlet record (``outlet_record``) knows it
        when the file is gone or another corpus is open."""
        article = self._articles.get(ref.article)
        return {OUTLET_FIELD: article.article.source} if article is not None and article.article.source else {}

    def _remember(self, ref: ClaimRef, mark: Mark | None) -> None:
        """Show a just-saved change; re-attach everything if the save pulled in others' changes."""
        if self.store.generation != self._generation:
            self.reload()
            return
        marks = self._verdicts.setdefault(ref, {})
        if mark is None:
            marks.pop(self.reviewer, None)
        else:
            marks[self.reviewer] = mark
        self._count(ref, self._effective.get(ref), -1)
        if marks:
            self._effective[ref] = self._pick(marks)
            self._count(ref, self._effective[ref], 1)
        else:
            self._verdicts.pop(ref, None)
            self._effective.pop(ref, None)

    # --- agreement ---------------------------------------------------------------------------

    def agreement(self) -> AgreementReport:
        """Per-reviewer counts and pairwise agreement over this corpus' claims."""
        return summarize({ref: dict(marks) for ref, marks in self._verdicts.items()})
