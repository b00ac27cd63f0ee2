"""The benchmark harness runs end to end in its quick mode (numbers are not checked here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_writes_results_and_plots(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    ran = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "-o", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert ran.returncode == 0, ran.stderr
    text = output.read_text(encoding="utf-8")
    assert "from commit `" in text
    for heading in ("## Name lookups on", "## Quality on real name variants", "## Lookup cost against table size",
                    "## Names in running text", "## Dask LocalCluster against one process"):
        assert heading in text
    assert "| NO |" not in text  # the cluster's mentions equal the one-process run's
    assert "entnorm `rewrite`" in text and "flashtext `replace_keywords`" in text  # side by side, same input
    assert "warmed first on different text" in text
    assert "Same number of matches from all three: yes" in text  # ahocorasick_rs and pyahocorasick agree
    assert "Same mentions from the command and from `stream`: yes" in text
    assert "the baselines' test queries" in text  # entnorm on exactly the baselines' sample
    assert "Expected calibration error" in text and "careful: exact keys" in text
    assert "at most 1 % false accepts" in text
    assert "nan" not in text
    for picture in ("reliability.png", "lookup_cost.png"):
        assert (tmp_path / picture).read_bytes().startswith(b"\x89PNG")
