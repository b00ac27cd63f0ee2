"""spaCy: an ``entnorm`` pipeline component that adds mentions as spans (extra ``spacy``).

Installed with the ``spacy`` extra, it is found through an entry point, so no
import is needed::

    nlp = spacy.blank("en")  # or any pipeline
    nlp.add_pipe("entnorm", config={"tables": [], "to_ents": True})
    doc = nlp("Vucich met Mr Zelensky in Kiev.")
    [(s.text, s._.entnorm_id, s._.entnorm_score) for s in doc.spans["entnorm"]]

Config: ``tables`` (table files or folders; empty: the bundled ones),
``threshold`` (default :data:`entnorm.DEFAULT_THRESHOLD`), ``spans_key``
(``entnorm``), ``to_ents`` (also set ``doc.ents``, keeping existing entities
that do not overlap), ``link_ents`` (match the text of entities an upstream NER
found and annotate them too), ``cache_dir`` (see :mod:`entnorm.cache`).

Spans carry ``._.entnorm_id``, ``._.entnorm_name``, ``._.entnorm_score``,
``._.entnorm_method`` and ``._.entnorm_conflict``. A mention whose offsets do
not fall on spaCy token boundaries (spaCy keeps ``@Vucic`` or a URL as one
token) is not forced onto tokens: it is reported in ``doc._.entnorm_unaligned``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..api import Normalizer, load
from ..match.scoring import DEFAULT_THRESHOLD
from ..model import Mention

__all__ = ["ENT_LABELS", "EntnormComponent", "make_entnorm"]

#: The ``doc.ents`` label of each entity type.
ENT_LABELS = {"person": "PERSON", "organization": "ORG", "country": "GPE", "city": "GPE", "other": "MISC"}
_SPAN_FIELDS = ("entnorm_id", "entnorm_name", "entnorm_score", "entnorm_method", "entnorm_conflict")

for _field in _SPAN_FIELDS:
    if not Span.has_extension(_field):
        Span.set_extension(_field, default=None)
if not Doc.has_extension("entnorm_unaligned"):
    Doc.set_extension("entnorm_unaligned", default=None)


class EntnormComponent:
    """Adds entnorm mentions to each Doc (see the module docstring)."""

    def __init__(
        self, normalizer: Normalizer, *, spans_key: str = "entnorm", to_ents: bool = False, link_ents: bool = False
    ) -> None:
        self.normalizer = normalizer
        self.spans_key = spans_key
        self.to_ents = to_ents
        self.link_ents = link_ents

    @staticmethod
    def _annotate(span: Span, mention: Mention) -> None:
        entity = mention.entity
        span._.entnorm_id, span._.entnorm_name = entity.id, entity.name
        span._.entnorm_score, span._.entnorm_method = mention.score, mention.method
        span._.entnorm_conflict = mention.conflict

    def __call__(self, doc: Doc) -> Doc:
        """Find the mentions of ``doc.text`` and add them to ``doc``."""
        spans: list[Span] = []
        unaligned: list[Mention] = []
        for mention in self.normalizer.annotate(doc.text):
            label = ENT_LABELS.get(mention.entity.type, "MISC")
            span = doc.char_span(mention.start, mention.end, label=label, alignment_mode="strict")
            if span is None:
                unaligned.append(mention)
                continue
            self._annotate(span, mention)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.entnorm_unaligned = unaligned
        if self.link_ents:
            for ent in doc.ents:
                if ent._.entnorm_id is None:
                    match = self.normalizer.match(ent.text)
                    if match is not None:
                        ent._.entnorm_id, ent._.entnorm_name = match.entity.id, match.entity.name
                        ent._.entnorm_score, ent._.entnorm_method = match.score, match.method
                        ent._.entnorm_conflict = False
        if self.to_ents:
            kept = [ent for ent in doc.ents if not any(s.start < ent.end and ent.start < s.end for s in spans)]
            doc.ents = filter_spans(kept + spans)
        return doc


@Language.factory(
    "entnorm",
    default_config={
        "tables": [], "threshold": None, "spans_key": "entnorm", "to_ents": False, "link_ents": False,
        "cache_dir": None,
    },
)  # type: ignore[untyped-decorator]
def make_entnorm(
    nlp: Language,
    name: str,
    tables: list[str],
    threshold: float | None,
    spans_key: str,
    to_ents: bool,
    link_ents: bool,
    cache_dir: str | None,
) -> EntnormComponent:
    """Build the component (spaCy calls this with the pipeline's config)."""
    least = DEFAULT_THRESHOLD if threshold is None else threshold
    normalizer = load(*tables, threshold=least, cache_dir=cache_dir)
    return EntnormComponent(normalizer, spans_key=spans_key, to_ents=to_ents, link_ents=link_ents)
