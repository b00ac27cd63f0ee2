"""Running text: entnorm against pyahocorasick and flashtext on the same corpus and keys.

The table is the bundled one plus generated people; the corpus is synthetic
news-like text with their names in it (see :mod:`benchmarks.corpus`). All
systems get the same key set (every key of entnorm's index):

- entnorm: ``Normalizer.stream`` over the corpus file (decoding included);
- pyahocorasick: an automaton of the keys run over ``text.casefold()``, with a
  Python word-boundary check on each hit;
- flashtext: ``KeywordProcessor()`` with default arguments, ``extract_keywords``
  and ``replace_keywords``.

Scaling runs stream files of growing size through entnorm, each in a fresh
process, and record time and peak resident memory.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from entnorm import Normalizer, dump_table

from . import corpus
from .report import table
from .stream_probe import probe
from .tables import benchmark_table

__all__ = ["run"]


@dataclass
class Sizes:
    aliases: int
    compare_mb: int
    replace_mb: float
    scaling_mb: tuple[int, ...]
    flashtext_scaling_mb: tuple[int, ...]
    workers_mb: int


FULL = Sizes(100_000, compare_mb=10, replace_mb=1, scaling_mb=(10, 100, 1000), flashtext_scaling_mb=(10, 100),
             workers_mb=50)
QUICK = Sizes(10_000, compare_mb=1, replace_mb=0.1, scaling_mb=(1, 2, 4), flashtext_scaling_mb=(1, 2), workers_mb=2)
_SEPARATOR = "\n===\n"
_REPEATS = 3  # the comparison reports each system's best of this many runs
_MB = 1_000_000


def _timed(function, *args):  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _aho_corasick(keys: list[str]):  # type: ignore[no-untyped-def]
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, len(key))
    automaton.make_automaton()
    return automaton


def _aho_corasick_hits(automaton, text: str) -> int:  # type: ignore[no-untyped-def]
    """What a careful user writes: casefold, then keep hits on word boundaries."""
    folded = text.casefold()
    last = len(folded) - 1
    hits = 0
    for end, length in automaton.iter(folded):
        start = end - length + 1
        if (start == 0 or not folded[start - 1].isalnum()) and (end == last or not folded[end + 1].isalnum()):
            hits += 1
    return hits


def _flashtext(normalizer: Normalizer, keys: list[str]):  # type: ignore[no-untyped-def]
    from flashtext import KeywordProcessor

    processor = KeywordProcessor()
    index = normalizer._index
    for key in keys:
        processor.add_keyword(key, index.entities[index.keys[key][0][0]].id)
    return processor


def _corpus(folder: Path, names: list[str], megabytes: float) -> Path:
    path = folder / f"corpus-{megabytes:g}mb.txt"
    if not path.exists():
        corpus.write_corpus(str(path), names, int(megabytes * _MB))
    return path


def run(quick: bool = False) -> str:
    """Run the text benchmark; returns its RESULTS.md section."""
    sizes = QUICK if quick else FULL
    table_, names = benchmark_table(sizes.aliases)
    normalizer, build_s = _timed(Normalizer, table_)
    gc.collect()
    gc.freeze()  # as the entnorm command does once its table is loaded
    keys = list(normalizer._index.keys)
    with tempfile.TemporaryDirectory(prefix="entnorm-bench-") as folder_name:
        folder = Path(folder_name)
        table_file = folder / "table.yaml"
        table_file.write_text(dump_table(table_), encoding="utf-8")
        compare = _corpus(folder, names, sizes.compare_mb)
        megabytes = os.path.getsize(compare) / _MB
        text = compare.read_text(encoding="utf-8")

        def stream_file() -> int:
            with compare.open("rb") as source:
                return sum(1 for _ in normalizer.stream(source))

        stream_file()  # warm: per-character tables, span answers
        automaton, ac_build_s = _timed(_aho_corasick, keys)
        processor, ft_build_s = _timed(_flashtext, normalizer, keys)
        ours_s = ac_s = ft_extract_s = float("inf")
        for _ in range(_REPEATS):  # alternating, so that a slower spell of the machine hits all alike
            mentions, seconds = _timed(stream_file)
            ours_s = min(ours_s, seconds)
            ac_hits, seconds = _timed(_aho_corasick_hits, automaton, text)
            ac_s = min(ac_s, seconds)
            extracted, seconds = _timed(processor.extract_keywords, text)
            ft_extract_s = min(ft_extract_s, seconds)
        part = text[: int(sizes.replace_mb * _MB)]
        _, ft_replace_s = _timed(processor.replace_keywords, part)
        replace_mb = len(part.encode("utf-8")) / _MB

        rows_compare = [
            ["entnorm `stream` (file, decoding included; gc.freeze after loading, as the command does)",
             f"{megabytes / ours_s:.2f}", "1.00x", f"{mentions:,}",
             f"{build_s:.1f}"],
            ["pyahocorasick on casefold + boundary check", f"{megabytes / ac_s:.2f}",
             f"{(megabytes / ours_s) / (megabytes / ac_s):.2f}x", f"{ac_hits:,}", f"{ac_build_s:.1f}"],
            ["flashtext `extract_keywords`", f"{megabytes / ft_extract_s:.2f}",
             f"{(megabytes / ours_s) / (megabytes / ft_extract_s):.2f}x", f"{len(extracted):,}", f"{ft_build_s:.1f}"],
            [f"flashtext `replace_keywords` (first {replace_mb:g} MB)", f"{replace_mb / ft_replace_s:.2f}",
             f"{(megabytes / ours_s) / (replace_mb / ft_replace_s):.1f}x", "", ""],
        ]
        del text, part, extracted

        scaling_rows = []
        for size in sizes.scaling_mb:
            path = _corpus(folder, names, size)
            actual = os.path.getsize(path) / _MB
            measured = probe(str(path), str(table_file))
            scaling_rows.append(
                [f"{actual:,.0f}", f"{measured['seconds']:.1f}", f"{actual / measured['seconds']:.2f}",
                 f"{measured['mentions']:,}", f"{measured['loading']:.1f}", f"{measured['loaded_mib']:,.0f}",
                 f"{measured['peak_mib']:,.0f}"]
            )
        documents = folder / "documents.txt"
        corpus.write_corpus(str(documents), names, sizes.workers_mb * _MB, seed=9, separator=_SEPARATOR)
        documents_mb = os.path.getsize(documents) / _MB
        workers_rows = []
        one_s = 0.0
        for workers in (1, 2):
            measured = probe(str(documents), str(table_file), "--workers", str(workers),
                             "--doc-separator", r"\n===\n")
            seconds = measured["seconds"]
            one_s = one_s or seconds
            workers_rows.append([str(workers), f"{seconds:.1f}", f"{documents_mb / seconds:.2f}",
                                 f"{one_s / seconds:.2f}x", f"{one_s / seconds / workers:.0%}",
                                 f"{measured['mentions']:,}"])
        flash_rows = []
        for size in sizes.flashtext_scaling_mb:
            path = _corpus(folder, names, size)
            big = path.read_text(encoding="utf-8")
            actual = len(big.encode("utf-8")) / _MB
            found, seconds = _timed(processor.extract_keywords, big)
            flash_rows.append([f"{actual:,.0f}", f"{seconds:.1f}", f"{actual / seconds:.2f}", f"{len(found):,}"])
            del big, found

    return "\n\n".join(
        [
            f"## Names in running text ({sizes.aliases:,} generated people plus the bundled tables, "
            f"{len(keys):,} keys)",
            f"Same corpus ({megabytes:.1f} MB of synthetic news text, about one word in 40 a name) and the same "
            "key set for every system; speeds in MB/s of UTF-8 input, each system's best of "
            f"{_REPEATS} alternating runs (replace: one run). 'entnorm is' is entnorm's speed divided by the system's.",
            table(["system", "MB/s", "entnorm is", "mentions / hits", "build s"], rows_compare),
            "### `entnorm normalize FILE --format jsonl` at growing size (each run a fresh process)",
            "Seconds exclude loading the table (timed on an empty file first, and shown).",
            table(
                ["MB", "seconds", "MB/s", "mentions", "loading s", "RSS after loading MiB", "peak RSS MiB"],
                scaling_rows,
            ),
            f"### `--workers` on {documents_mb:.0f} MB of documents of a few kilobytes (`--doc-separator`)",
            "Same command and measure as above; with two workers the table is sent to each worker process once "
            "(its start-up counts), and the output is the same, in input order.",
            table(["workers", "seconds", "MB/s", "speed-up", "efficiency", "mentions"], workers_rows),
            "### flashtext `extract_keywords` at growing size",
            table(["MB", "seconds", "MB/s", "keywords found"], flash_rows),
        ]
    )
