"""Running text: entnorm against pyahocorasick and flashtext on the same corpus and keys.

The table is the bundled one plus generated people; the corpus is synthetic
news-like text with their names in it (see :mod:`benchmarks.corpus`). All
systems get the same key set (every key of entnorm's index):

- entnorm: ``Normalizer.stream`` over the corpus file (decoding included),
  and ``Normalizer.rewrite`` of a str to an ``io.StringIO`` against
  flashtext's ``replace_keywords`` on the same str;
- pyahocorasick: an automaton of the keys run over ``text.casefold()``, with a
  Python word-boundary check on each hit;
- flashtext: ``KeywordProcessor()`` with default arguments, ``extract_keywords``
  and ``replace_keywords``.

entnorm keeps what it has decided about spans it met (per normalizer). So that
no timed run profits from having seen the text it is timed on, each timed
entnorm run gets a fresh copy of the normalizer (unpickled: the caches are not
pickled), frozen as the command freezes its own and warmed on a different
corpus (another seed, the same size as the timed input).

Two more comparisons back figures the README quotes: the trigger search alone
(ahocorasick_rs, which entnorm uses, against pyahocorasick on the same keys and
text), and what the command's JSONL output costs (``normalize --format
jsonl`` to a file and to ``/dev/null`` against ``Normalizer.stream`` counting
mentions, each in a fresh process).

Scaling runs stream files of growing size through entnorm, each in a fresh
process, and record time and peak resident memory.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
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
_SEED = 3  # of the timed corpus (corpus.write_corpus's default)
_WARM_SEED = 5  # of the text entnorm is warmed on: never the text it is timed on


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


def _trigger_searchers(keys: list[str], automaton, py_build_s: float):  # type: ignore[no-untyped-def]
    """Three searches for every key (pyahocorasick's ``automaton`` of them one), each counting (overlapping) matches."""
    import ahocorasick_rs

    text_ac, rs_build_s = _timed(ahocorasick_rs.AhoCorasick, keys)
    bytes_ac, rs_bytes_build_s = _timed(ahocorasick_rs.BytesAhoCorasick, [key.encode("utf-8") for key in keys])
    return [
        ("ahocorasick_rs `AhoCorasick.find_matches_as_indexes(text, overlapping=True)`", rs_build_s, False,
         lambda text: len(text_ac.find_matches_as_indexes(text, overlapping=True))),
        ("ahocorasick_rs `BytesAhoCorasick` on the UTF-8 bytes (entnorm searches bytes of an ASCII view)",
         rs_bytes_build_s, True, lambda data: len(bytes_ac.find_matches_as_indexes(data, overlapping=True))),
        ("pyahocorasick `Automaton.iter(text)`, counting", py_build_s, False,
         lambda text: sum(1 for _ in automaton.iter(text))),
    ]


def _flashtext(normalizer: Normalizer, keys: list[str]):  # type: ignore[no-untyped-def]
    from flashtext import KeywordProcessor

    processor = KeywordProcessor()
    index = normalizer._index
    for key in keys:
        processor.add_keyword(key, index.entities[index.keys[key][0][0]].id)
    return processor


def _corpus(folder: Path, names: list[str], megabytes: float, seed: int = _SEED) -> Path:
    path = folder / f"corpus-{megabytes:g}mb-seed{seed}.txt"
    if not path.exists():
        corpus.write_corpus(str(path), names, int(megabytes * _MB), seed=seed)
    return path


def _stream_file(normalizer: Normalizer, path: Path) -> int:
    with path.open("rb") as source:
        return sum(1 for _ in normalizer.stream(source))


def _rewrite(normalizer: Normalizer, text: str) -> str:
    out = io.StringIO()
    normalizer.rewrite(text, out)
    return out.getvalue()


def _fresh_copy(blob: bytes) -> Normalizer:
    """The pickled normalizer, with none of the caches of the one pickled, frozen as the command does.

    The copy before it must be gone (``del``) by now: thawing lets a full
    collection free whatever of it was left in cycles.
    """
    gc.unfreeze()
    gc.collect()
    copy: Normalizer = pickle.loads(blob)
    gc.collect()
    gc.freeze()
    return copy


def _speed(megabytes: float, seconds: float) -> str:
    return f"{megabytes / seconds:.2f}"


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
        warm = _corpus(folder, names, sizes.compare_mb, seed=_WARM_SEED)
        megabytes = os.path.getsize(compare) / _MB
        text = compare.read_text(encoding="utf-8")
        part = text[: int(sizes.replace_mb * _MB)]
        warm_part = warm.read_text(encoding="utf-8")[: len(part)]
        replace_mb = len(part.encode("utf-8")) / _MB
        blob = pickle.dumps(normalizer, protocol=pickle.HIGHEST_PROTOCOL)

        automaton, ac_build_s = _timed(_aho_corasick, keys)
        processor, ft_build_s = _timed(_flashtext, normalizer, keys)
        ours_s = ac_s = ft_extract_s = rewrite_s = ft_replace_s = float("inf")
        for _ in range(_REPEATS):  # alternating, so that a slower spell of the machine hits all alike
            ours = _fresh_copy(blob)
            _stream_file(ours, warm)  # warm on other text: per-character tables, span answers
            mentions, seconds = _timed(_stream_file, ours, compare)
            ours_s = min(ours_s, seconds)
            del ours
            ours = _fresh_copy(blob)
            _rewrite(ours, warm_part)
            rewritten, seconds = _timed(_rewrite, ours, part)
            rewrite_s = min(rewrite_s, seconds)
            del ours, rewritten
            ac_hits, seconds = _timed(_aho_corasick_hits, automaton, text)
            ac_s = min(ac_s, seconds)
            extracted, seconds = _timed(processor.extract_keywords, text)
            ft_extract_s = min(ft_extract_s, seconds)
            replaced, seconds = _timed(processor.replace_keywords, part)
            ft_replace_s = min(ft_replace_s, seconds)
            del replaced
        gc.unfreeze()
        gc.collect()
        gc.freeze()

        rows_compare = [
            ["entnorm `stream` (file, decoding included; gc.freeze after loading, as the command does)",
             _speed(megabytes, ours_s), "1.00x", f"{mentions:,}", f"{build_s:.1f}"],
            ["pyahocorasick on casefold + boundary check", _speed(megabytes, ac_s),
             f"{ac_s / ours_s:.2f}x", f"{ac_hits:,}", f"{ac_build_s:.1f}"],
            ["flashtext `extract_keywords`", _speed(megabytes, ft_extract_s),
             f"{ft_extract_s / ours_s:.2f}x", f"{len(extracted):,}", f"{ft_build_s:.1f}"],
        ]
        rows_replace = [
            ["entnorm `rewrite` (str to an io.StringIO, mentions replaced by canonical names)",
             _speed(replace_mb, rewrite_s), "1.00x"],
            ["flashtext `replace_keywords` (str to str, keywords replaced by entity ids)",
             _speed(replace_mb, ft_replace_s), f"{ft_replace_s / rewrite_s:.1f}x"],
        ]
        del extracted, part, warm_part

        folded = text.casefold()
        del text
        folded_bytes = folded.encode("utf-8")
        searchers = _trigger_searchers(keys, automaton, ac_build_s)
        best = [float("inf")] * len(searchers)
        matches = [0] * len(searchers)
        for _ in range(_REPEATS):
            for number, (_, _, on_bytes, search) in enumerate(searchers):
                matches[number], seconds = _timed(search, folded_bytes if on_bytes else folded)
                best[number] = min(best[number], seconds)
        del folded, folded_bytes
        rows_triggers = [
            [label, _speed(megabytes, seconds), f"{best[-1] / seconds:.2f}x", f"{found:,}", f"{build:.1f}"]
            for (label, build, _, _), seconds, found in zip(searchers, best, matches, strict=True)
        ]
        same_matches = len(set(matches)) == 1
        del searchers

        file_run = probe(str(compare), str(table_file), "--no-loading")
        null_run = probe(str(compare), str(table_file), "--no-loading", "--output", os.devnull)
        stream_run = probe(str(compare), str(table_file), "--library-stream")
        rows_output = []
        for label, measured in (
            ("`entnorm normalize FILE --format jsonl -o OUT` (a file)", file_run),
            ("the same with `-o /dev/null`", null_run),
            ("`Normalizer.stream` counting mentions (`entnorm.load`, gc.freeze; no output)", stream_run),
        ):
            seconds = measured["seconds"]
            rows_output.append([
                label, f"{seconds:.2f}", _speed(megabytes, seconds),
                f"{measured['mentions']:,}" if measured["mentions"] is not None else "(not counted)",
                f"{1 - stream_run['seconds'] / seconds:.0%}" if measured is not stream_run else "",
            ])
        same_mentions = file_run["mentions"] == stream_run["mentions"]

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
            f"{_REPEATS} alternating runs. 'entnorm is' is entnorm's speed divided by the system's. Every timed "
            "entnorm run has a fresh copy of the normalizer (unpickled, so none "
            "of the caches of spans it has met), warmed first on different text: a corpus of the same size "
            f"from another seed ({_WARM_SEED} instead of {_SEED}), never the text it is then timed on.",
            table(["system", "MB/s", "entnorm is", "mentions / hits", "build s"], rows_compare),
            f"### Replacing names: entnorm `rewrite` against flashtext `replace_keywords` (first {replace_mb:.2f} "
            "MB of the same corpus)",
            f"Both get the same str and produce the whole text with names replaced; best of {_REPEATS} "
            "alternating runs each (entnorm's warmed as above, on as much of the other corpus).",
            table(["system", "MB/s", "entnorm is"], rows_replace),
            "### Trigger search alone: ahocorasick_rs (which entnorm uses) against pyahocorasick",
            f"The same keys ({len(keys):,}, every key of the index) over the same text, the corpus above "
            f"casefolded once; every overlapping match of every key, no boundary check, nothing scored; best of "
            f"{_REPEATS} alternating runs. 'speed vs pyahocorasick' is pyahocorasick's time divided by the "
            f"library's. Same number of matches from all three: {'yes' if same_matches else 'NO'}.",
            table(["search", "MB/s", "speed vs pyahocorasick", "matches", "build s"], rows_triggers),
            f"### What the command's JSONL output costs (the {megabytes:.1f} MB corpus, each run a fresh process, "
            "one run each)",
            "Seconds from the moment the table is loaded to the end, as below. 'beyond stream' is the share of "
            "the run's time that `Normalizer.stream` alone does not take: formatting and writing a JSON line per "
            "mention and the command's own reading loop. Same mentions from the command and from `stream`: "
            f"{'yes' if same_mentions else 'NO'}.",
            table(["run", "seconds", "MB/s", "mentions", "beyond stream"], rows_output),
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
