"""Draw docs/quality.png: the paraphrase evidence of every pair of Clough-Stevenson and SemEval.

Usage: python scripts/quality_figures.py [DATA] [OUT]  (defaults ../shared/data, docs/quality.png)

Each pair is a point at its rewrite score and its spread, coloured by its gold category;
the dashed lines are the detector's thresholds. Pairs that the near-duplicate rule decides
(containment at or above its threshold) are left out: these thresholds do not judge them.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from dedup import DetectorConfig
from dedup._eval import cases_of, evaluate

ROOT = Path(__file__).resolve().parent.parent
COLOURS = {
    "non": "tab:blue",
    "heavy": "tab:red",
    "light": "tab:orange",
    "cut": "tab:brown",
    "different story (Overall >= 2.5)": "tab:blue",
    "related (1.5 < Overall < 2.5)": "tab:gray",
    "same story (Overall <= 1.5)": "tab:red",
}


def panel(ax, evaluation, title, config):
    for category, colour in COLOURS.items():
        points = [
            (p.scores.rewrite, p.scores.spread)
            for p in evaluation.pairs
            if p.category == category and p.scores.containment < config.near_duplicate_containment
        ]
        if points:
            xs, ys = zip(*points, strict=True)
            ax.scatter(xs, ys, s=14, alpha=0.7, color=colour, label=f"{category} ({len(points)})")
    ax.axvline(config.paraphrase_score, color="k", linestyle="--", linewidth=1)
    ax.axhline(config.paraphrase_spread, color="k", linestyle="--", linewidth=1)
    ax.set(title=title, xlabel="rewrite", ylabel="spread", xlim=(0, 1), ylim=(-0.03, 1.03))
    ax.legend(fontsize=7, loc="lower right")


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "quality.png"
    config = DetectorConfig()
    clough = evaluate(cases_of("clough", data / "clough-stevenson-2011"), "clough")
    semeval = evaluate(cases_of("semeval", data / "semeval2022-task8-en"), "semeval")
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), constrained_layout=True)
    panel(axes[0], clough, "Clough-Stevenson: answer ~ its source", config)
    panel(axes[1], semeval, "SemEval-2022 Task 8: English news pairs", config)
    fig.suptitle("A paraphrase needs rewrite and spread above the dashed lines (and cosine >= 0.3)", fontsize=10)
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
