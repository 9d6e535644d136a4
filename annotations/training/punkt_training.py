"""Learn Punkt sentence-splitting parameters from news text and store them as plain JSON.

NLTK's own ``punkt_tab`` download is not available offline and its older form is a
pickle; instead we run NLTK's ``PunktTrainer`` on the Penn Treebank's raw WSJ text (in
``NLTK_DATA``) plus the bundled seeds, add a curated abbreviation list, and write
``annotations/data/punkt.json``. The app loads that file; it never needs NLTK_DATA.

    NLTK_DATA=../shared/nltk_data python -m factdesk.annotations.training.punkt_training
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "punkt.json"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _nltk_data() -> Path:
    for folder in os.environ.get("NLTK_DATA", "").split(os.pathsep):
        if folder and (Path(folder) / "corpora" / "treebank.zip").exists():
            return Path(folder)
    raise SystemExit("set NLTK_DATA to a folder with corpora/treebank.zip (e.g. ../shared/nltk_data)")


def treebank_documents(nltk_data: Path) -> list[str]:
    """The raw WSJ documents, one sentence per line (their own gold segmentation)."""
    documents = []
    with zipfile.ZipFile(nltk_data / "corpora" / "treebank.zip") as archive:
        for name in sorted(archive.namelist()):
            if "/raw/wsj_" in name:
                text = archive.read(name).decode("latin-1").replace(".START", "")
                documents.append(text)
    return documents


def train(texts: Iterable[str]) -> dict:
    from nltk.tokenize.punkt import PunktTrainer

    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    return {
        "source": "nltk PunktTrainer on Penn Treebank raw WSJ + factdesk seeds",
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([a, b] for a, b in params.collocations),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }


def main() -> None:
    nltk_data = _nltk_data()
    texts = [" ".join(doc.split("\n")) for doc in treebank_documents(nltk_data)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    data = train(texts)
    DATA_FILE.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"wrote {DATA_FILE} ({DATA_FILE.stat().st_size // 1024} KB): {len(data['abbrev_types'])} abbreviations, "
        f"{len(data['collocations'])} collocations, {len(data['sent_starters'])} sentence starters"
    )


if __name__ == "__main__":
    main()
