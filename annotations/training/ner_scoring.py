"""Exact-span precision/recall/F1, typed and untyped — shared by the benchmark and the tests.

Why exact spans: a highlight that is one word short ("Bashar al-" + "Assad") is wrong
to a reader, so partial overlaps count as one false positive and one false negative,
as in the CoNLL and MUC "exact" scores. Optional gold spans (IE-ER ``status="opt"``)
are neither required nor penalised: a prediction overlapping one is ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Span = tuple[int, int, str]


@dataclass
class Counts:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    untyped_tp: int = 0
    untyped_fp: int = 0
    untyped_fn: int = 0

    def add(self, gold: Iterable[Span], predicted: Iterable[Span], optional: Sequence[Span] = ()) -> None:
        gold_set = set(gold)
        predicted_set = {
            p for p in predicted if not any(o[0] < p[1] and p[0] < o[1] for o in optional) or p in gold_set
        }
        for span in predicted_set:
            if span in gold_set:
                self.tp[span[2]] += 1
            else:
                self.fp[span[2]] += 1
        for span in gold_set - predicted_set:
            self.fn[span[2]] += 1
        gold_untyped = {(s, e) for s, e, _ in gold_set}
        predicted_untyped = {(s, e) for s, e, _ in predicted_set}
        self.untyped_tp += len(gold_untyped & predicted_untyped)
        self.untyped_fp += len(predicted_untyped - gold_untyped)
        self.untyped_fn += len(gold_untyped - predicted_untyped)

    def labels(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    def prf(self, label: str | None = None) -> tuple[float, float, float]:
        """(precision, recall, F1) for one label, or micro-averaged over all labels when ``None``."""
        if label is None:
            tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        else:
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
        return _prf(tp, fp, fn)

    def untyped(self) -> tuple[float, float, float]:
        return _prf(self.untyped_tp, self.untyped_fp, self.untyped_fn)

    def table(self, title: str) -> str:
        rows = [title, f"{'type':<10}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}"]
        for label in self.labels():
            p, r, f = self.prf(label)
            gold = self.tp[label] + self.fn[label]
            pred = self.tp[label] + self.fp[label]
            rows.append(f"{label:<10}{p:>7.3f}{r:>7.3f}{f:>7.3f}{gold:>7}{pred:>7}")
        p, r, f = self.prf()
        rows.append(f"{'typed':<10}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
        p, r, f = self.untyped()
        rows.append(f"{'untyped':<10}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
        return "\n".join(rows)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
