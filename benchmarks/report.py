"""Machine facts and Markdown tables for RESULTS.md."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

__all__ = ["commit", "machine", "peak_rss_mib", "rss_mib", "table"]

_LIBRARIES = (
    "entnorm", "rapidfuzz", "unidecode", "pyyaml", "ahocorasick-rs", "pyahocorasick", "flashtext", "dask",
    "distributed",
)
_ROOT = Path(__file__).resolve().parents[1]


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


def commit() -> str:
    """The commit the harness runs from: ``git rev-parse --short HEAD``.

    ``+ uncommitted changes`` follows when ``git status --porcelain`` lists
    anything (untracked files included); ``unknown`` when git or the
    repository is unavailable.
    """
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=_ROOT, capture_output=True, text=True,
                              check=True, timeout=60).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=_ROOT, capture_output=True, text=True,
                                check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not head:
        return "unknown"
    return f"{head} + uncommitted changes" if status.strip() else head


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


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB.

    Linux: ``VmHWM`` of ``/proc/self/status``, the high-water mark of this
    process's own memory. Not ``ru_maxrss``: a process started by another one
    inherits its parent's peak there (fork copies it, exec keeps it), so a
    child of a big benchmark process would report the parent's memory as its
    own. Elsewhere ``ru_maxrss`` is all there is.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if platform.system() == "Darwin" else peak / 1024
