"""The spaCy component, on a blank pipeline (no model download)."""

from __future__ import annotations

from importlib.metadata import entry_points

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import entnorm

TEXT = "Vucich met @Vucic and the SVR in Kiev; Mr Doerington of Acme came too."


def test_the_factory_is_registered_through_an_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="spacy_factories")}
    assert found["entnorm"] == "entnorm.integrations.spacy:make_entnorm"


def test_mentions_become_spans_with_extensions(builtin: entnorm.Normalizer) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("entnorm")
    doc = nlp(TEXT)
    spans = doc.spans["entnorm"]
    mentions = builtin.annotate(TEXT)
    aligned = [m for m in mentions if m.text != "Vucic"]
    assert [(s.start_char, s.end_char) for s in spans] == [(m.start, m.end) for m in aligned]
    assert [(s._.entnorm_id, s._.entnorm_method) for s in spans] == [(m.entity.id, m.method) for m in aligned]
    assert [s._.entnorm_score for s in spans] == [m.score for m in aligned]
    assert [s.label_ for s in spans] == ["PERSON", "ORG", "GPE"]
    # "@Vucic" is one spaCy token: the mention is reported, not forced onto tokens.
    assert [(m.start, m.text) for m in doc._.entnorm_unaligned] == [(12, "Vucic")]
    assert doc.ents == ()


def test_to_ents_keeps_upstream_entities_that_do_not_overlap() -> None:
    nlp = spacy.blank("en")

    @Language.component("fake_ner")
    def fake_ner(doc: Doc) -> Doc:
        doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 10, 11, label="PERSON"), Span(doc, 12, 13, "ORG")]
        return doc

    nlp.add_pipe("fake_ner")
    nlp.add_pipe("entnorm", config={"to_ents": True, "link_ents": True, "spans_key": "names"})
    doc = nlp(TEXT)
    assert [doc[10].text, doc[12].text] == ["Doerington", "Acme"]
    ents = [(e.text, e.label_, e._.entnorm_id) for e in doc.ents]
    assert ents == [
        ("Vucich", "PERSON", "aleksandar-vucic"), ("SVR", "ORG", "svr"), ("Kiev", "GPE", "kyiv"),
        ("Doerington", "PERSON", None), ("Acme", "ORG", None),
    ]
    assert "names" in doc.spans and "entnorm" not in doc.spans


def test_link_ents_matches_what_an_upstream_ner_found() -> None:
    nlp = spacy.blank("en")

    @Language.component("upstream_ner")
    def upstream(doc: Doc) -> Doc:
        doc.ents = [Span(doc, 3, 6, label="ORG")]
        return doc

    nlp.add_pipe("upstream_ner")
    nlp.add_pipe("entnorm", config={"link_ents": True})
    text = "Officers of the federal security service said so."
    doc = nlp(text)
    (ent,) = doc.ents
    assert ent.text == "federal security service" and list(doc.spans["entnorm"]) == []  # lowercase: no mention
    assert ent._.entnorm_id == "fsb" and ent._.entnorm_score >= entnorm.DEFAULT_THRESHOLD


def test_custom_tables_and_threshold(write_table) -> None:  # type: ignore[no-untyped-def]
    table = write_table(
        "entities:\n  - id: acme\n    name: Acme Corporation\n    type: organization\n    aliases: [Acme]\n"
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("entnorm", config={"tables": [str(table)], "threshold": 0.5})
    doc = nlp(TEXT)
    assert [(s.text, s._.entnorm_id) for s in doc.spans["entnorm"]] == [("Acme", "acme")]
