"""PNG plots for RESULTS.md: the reliability diagram and lookup cost against table size (matplotlib)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["lookup_cost", "reliability_diagram"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def reliability_diagram(bins: Sequence[tuple[float, float, int]], path: Path, ece: float) -> None:
    """Accuracy against mean confidence per bin, with the diagonal of perfect calibration."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    confidence = [b[0] for b in bins]
    accuracy = [b[1] for b in bins]
    sizes = [max(8.0, 300.0 * b[2] / max(c for _, _, c in bins)) for b in bins]
    axes.scatter(confidence, accuracy, s=sizes, color="tab:blue", zorder=3, label="entnorm (marker area: queries)")
    axes.plot(confidence, accuracy, color="tab:blue")
    axes.set(xlim=(0, 1), ylim=(0, 1), xlabel="confidence (score of the best candidate)",
             ylabel="share right", title=f"Reliability on test queries (ECE {ece:.3f})")
    axes.legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def lookup_cost(results: Sequence[dict[str, float]], path: Path) -> None:
    """Microseconds per lookup against table size, log-log, for entnorm and brute force."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6, 4.5))
    sizes = [r["size"] for r in results]
    for key, label in (("exact_per_s", "entnorm match (exact/variant)"), ("fuzzy_per_s", "entnorm candidates (typos)"),
                       ("brute_per_s", "extractOne WRatio (brute force)")):
        axes.plot(sizes, [1e6 / r[key] for r in results], marker="o", label=label)
    axes.set(xscale="log", yscale="log", xlabel="aliases in the table", ylabel="µs per lookup",
             title="Lookup cost against table size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
