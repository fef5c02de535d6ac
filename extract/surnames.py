"""Council names that are people's surnames: "Mark Sutton", "Cllr Kent", "Simon Dudley".

The gazetteer's ruler runs before spaCy's named-entity recogniser, and the
recogniser keeps the entities it finds set; so a one-word council name
right after a capitalised word ("Mark *Sutton*, cabinet member for ...")
would hide the person from it. Such a name is held back
(:func:`defer_surname_councils`, right after the ruler) and given back once
the recogniser has run (:func:`settle_surname_councils`), unless the
recogniser read it as the last part of a person's name of two words or
more (not one naming what follows it: "Fellow *Havant* councillor"), or it
follows a title ("Cllr", "Mr"). Everywhere else the ruler's
reading stands as it was.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("Mark Sutton said so")
>>> doc.ents = [Span(doc, 1, 2, label=COUNCIL_LABEL, span_id="E09000029")]
>>> doc = defer_surname_councils(doc)
>>> doc.ents, doc.user_data[DEFERRED]
((), [(1, 'E09000029')])
>>> doc.ents = [Span(doc, 0, 2, label="PERSON")]  # as the recogniser would read it
>>> [(e.text, e.label_) for e in settle_surname_councils(doc).ents]
[('Mark Sutton', 'PERSON')]
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from lgkg.extract.gazetteer import COUNCIL_LABEL
from lgkg.extract.names import one_word_titles

DEFERRED = "lgkg.deferred_councils"  # Doc.user_data key: [(token index, GSS code)]
SURNAMES = "lgkg.surnames"  # Doc.user_data key: the council names found to be surnames


def _before_name(doc: Doc, i: int) -> bool:
    """Is token ``i`` a capitalised word (or a title) right before a name, itself no
    council's name: a person's first name, or a title?"""
    if i < 0:
        return False
    tok = doc[i]
    return tok.ent_type_ != COUNCIL_LABEL and tok.is_alpha and (tok.is_title or tok.is_upper)


DEFER, SETTLE = "defer_surname_councils", "settle_surname_councils"  # the pipes' names


@Language.component(DEFER)
def defer_surname_councils(doc: Doc) -> Doc:
    """Hold back one-word council names that follow a capitalised word (see the module doc)."""
    deferred = [
        (e.start, e.ent_id_)
        for e in doc.ents
        if e.label_ == COUNCIL_LABEL and len(e) == 1 and _before_name(doc, e.start - 1)
    ]
    if deferred:
        held = {i for i, _ in deferred}
        doc.ents = [e for e in doc.ents if e.start not in held or e.label_ != COUNCIL_LABEL]
        doc.user_data[DEFERRED] = deferred
    return doc


def _a_person(doc: Doc, i: int, deferred: set[int]) -> bool:
    """Is held-back token ``i`` a person's surname: after a title, or the last word of a
    person the recogniser found whose other words are no councils' names?"""
    if doc[i - 1].lower_.rstrip(".") in one_word_titles():
        return True
    tok = doc[i]
    if tok.ent_type_ != "PERSON" or tok.ent_iob_ == "B" or tok.dep_ == "compound":
        return False  # "Fellow Havant councillor ...": the place, naming what follows
    start = i - 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    return not any(doc[j].ent_type_ == COUNCIL_LABEL or j in deferred for j in range(start, i))


@Language.component(SETTLE)
def settle_surname_councils(doc: Doc) -> Doc:
    """Give back the council names held back, except people's surnames; an entity the
    recogniser found over a council's name gives way to it."""
    deferred = doc.user_data.pop(DEFERRED, None)
    if not deferred:
        return doc
    held = {i for i, _ in deferred}
    surnames = {i for i in held if _a_person(doc, i, held)}
    if surnames:
        doc.user_data[SURNAMES] = frozenset(surnames)
    councils = [
        Span(doc, i, i + 1, label=COUNCIL_LABEL, span_id=code)
        for i, code in deferred
        if i not in surnames
    ]
    if councils:
        taken = {s.start for s in councils}
        kept = [e for e in doc.ents if not any(e.start <= i < e.end for i in taken)]
        doc.ents = filter_spans([*kept, *councils])
    return doc
