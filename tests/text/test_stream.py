"""Names in running text: spans, context, acronym definitions, rewriting and streaming."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

import entnorm
from entnorm import InputError, Mention, Normalizer

ROOT = Path(__file__).resolve().parents[2]


def spans(normalizer: Normalizer, text: str) -> list[tuple[str, str]]:
    found = normalizer.annotate(text)
    for m in found:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.entity.id) for m in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr Vucic's party won.", [("Vucic", "aleksandar-vucic")]),
        ("Serbian President Aleksandar Vucic said", [("Aleksandar Vucic", "aleksandar-vucic")]),
        ("a pro-VUCIC rally", [("VUCIC", "aleksandar-vucic")]),
        ("the Russia-Ukraine war", [("Russia", "russia"), ("Ukraine", "ukraine")]),
        ("he said.Serbia denied it", [("Serbia", "serbia")]),
        ("the Financial Times reported", [("Financial Times", "financial-times")]),
        ("Russia’s foreign intelligence service said", [("Russia’s foreign intelligence service", "svr")]),
        ("crowds in NOVI SAD and Novi-Sad", [("NOVI SAD", "novi-sad"), ("Novi-Sad", "novi-sad")]),
        ("bags by Louis Vuitton", []),
        ("Serbian and Russian officials", []),
        ("In Moscow, It rained. No one came; call us.", [("Moscow", "moscow")]),
        ("PUTIN AND VUCIC MEET AS US TALKS STALL", [("PUTIN", "vladimir-putin"), ("VUCIC", "aleksandar-vucic")]),
        ("the US and the WHO, but not AI or IT", [("US", "united-states"), ("WHO", "who")]),
        ("the U.S. government", [("U.S.", "united-states")]),
        (
            "Xavier Bethel met Vladimir Putin",
            [("Xavier Bethel", "xavier-bettel"), ("Vladimir Putin", "vladimir-putin")],
        ),
        ("Aleksandar\nVučić spoke", [("Aleksandar\nVučić", "aleksandar-vucic")]),
    ],
)
def test_spans(builtin: Normalizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(builtin, text) == expected


def test_offsets_refer_to_the_text_as_given_even_when_not_nfc(builtin: Normalizer) -> None:
    text = "Then Vuc\u030cic\u0301 spoke."  # c + combining caron, i + combining acute
    (mention,) = builtin.annotate(text)
    assert (mention.start, mention.end) == (5, 12)
    assert mention.text == text[5:12] and mention.entity.id == "aleksandar-vucic"


def test_short_forms_link_through_the_whole_document(builtin: Normalizer) -> None:
    text = "VUI DENIES IT\n\nVui said no. Later Aleksandar Vui repeated it, and VUI's aides agreed."
    found = builtin.annotate(text)
    assert [(m.text, m.method) for m in found] == [
        ("VUI", "context"), ("Vui", "context"), ("Aleksandar Vui", "dropped"), ("VUI", "context"),
    ]
    assert all(m.entity.id == "aleksandar-vucic" and m.score >= entnorm.DEFAULT_THRESHOLD for m in found)
    assert builtin.annotate("Vui said no.") == []


@pytest.mark.parametrize("window_reaches", [True, False])
def test_the_context_window_does_not_depend_on_when_mentions_are_read(
    builtin: Normalizer, window_reaches: bool
) -> None:
    from entnorm.text.resolver import DocumentResolver

    text = "Vui said no. " + "The talks went on. " * 20 + "Later Aleksandar Vučić said yes."
    candidates, _ = builtin._scanner.scan(text)
    named = text.index("Aleksandar")
    window = named + 5 if window_reaches else named - 5
    results = []
    for read_at in (None, named - 1, named):  # ready() never called early, or just before the full name
        resolver = DocumentResolver(builtin._index, builtin.threshold, window)
        found = []
        for candidate in candidates:
            if read_at is not None and candidate.start >= read_at and not found:
                found += resolver.ready(read_at)
            resolver.add(candidate)
        found += resolver.close()
        results.append([(m.text, m.method) for m in found])
    first = [("Vui", "context")] if window_reaches else []
    assert results == [[*first, ("Aleksandar Vučić", "exact")]] * 3


def test_weak_alias_links_only_when_the_document_names_its_entity(builtin: Normalizer) -> None:
    assert builtin.annotate("the foreign intelligence service said") == []
    found = builtin.annotate("The SVR spoke. Later the foreign intelligence service said more.")
    assert [(m.text, m.entity.id, m.method) for m in found] == [
        ("SVR", "svr", "acronym"), ("foreign intelligence service", "svr", "context"),
    ]


def test_a_definition_that_names_another_agency_is_a_conflict(builtin: Normalizer) -> None:
    text = "Reports from Russia’s Federal Security Service (SVR) say so. The SVR’s findings differ."
    long_form, acronym, later = builtin.annotate(text)
    assert long_form.text == "Russia’s Federal Security Service" and long_form.conflict
    assert long_form.entity.id == "fsb" and long_form.score <= 0.5
    assert [e.id for e in long_form.alternatives] == ["svr"]
    assert (acronym.text, acronym.entity.id, acronym.conflict) == ("SVR", "svr", True)
    assert (later.text, later.entity.id, later.conflict) == ("SVR", "svr", True)
    assert [e.id for e in later.alternatives] == ["fsb"]


def test_a_consistent_definition_is_no_conflict(builtin: Normalizer) -> None:
    text = "the Russian Foreign Intelligence Service, SVR, said. The SVR added"
    assert [(m.text, m.entity.id, m.conflict) for m in builtin.annotate(text)] == [
        ("Russian Foreign Intelligence Service", "svr", False), ("SVR", "svr", False), ("SVR", "svr", False),
    ]


def test_a_definition_binds_an_acronym_the_table_lacks(write_table) -> None:
    normalizer = entnorm.load(write_table("entities:\n  - {id: bia, name: Security Information Agency}\n"))
    text = "The Security Information Agency (SIA) said so. SIA agents agreed; SIAM did not."
    assert [(m.text, m.entity.id, m.method) for m in normalizer.annotate(text)] == [
        ("Security Information Agency", "bia", "exact"), ("SIA", "bia", "context"), ("SIA", "bia", "context"),
    ]


def test_normalize_text_rewrites_mentions_only(builtin: Normalizer) -> None:
    text = "Mr Vucich met NATO in Kiev.\n"
    assert builtin.normalize_text(text) == "Mr Aleksandar Vučić met NATO in Kyiv.\n"
    assert builtin.normalize_text(text, style="inline") == (
        "Mr Vucich [[aleksandar-vucic]] met NATO [[nato]] in Kiev [[kyiv]].\n"
    )


def test_conflicts_stay_as_written_when_replacing(builtin: Normalizer) -> None:
    text = "Russia's Federal Security Service (SVR) said"
    assert builtin.normalize_text(text) == text
    assert "[[fsb?svr]]" in builtin.normalize_text(text, style="inline")


def test_stream_reads_bytes_files_and_skips_a_bom(builtin: Normalizer) -> None:
    text = "Vucic met Putin in Moscow."
    expected = builtin.annotate(text)
    assert list(builtin.stream(io.BytesIO(b"\xef\xbb\xbf" + text.encode()))) == expected
    assert list(builtin.stream(io.StringIO(text))) == expected
    assert list(builtin.stream([text.encode("utf-16-le")], encoding="utf-16-le")) == expected


def test_stream_reports_invalid_utf8_with_its_byte_offset(builtin: Normalizer) -> None:
    with pytest.raises(InputError, match="invalid UTF-8 at byte 7"):
        list(builtin.stream([b"Vucic ", b"m\xffet"]))
    replaced = list(builtin.stream([b"Vucic m\xffet Putin"], errors="replace"))
    assert [m.text for m in replaced] == ["Vucic", "Putin"]
    assert replaced[1].start == len("Vucic m\ufffdet ")


def test_context_does_not_cross_documents(builtin: Normalizer) -> None:
    text = "Aleksandar Vui spoke.\n---\nVui left."
    together = [m.text for m in builtin.stream(text)]
    apart = [m.text for m in builtin.stream(text, doc_separator=r"\n---\n")]
    assert together == ["Aleksandar Vui", "Vui"]
    assert apart == ["Aleksandar Vui"]


def test_rewrite_streams_to_a_file(builtin: Normalizer) -> None:
    out = io.StringIO()
    builtin.rewrite(iter(["Vuc", "ich and NA", "TO"]), out)
    assert out.getvalue() == "Aleksandar Vučić and NATO"


def test_sample_text_is_annotated_as_expected(builtin: Normalizer) -> None:
    gold = yaml.safe_load((Path(__file__).parents[1] / "gold" / "sample.yaml").read_text(encoding="utf-8"))
    text = (ROOT / "examples" / "sample.txt").read_text(encoding="utf-8")
    assert [_row(text, m) for m in builtin.annotate(text)] == gold["mentions"]


def _row(text: str, mention: Mention) -> list[object]:
    """A mention as the gold files write it: surface, occurrence, id and flags."""
    import re

    pattern = re.compile(r"(?<!\w)" + re.escape(mention.text) + r"(?!\w)")
    occurrence = next(i for i, hit in enumerate(pattern.finditer(text), 1) if hit.start() == mention.start)
    row: list[object] = [mention.text, occurrence, mention.entity.id]
    if mention.method == "context":
        row.append("context")
    if mention.conflict:
        row.append("conflict:" + ",".join(e.id for e in mention.alternatives))
    return row


GOLD = yaml.safe_load((Path(__file__).parents[1] / "gold" / "seeds.yaml").read_text(encoding="utf-8"))


@pytest.mark.seeds
@pytest.mark.parametrize("article", sorted(GOLD["mentions"]))
def test_seed_articles_are_annotated_as_the_gold_file_says(
    builtin: Normalizer, seeds_dir: Path, article: str
) -> None:
    text = (seeds_dir / article).read_text(encoding="utf-8")
    assert [_row(text, m) for m in builtin.annotate(text)] == GOLD["mentions"][article]


def test_acronyms_a_document_binds_are_found_whatever_the_chunking(write_table) -> None:
    # Forms with hyphens, ampersands or what NFKC makes of ⑴ are found where the text writes
    # them, longest first, also when a chunk ends inside one (QB-2 arriving as QB- then 2).
    normalizer = entnorm.load(write_table("entities:\n  - {id: bia, name: Security Information Agency}\n"))
    text = (
        "The Security Information Agency (QB) and the Security Information Agency (QB-2) and "
        "the Security Information Agency (AB&C) and the Security Information Agency (⑴QZ) said. "
        "QB-2, AB&C, (1)QZ and QB agreed; QBX did not."
    )
    whole = [(m.start, m.text, m.method) for m in normalizer.annotate(text)]
    assert [(written, method) for _, written, method in whole[-4:]] == [
        ("QB-2", "context"), ("AB&C", "context"), ("(1)QZ", "context"), ("QB", "context"),
    ]
    for cut in range(1, len(text)):
        streamed = [(m.start, m.text, m.method) for m in normalizer.stream([text[:cut], text[cut:]])]
        assert streamed == whole, cut


def test_a_document_binds_a_bounded_number_of_unknown_acronyms(write_table, monkeypatch) -> None:
    from entnorm.text import resolver as document

    monkeypatch.setattr(document, "MAX_BOUND_ACRONYMS", 2)
    normalizer = entnorm.load(write_table("entities:\n  - {id: bia, name: Security Information Agency}\n"))
    text = "".join(f"The Security Information Agency ({a}) said. " for a in ("QA", "QB", "QC")) + "QA, QB and QC."
    assert [m.text for m in normalizer.annotate(text)][-2:] == ["QB", "QC"]  # QA, defined first, is forgotten
