"""``entnorm suggest``: propose table entries from a corpus, as YAML to review (see :mod:`entnorm.suggest`)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from ..api import Normalizer
from ..curate.suggest import suggest, to_yaml
from ..io.files import atomic_output, input_blocks, open_input
from .normalize import SEPARATOR_HELP, add_errors_option, regex_argument, text_documents

__all__ = ["add_parser"]


class _Count:
    def __init__(self) -> None:
        self.documents = 0

    def update(self, _: int) -> None:
        """Blocks read are not shown."""


def add_parser(verbs: Any, add_table_options: Callable[[argparse.ArgumentParser], None]) -> argparse.ArgumentParser:
    """Register the ``suggest`` verb."""
    parser: argparse.ArgumentParser = verbs.add_parser(
        "suggest", help="list near-misses and new titled names in a corpus as YAML entries to review",
        usage="entnorm suggest CORPUS ... [-o OUTPUT] [options]",
    )
    parser.add_argument("corpus", nargs="+", metavar="CORPUS", help="UTF-8 text files (- for stdin)")
    parser.add_argument("-o", "--output", metavar="OUTPUT", help="file to write (default: stdout)")
    add_table_options(parser)
    parser.add_argument(
        "--least", type=float, default=0.3,
        help="least score of a known entity's candidate to propose an alias for it (default 0.3)",
    )
    parser.add_argument("--min-count", type=int, default=1, help="propose only names seen this often (default 1)")
    parser.add_argument(
        "--doc-separator", metavar="REGEX", type=regex_argument,
        help=f"regex between documents of a file (default: each file is one document; {SEPARATOR_HELP})",
    )
    add_errors_option(parser, "invalid UTF-8")
    parser.set_defaults(run=run)
    return parser


def _documents(args: argparse.Namespace, count: _Count) -> Iterator[str]:
    for name in args.corpus:
        stream, _ = open_input(name)
        with contextlib.closing(stream) if name != "-" else contextlib.nullcontext(stream):
            for _, text in text_documents(input_blocks(stream, name, count), args):
                count.documents += 1
                yield text


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    """Run ``suggest``."""
    with atomic_output(args.output, stdout) as out:  # opened first: a bad -o fails before any work
        normalizer: Normalizer = args.load(args)
        count = _Count()
        documents = _documents(args, count)
        found = [s for s in suggest(normalizer, documents, least=args.least) if s.count >= args.min_count]
        out.write(to_yaml(found, documents=count.documents, tables=args.aliases or ["builtin"]))
    return 0
