"""Draw docs/img/s-curve.png: ``python scripts/s_curve_figure.py`` (needs matplotlib, in the docs extra).

The S-curve of LSH banding: the probability that two documents become candidates, as a
function of the Jaccard similarity of their shingle sets, for the detector's banding and for
the defaults of other tools.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

DOCS = Path(__file__).resolve().parent.parent / "docs"


def candidate_probability(jaccard: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``1 - (1 - J**rows)**bands``: the chance that at least one band agrees."""
    return 1 - (1 - jaccard**rows) ** bands


def s_curve(path: Path) -> None:
    j = np.linspace(0, 1, 501)
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for bands, rows, label in (
        (128, 2, "dedup: 128 bands x 2 rows (256 permutations)"),
        (14, 8, "14 x 8 on word 5-grams (datatrove)"),
        (20, 13, "20 x 13 on word 5-grams (NeMo Curator)"),
    ):
        ax.plot(j, candidate_probability(j, bands, rows), label=label)
    marks = (
        (0.051, 0.55, "seed rewrite 000-001,\nword 5-grams (others' sets)"),
        (0.15, 0.3, "lowest rewrite in Clough-\nStevenson, content words"),
        (0.338, 0.1, "seed rewrite 000-001,\ncontent words (dedup's sets)"),
    )
    for x, y, text in marks:
        ax.axvline(x, color="grey", linestyle=":", linewidth=1)
        ax.text(x + 0.01, y, text, fontsize=7.5, color="dimgrey")
    ax.set_xlabel("Jaccard similarity of the shingle sets each tool uses")
    ax.set_ylabel("probability of becoming a candidate")
    ax.set_title("LSH banding: which pairs the index proposes")
    ax.legend(loc="center right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)


if __name__ == "__main__":
    s_curve(DOCS / "img" / "s-curve.png")
