"""The ``entnorm`` command: match names and validate alias tables from the shell.

Every verb exits 0 on success (abstentions and empty input included), 1 on bad
data or input (one line on stderr naming it), 2 on a usage error, 130 when
interrupted (SIGINT, Ctrl-C) and 143 when terminated (SIGTERM); either way no
temporary file is left and an existing output is untouched. Output is UTF-8
whatever the locale; a closed pipe (``| head``) ends the command quietly with
status 0. A warning (a cache file not used) is one line, ``entnorm: warning: ...``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import itertools
import json
import os
import signal
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import TextIO

from .._version import __version__
from ..api import Normalizer, load
from ..errors import INVALID_BYTES_TEXT, CacheWarning, EntnormError, InputError
from ..io.files import atomic_output, open_input, surrogates_replaced
from ..io.records import Record, match_record, written
from ..match.scoring import DEFAULT_THRESHOLD
from ..tables import BUILTIN, find_collisions, load_table, validate_table
from . import normalize as cli_normalize
from . import suggest as cli_suggest
from .columns import run_columns

__all__ = ["Terminated", "main", "match_records"]

BUILTIN_WORD = "builtin"
CACHE_VARIABLE = "ENTNORM_CACHE_DIR"
NAME_IS_FILE_TEXT = (
    "{name} is a file; to match its lines: entnorm match --input-format text {name} (names are not files)"
)
# Names matched per batch (a task on a Dask cluster).
_QUERY_BATCH = 1024


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        msg = f"must be a number in [0, 1], not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _table_paths(values: Sequence[str] | None) -> list[str | os.PathLike[str]]:
    """``--aliases`` values, ``builtin`` standing for the bundled tables."""
    if not values:
        return [BUILTIN]
    return [BUILTIN if v == BUILTIN_WORD else v for v in values]


def _queries(args: argparse.Namespace) -> Iterator[str]:
    """The names on the command line, or with ``--input-format text`` one per line of a file or stdin."""
    if args.input_format is None and args.names:
        for number, name in enumerate(args.names, 1):
            yield _argument(name, number, args.errors)
        return
    source = args.names[0] if args.names else "-"
    stream, _ = open_input(source)
    name = "stdin" if source == "-" else source
    offset = 0
    with contextlib.nullcontext() if source == "-" else stream:
        for raw in stream:
            try:
                line = raw.decode("utf-8", errors=args.errors)
            except UnicodeDecodeError as exc:
                problem = INVALID_BYTES_TEXT.format(encoding="UTF-8", offset=offset + exc.start)
                msg = f"{name}: {problem}"
                raise InputError(msg) from exc
            offset += len(raw)
            yield line.rstrip("\r\n")


def _argument(name: str, number: int, errors: str) -> str:
    """NAME argument ``number``: bytes the locale could not decode (lone surrogates) follow ``--errors``."""
    return surrogates_replaced(name, errors, lambda: f"NAME {number}: invalid UTF-8")


def _check_names(args: argparse.Namespace) -> None:
    """Refuse what cannot be meant: several files, or a lone name that is a file (its lines were meant)."""
    if args.input_format is not None and len(args.names) > 1:
        msg = f"give one input file with --input-format {args.input_format} (or none for stdin)"
        raise cli_normalize.UsageError(msg)
    if args.input_format is None and len(args.names) == 1 and os.path.isfile(args.names[0]):
        msg = NAME_IS_FILE_TEXT.format(name=args.names[0])
        raise InputError(msg)


def _text_line(record: Record) -> str:
    cells = [record["query"], record["id"], f"{record['score']:.3f}", record["method"], record["name"]]
    if record.get("ambiguous"):
        cells.append("ambiguous: " + ", ".join(record["alternatives"]))
    return "\t".join("-" if c is None else str(c) for c in cells)


def _load(args: argparse.Namespace) -> Normalizer:
    """The normalizer the ``--aliases`` and ``--threshold`` options ask for.

    The index lives as long as the command, so its objects are moved out of the
    cycle collector's way (``gc.freeze``): with a large table, full collections
    would otherwise revisit every one of them while text streams through.
    """
    normalizer = load(*_table_paths(args.aliases), threshold=args.threshold, cache_dir=args.cache_dir)
    gc.collect()
    gc.freeze()
    return normalizer


def _add_table_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--aliases", action="append", metavar="PATH",
        help=f"alias table file or folder, repeatable; replaces the bundled tables ('{BUILTIN_WORD}' names them)",
    )
    parser.add_argument(
        "--threshold", type=_threshold, default=DEFAULT_THRESHOLD,
        help=f"least confidence to answer with (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--cache-dir", metavar="DIR", default=os.environ.get(CACHE_VARIABLE) or None,
        help=f"keep built tables here and reuse them while unchanged (default: ${CACHE_VARIABLE}, else none)",
    )
    parser.set_defaults(load=_load)


def _run_match(args: argparse.Namespace, out: TextIO) -> int:
    _check_names(args)
    normalizer: Normalizer = args.load(args)
    if args.input_format not in (None, "text"):
        return run_columns(args, normalizer, out)
    if args.format not in (None, "text", "jsonl"):
        msg = f"--format {args.format} needs --input-format csv, jsonl or parquet"
        raise cli_normalize.UsageError(msg)
    with atomic_output(args.output, out) as stream:
        _write_matches(normalizer, args, args.format or "text", stream)
    return 0


def match_records(normalizer: Normalizer, queries: list[str]) -> list[Record]:
    """The written record of each query, one lookup each (also what a Dask worker runs for ``--scheduler``)."""
    return [written(match_record(normalizer, query)) for query in queries]


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _write_matches(normalizer: Normalizer, args: argparse.Namespace, fmt: str, out: TextIO) -> None:
    results: Iterable[list[Record]]
    if args.scheduler:
        chunks = _chunks(_queries(args), _QUERY_BATCH)
        results = cli_normalize.on_cluster(args.scheduler, match_records, normalizer, chunks)
    else:  # one at a time: each answer is written before the next line of stdin is read
        results = (match_records(normalizer, [query]) for query in _queries(args))
    for record in itertools.chain.from_iterable(results):
        if fmt == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            out.write(_text_line(record) + "\n")


def _run_validate(args: argparse.Namespace, out: TextIO) -> int:
    """Every problem of the tables on stderr (file:line first) and a count, exit 1; else the summary."""
    paths = _table_paths(args.paths)
    problems = validate_table(*paths)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        count, files = len(problems), len({problem.path for problem in problems})
        print(f"{count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}", file=sys.stderr)
        return 1
    table = load_table(*paths)
    collisions = find_collisions(table)
    level = "error" if args.strict else "warning"
    for collision in collisions:
        print(f"{level}: {collision}", file=sys.stderr)
    out.write(f"{len(table)} entities, {len(collisions)} ambiguous names\n")
    return 1 if collisions and args.strict else 0


MATCH_EPILOG = """\
text output: one tab-separated line per name: query, id, score, method, name
('-' where it abstains), and for an ambiguous answer a sixth column
'ambiguous: ID, ID' listing the entities the name fits equally (the id shown
is one of them; the score is the confidence that one of them is meant).
A lone NAME that is an existing file is refused: use --input-format text FILE."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="entnorm", description="Map names to canonical entities with a confidence score."
    )
    parser.add_argument("--version", action="version", version=f"entnorm {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    match = verbs.add_parser(
        "match", help="match names (arguments, lines of stdin or a file, or a column of a file)",
        usage="entnorm match [NAME ... | --input-format FORMAT [FILE]] [options]", epilog=MATCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    match.add_argument(
        "names", nargs="*", metavar="NAME",
        help="names to match (none: one name per line of stdin); with --input-format: the one input FILE",
    )
    _add_table_options(match)
    match.add_argument(
        "--input-format", choices=("text", "csv", "jsonl", "parquet"), default=None,
        help="read FILE (default: stdin) instead of NAME arguments: text: one name per line; "
        "csv, jsonl, parquet: match the --field column of each row (default: names are arguments, else stdin)",
    )
    match.add_argument("--field", default="name", help="with csv, jsonl, parquet: the column of names (default: name)")
    match.add_argument("--prefix", default="entity_", help="prefix of the added columns (default: entity_)")
    match.add_argument(
        "--format", choices=("text", "jsonl", "csv", "parquet"), default=None,
        help="output format (default: text for text input, else the input's format)",
    )
    match.add_argument("-o", "--output", metavar="OUTPUT", help="file to write atomically (default: stdout)")
    cli_normalize.add_errors_option(match)
    cli_normalize.add_scheduler_option(match, "splits the names into batches")
    match.set_defaults(run=_run_match)

    validate = verbs.add_parser(
        "validate", help="check alias tables and list names two entities claim",
        usage="entnorm validate PATH ... [--strict]",
    )
    validate.add_argument(
        "paths", nargs="+", metavar="PATH",
        help=f"table files or folders ('{BUILTIN_WORD}' names the bundled tables, for files that extend them)",
    )
    validate.add_argument("--strict", action="store_true", help="treat ambiguous names as errors")
    validate.set_defaults(run=_run_validate)

    cli_normalize.add_parser(verbs, _add_table_options)
    cli_suggest.add_parser(verbs, _add_table_options)
    for verb in verbs.choices.values():
        verb.set_defaults(verb_parser=verb)  # usage errors print the verb's usage
    return parser


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: raised where the program is, so that cleanup runs as for Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _warn_in_one_line(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
    print(f"entnorm: warning: {message}", file=sys.stderr)


@contextlib.contextmanager
def _signals_and_warnings() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated`, and warnings print one line, until the command ends."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", CacheWarning)
            warnings.showwarning = _warn_in_one_line
            yield
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # as the verb's own parser would say it, with the verb's usage
        args.verb_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    if isinstance(sys.stderr, io.TextIOWrapper):  # a file name of undecodable bytes is still shown
        sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")
    with _signals_and_warnings():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        status: int = args.run(args, sys.stdout)
        sys.stdout.flush()
    except EntnormError as exc:
        print(f"entnorm: {exc}", file=sys.stderr)
        return 1
    except cli_normalize.UsageError as exc:
        args.verb_parser.print_usage(sys.stderr)
        print(f"{args.verb_parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except OSError as exc:  # the last net: a file no message was made for, in one line naming it
        where = "" if exc.filename is None else f"{os.fsdecode(exc.filename)}: "
        print(f"entnorm: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Terminated:
        print("entnorm: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("entnorm: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    raise SystemExit(main())
