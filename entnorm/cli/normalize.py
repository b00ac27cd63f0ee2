"""``entnorm normalize``: annotate or rewrite a text or JSONL file, streaming, atomically.

Input policy: UTF-8 (``--errors replace`` puts U+FFFD in place of invalid
bytes, and offsets then count the replaced text); NUL bytes in the first 8 KiB
mean binary input and are refused; an empty input gives no output. A text file
is streamed in blocks whatever its line lengths; a JSONL record is read whole.
``-o`` is written to a temporary file beside it and renamed over it at the end,
so an interrupted run never leaves a half-written output.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import multiprocessing
import os
import pickle
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..api import Normalizer
from ..errors import INVALID_BYTES_TEXT, DecodingError, EntnormError, InputError
from ..io.files import atomic_output, input_blocks, json_record, open_input, report_missing_field
from ..io.records import mention_record, written
from ..model import Mention
from ..text.separators import Separator, compile_separator, split_documents
from ..text.stream import decoded

__all__ = [
    "SEPARATOR_HELP", "Document", "UsageError", "add_errors_option", "add_parser", "add_scheduler_option", "batches",
    "on_cluster", "regex_argument", "run", "text_documents", "transform",
]

_BLOCK = 1 << 20
_SNIFF = 8192
WORKER_DIED_TEXT = "a worker process died (killed, or out of memory?)"
IN_PLACE_TEXT = "-o names the input file; add --in-place to overwrite it"
# Documents handed to a worker at once, and the text they may hold.
_BATCH_DOCUMENTS = 256
_BATCH_CHARS = 1 << 20


def add_parser(verbs: Any, add_table_options: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
    """Register the ``normalize`` verb."""
    parser: argparse.ArgumentParser = verbs.add_parser(
        "normalize", help="annotate or rewrite the names in a text or JSONL file",
        usage="entnorm normalize INPUT [-o OUTPUT] [options]",
    )
    parser.add_argument("input", metavar="INPUT", help="file to read, or - for stdin")
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="file to write (default: stdout)")
    add_table_options(parser)
    parser.add_argument(
        "--format", choices=("replace", "inline", "jsonl"), default="replace",
        help="replace: canonical names in the text; inline: 'Vucich [[aleksandar-vucic]]'; "
        "jsonl: one object per mention",
    )
    parser.add_argument(
        "--input-format", choices=("text", "jsonl"), default="text",
        help="text: the whole input is text (documents split by --doc-separator); "
        "jsonl: one JSON object per line, its --field normalized (default: text)",
    )
    parser.add_argument(
        "--field", default="text", help="with --input-format jsonl: the field to normalize (default: text)"
    )
    parser.add_argument(
        "--doc-separator", metavar="REGEX", type=regex_argument,
        help=f"regex between documents of a text ({SEPARATOR_HELP})",
    )
    add_errors_option(parser)
    parser.add_argument(
        "--workers", type=_positive, default=1, help="processes; splits only between documents (default: 1)"
    )
    add_scheduler_option(parser)
    parser.add_argument("--in-place", action="store_true", help="allow OUTPUT to be INPUT (or write INPUT back)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)
    return parser


def add_errors_option(parser: argparse.ArgumentParser, what: str = "invalid UTF-8 and lone surrogates") -> None:
    """``--errors strict|replace``: the input policy for ``what``."""
    parser.add_argument(
        "--errors", choices=("strict", "replace"), default="strict",
        help=f"{what}: stop, or replace with U+FFFD (default: strict)",
    )


def add_scheduler_option(parser: argparse.ArgumentParser, splits: str = "splits only between documents") -> None:
    """``--scheduler ADDRESS``: run on a Dask cluster (needs the ``dask`` extra); ``splits`` says how work is cut."""
    parser.add_argument(
        "--scheduler", metavar="ADDRESS",
        help=f"run on the Dask cluster at ADDRESS, e.g. tcp://10.0.0.5:8786 (extra 'dask'); {splits}",
    )


#: How --help describes how a --doc-separator is searched.
SEPARATOR_HELP = (
    "Python regex syntax, multiline (^ and $ at each line); searched with a time bound: "
    "a search that takes over 1 s on 64 Ki characters of input (catastrophic backtracking, "
    "as (a+)+$) stops with an error"
)


def regex_argument(text: str) -> Separator:
    """An argparse type: ``text`` compiled as a multiline regex, searched with a time bound."""
    try:
        return compile_separator(text, flags=re.MULTILINE, name="--doc-separator")
    except re.error as exc:
        msg = f"invalid regex {text!r}: {exc}"
        raise argparse.ArgumentTypeError(msg) from exc


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        msg = f"must be a whole number of at least 1, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


# -- input and output ----------------------------------------------------------


def _progress(args: argparse.Namespace, size: int | None) -> Any:
    """A tqdm bar on a terminal's stderr for inputs over a megabyte, else a stand-in."""
    if args.quiet or not sys.stderr.isatty() or (size is not None and size < _BLOCK):
        return contextlib.nullcontext(_NoProgress())
    from tqdm import tqdm  # imported only when a bar is shown

    tqdm.monitor_interval = 0  # no monitor thread, so that --workers can fork
    return tqdm(total=size, unit="B", unit_scale=True, file=sys.stderr, desc="entnorm", leave=False)


class _NoProgress:
    def update(self, _: int) -> None:
        """Nothing to show."""


# -- records -------------------------------------------------------------------
# A mention is written as its record (entnorm.io.records) in the written form:
# score rounded, conflict and alternatives only where they apply.


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps would make one per call


def _json(record: object) -> str:
    return _ENCODER.encode(record) + "\n"


def _mention_line(mention: Mention, doc: int | None, offset: int = 0) -> str:
    """The JSONL line of ``mention`` (``doc``: its document's number, None where not numbered)."""
    return _json(written(mention_record(mention, doc, offset)))


# -- workers -------------------------------------------------------------------

DASK_TEXT = "--scheduler needs Dask: pip install 'entnorm[dask]'"

Document = tuple[int, int | None, str]
"""A document to transform: its offset in the input, its number (None: not numbered), its text."""


def transform(normalizer: Normalizer, documents: list[Document], style: Any, threshold: float) -> list[str]:
    """The output of each document of a batch: its rewritten text, or in jsonl style its mentions' lines.

    Done where the documents are annotated (a worker process, a Dask worker),
    so that the process writing the output only writes strings.
    """
    if style != "jsonl":
        return [normalizer.normalize_text(text, style=style, threshold=threshold) for _, _, text in documents]
    return [
        "".join(_mention_line(m, number, offset) for m in normalizer.annotate(text, threshold=threshold))
        for offset, number, text in documents
    ]


@dataclass(frozen=True)
class _Job:
    """What every batch of one run is transformed with: :func:`transform` over these."""

    normalizer: Normalizer
    style: str
    threshold: float

    def __call__(self, documents: list[Document]) -> list[str]:
        return transform(self.normalizer, documents, self.style, self.threshold)


#: The state of a worker process: the job its pool started it for. Set once, in
#: the worker, by the pool's initializer (:func:`_start_worker`); the process
#: that runs the command never sets it. Tasks carry only their documents (a
#: functools.partial of the task over the job would pickle it with every task).
_worker_job: _Job | None = None
NOT_A_WORKER_TEXT = "this process was not started as a worker of entnorm normalize"


def _start_worker(job: _Job) -> None:
    """Pool initializer: make ``job`` the state of this worker process."""
    global _worker_job
    _worker_job = job


def _start_worker_pickled(job: bytes) -> None:
    """Pool initializer: :func:`_start_worker` with the job pickled once for all workers."""
    _start_worker(pickle.loads(job))


def _pool(workers: int, job: _Job) -> ProcessPoolExecutor:
    """``workers`` processes that hold ``job`` (its normalizer above all).

    Where the platform forks and this process runs no other thread, the
    workers inherit the job with the built normalizer (a forked process gets
    its initializer's arguments as they are in memory: nothing to copy or
    rebuild); else the job is pickled once here and each worker unpickles one
    copy at its start.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        fork = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(workers, mp_context=fork, initializer=_start_worker, initargs=(job,))
    return ProcessPoolExecutor(workers, initializer=_start_worker_pickled, initargs=(pickle.dumps(job),))


def _process(documents: list[Document]) -> list[str]:
    """A task of a worker process: the documents transformed with the job it was started with."""
    if _worker_job is None:
        raise RuntimeError(NOT_A_WORKER_TEXT)
    return _worker_job(documents)


def on_cluster(
    address: str, function: Callable[..., list[Any]], normalizer: Normalizer, batches: Iterable[Any], *args: Any
) -> Iterator[Any]:
    """``function(normalizer, batch, *args)`` for each batch on the Dask cluster at ``address``, in order.

    Yields one result per batch.
    """
    try:
        from ..integrations import dask as on_dask
    except ImportError as exc:
        raise InputError(DASK_TEXT) from exc
    client = on_dask.connect(address)
    try:
        yield from on_dask.ordered_map(function, normalizer, batches, client, *args)
    finally:
        client.close()


def batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    """Documents in batches of at most 256 documents or about a million characters."""
    batch: list[Document] = []
    size = 0
    for document in documents:
        batch.append(document)
        size += len(document[2])
        if len(batch) >= _BATCH_DOCUMENTS or size >= _BATCH_CHARS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _processed(documents: Iterable[Document], normalizer: Normalizer, args: argparse.Namespace) -> Iterator[str]:
    """Results for each document in input order, on ``args.workers`` processes or a Dask cluster."""
    job = _Job(normalizer, args.format, normalizer.threshold)
    if args.scheduler:
        work = batches(documents)
        for result in on_cluster(args.scheduler, transform, job.normalizer, work, job.style, job.threshold):
            yield from result
        return
    if args.workers == 1:
        for batch in batches(documents):
            yield from job(batch)
        return
    try:
        with _pool(args.workers, job) as pool:
            waiting: deque[Future[list[Any]]] = deque()
            for batch in batches(documents):
                waiting.append(pool.submit(_process, batch))
                if len(waiting) >= 2 * args.workers:
                    yield from waiting.popleft().result()
            while waiting:
                yield from waiting.popleft().result()
    except BrokenProcessPool as exc:
        raise EntnormError(WORKER_DIED_TEXT) from exc


# -- the verb --------------------------------------------------------------------


def text_documents(blocks: Iterable[bytes], args: argparse.Namespace) -> Iterator[tuple[int, str]]:
    """``(stream offset, text)`` of each document of a text input (``args``: ``errors``, ``doc_separator``)."""
    offset = 0
    parts: list[str] = []
    for piece, ends in split_documents(decoded(blocks, None, args.errors), args.doc_separator):
        parts.append(piece)
        if ends:
            text = "".join(parts)
            parts = []
            if text:
                yield offset, text
            offset += len(text)


def _run_text(normalizer: Normalizer, blocks: Iterable[bytes], out: TextIO, args: argparse.Namespace) -> None:
    numbered = args.doc_separator is not None
    if args.workers == 1 and not args.scheduler:  # streaming: constant memory even for one huge document
        if args.format != "jsonl":
            normalizer.rewrite(blocks, out, style=args.format, errors=args.errors, doc_separator=args.doc_separator)
            return
        for doc, mention in normalizer.stream_documents(blocks, errors=args.errors, doc_separator=args.doc_separator):
            out.write(_mention_line(mention, doc if numbered else None))
        return
    documents = (
        (offset, number if numbered else None, text)
        for number, (offset, text) in enumerate(text_documents(blocks, args))
    )
    for result in _processed(documents, normalizer, args):
        out.write(result)


def _records(blocks: Iterable[bytes], args: argparse.Namespace, name: str) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL input, one per non-blank line; ``name`` leads messages (``FILE:LINE``)."""
    offset = 0
    pending = b""
    number = 0
    for block in itertools.chain(blocks, [b"\n"]):
        pending += block
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            number += 1
            start = offset
            offset += len(raw) + 1
            try:
                line = raw.decode("utf-8", errors=args.errors)
            except UnicodeDecodeError as exc:
                msg = f"{name}:{number}: " + INVALID_BYTES_TEXT.format(encoding="UTF-8", offset=start + exc.start)
                raise InputError(msg) from exc
            if not line.strip():
                continue
            yield json_record(line, f"{name}:{number}", args.field, args.errors)


def _run_jsonl(
    normalizer: Normalizer, blocks: Iterable[bytes], out: TextIO, args: argparse.Namespace, name: str
) -> None:
    records: deque[dict[str, Any]] = deque()
    missing = total = 0

    def documents() -> Iterator[Document]:
        nonlocal missing, total
        for number, record in enumerate(_records(blocks, args, name)):
            records.append(record)
            total += 1
            missing += args.field not in record
            yield 0, number, record.get(args.field) or ""

    for result in _processed(documents(), normalizer, args):
        record = records.popleft()
        if args.format == "jsonl":
            out.write(result)
            continue
        if args.field in record and record[args.field] is not None:
            record[args.field] = result
        out.write(_json(record))
    report_missing_field(name, args.field, missing, total)


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    """Run ``normalize`` (see the module docstring)."""
    output = args.output
    if args.in_place and args.input != "-" and output is None:
        output = args.input
    if output is not None and args.input != "-" and _same_file(args.input, output) and not args.in_place:
        raise UsageError(IN_PLACE_TEXT)
    stream, size = open_input(args.input)
    with stream, atomic_output(output, stdout) as out, _progress(args, size) as progress:
        normalizer: Normalizer = args.load(args)  # after opening the output: a bad -o fails at once
        name = args.input if args.input != "-" else "stdin"
        blocks = input_blocks(stream, name, progress)
        try:
            if args.input_format == "jsonl":
                _run_jsonl(normalizer, blocks, out, args, name)
            else:
                _run_text(normalizer, blocks, out, args)
        except DecodingError as exc:
            msg = f"{name}: {exc}"
            raise InputError(msg) from exc
    return 0


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


class UsageError(Exception):
    """A combination of options that cannot work (exit 2, with the usage)."""

