"""Synthetic news-like text with known names in it, from a fixed seed, of any size.

Sentences are drawn from a small English vocabulary (capitalized words and
punctuation included, so a scanner meets sentence starts and headlines);
about one word in 40 is a name from the table under test, written as listed,
upper-cased, ASCII-folded or as a surname alone.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

__all__ = ["paragraphs", "write_corpus"]

_WORDS = """the a of to and in that is was he for it with as his on be at by i this had not are but from or
have an they which one you were her all she there would their we him been has when who will more no if out
so said what up its about into than them can only other new some could time these two may then do first any
my now such like our over man me even most made after also did many before must through back years where
much your way well down should because each just those people how too little state good very make world
still own see men work long get here between both life being under never day same another know while last
might us great old year off come since against go came right used take three government minister president
officials ministry report statement week month talks country capital city border army security agency
intelligence service analysts sources defence weapons ammunition exports sanctions election rally protest
""".split()
_CAPITALIZED = """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
June July August September October November December Minister President Parliament Ministry Army Police Court
Council Committee Party Government Opposition Union Agency Office Bank Fund Summit Conference Forum Institute
Western Eastern Northern Southern European African Asian Reporting Editing Officials Analysts Sources The In But
A However Meanwhile""".split()


def _sentence(rng: random.Random, names: Sequence[str]) -> str:
    words = []
    for position in range(rng.randint(8, 24)):
        roll = rng.random()
        if roll < 0.025:
            name = rng.choice(names)
            form = rng.random()
            if form < 0.15:
                name = name.upper()
            elif form < 0.35:
                name = name.split()[-1]
            words.append(name)
        elif roll < 0.05 or position == 0:
            words.append(rng.choice(_CAPITALIZED))
        else:
            words.append(rng.choice(_WORDS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", ",", "?", "!"))


def paragraphs(names: Sequence[str], seed: int = 3) -> Iterator[str]:
    """An endless stream of paragraphs (each ends with a blank line)."""
    rng = random.Random(seed)
    while True:
        yield " ".join(_sentence(rng, names) for _ in range(rng.randint(2, 6))) + "\n\n"


def write_corpus(path: str, names: Sequence[str], size: int, seed: int = 3, separator: str | None = None) -> int:
    """Write about ``size`` bytes of corpus to ``path``; returns the bytes written.

    With ``separator``, it follows every fourth paragraph: documents of a few kilobytes.
    """
    written = 0
    parts: list[str] = []
    with open(path, "w", encoding="utf-8") as out:
        for number, paragraph in enumerate(paragraphs(names, seed), 1):
            if separator and number % 4 == 0:
                paragraph += separator
            parts.append(paragraph)
            written += len(paragraph.encode("utf-8"))
            if len(parts) >= 1000 or written >= size:
                out.write("".join(parts))
                parts = []
            if written >= size:
                return written
    return written
