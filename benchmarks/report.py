"""Machine facts and Markdown tables for RESULTS.md."""

from __future__ import annotations

import os
import platform
from collections.abc import Sequence
from importlib import metadata

__all__ = ["machine", "rss_mib", "table"]

_LIBRARIES = ("entnorm", "rapidfuzz", "unidecode", "pyyaml", "pyahocorasick", "flashtext", "dask", "distributed")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """A Markdown paragraph: CPU, cores, Python and library versions."""
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"CPU: {_cpu_model()}, {cores} cores available; Python {platform.python_version()} "
        f"on {platform.system()} {platform.machine()}; {', '.join(versions)}."
    )


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; floats are printed as given (format them before)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def rss_mib() -> float:
    """Resident memory of this process now, in MiB (Linux), else 0."""
    try:
        with open("/proc/self/statm", encoding="utf-8") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0
