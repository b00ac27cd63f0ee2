"""Dask: ``entnorm.dask.annotate_bag`` on a LocalCluster against one process, on the same documents.

The one-process run calls ``Normalizer.annotate`` on each document, the
function every Dask task runs on its partition; the Dask runs include
scattering the built normalizer to the workers and gathering every mention
back as a dict, and check that the result is the same, in the same order.
Starting the cluster is timed apart. On two cores the cluster can at best
halve the time; its point is machines beyond one, where the same code runs
against a ``distributed.Client`` of a real scheduler.
"""

from __future__ import annotations

import os
import time
from itertools import islice

from entnorm import Normalizer
from entnorm.dask import annotate_bag, mention_record, shared

from . import corpus
from .report import table
from .tables import benchmark_table

__all__ = ["run"]

_MB = 1_000_000
_DOCUMENT_PARAGRAPHS = 4


def _documents(names: list[str], megabytes: float) -> list[str]:
    documents: list[str] = []
    size = 0
    paragraphs = corpus.paragraphs(names, seed=11)
    while size < megabytes * _MB:
        document = "".join(islice(paragraphs, _DOCUMENT_PARAGRAPHS))
        documents.append(document)
        size += len(document.encode("utf-8"))
    return documents


def run(quick: bool = False) -> str:
    """Run the Dask benchmark; returns its RESULTS.md section."""
    import dask.bag as db
    from distributed import Client, LocalCluster, wait

    aliases, megabytes = (10_000, 2) if quick else (100_000, 40)
    table_, names = benchmark_table(aliases)
    normalizer = Normalizer(table_)
    documents = _documents(names, megabytes)
    size_mb = sum(len(d.encode("utf-8")) for d in documents) / _MB

    start = time.perf_counter()
    expected = [[mention_record(m) for m in normalizer.annotate(d)] for d in documents]
    one_s = time.perf_counter() - start
    mentions = sum(map(len, expected))
    rows = [["one process (`annotate` per document)", "", "", f"{one_s:.1f}", f"{size_mb / one_s:.2f}", "1.00x",
             "1.00x", "yes"]]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    for workers in sorted({1, 2, min(cores, 4)}):
        start = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            started_s = time.perf_counter() - start
            start = time.perf_counter()
            handle = shared(normalizer, client)
            wait(handle)
            scatter_s = time.perf_counter() - start
            bag = db.from_sequence(documents, npartitions=8 * workers)
            found = annotate_bag(bag, handle).compute()
            seconds = time.perf_counter() - start
        rows.append([
            f"LocalCluster, {workers} worker process(es)", f"{started_s:.1f}", f"{scatter_s:.1f}", f"{seconds:.1f}",
            f"{size_mb / seconds:.2f}", f"{one_s / seconds:.2f}x", f"{one_s / (seconds - scatter_s):.2f}x",
            "yes" if found == expected else "NO",
        ])
    return "\n\n".join([
        f"## Dask LocalCluster against one process ({size_mb:.0f} MB in {len(documents):,} documents, "
        f"{aliases:,} generated people plus the bundled tables, {mentions:,} mentions)",
        "Seconds include sending the normalizer to every worker once ('scatter s', also shown apart) and "
        "gathering every mention; 'after scatter' is the speed-up without the scatter, what a long-lived "
        "cluster that keeps the normalizer sees on later corpora. 'same result' compares the gathered "
        "mentions, in order, with the one-process run.",
        table(["run", "cluster start s", "scatter s", "seconds", "MB/s", "speed-up", "after scatter", "same result"],
              rows),
    ])
