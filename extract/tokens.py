"""A parsed document's tokens read once: their words, tags and sentences, shared by the rules.

spaCy makes a new ``Token`` at every ``doc[i]`` and every step of ``for tok in
sent``, and looks a string up again at every ``tok.lower_``; ``doc.sents``,
``span.sent`` and ``span.text`` walk the tokens each time they are asked. The
rules read each sentence many times over (triggers, status, dates, quotes,
savings), so :func:`features` reads every token once per document and keeps
the results in lists indexed by token position, and :func:`share_sentences`
has ``doc.sents``, ``Span.sent`` and ``Token.sent`` answer from one list of
sentences. Both change only how fast the parse is read, never what is read.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("Two councils merged. They share staff.")
>>> doc[0].is_sent_start, doc[4].is_sent_start = True, True
>>> for tok in doc[1:]:
...     tok.is_sent_start = tok.i == 4
>>> f = features(doc)
>>> f.lower[0], f.lemma[2], f.sent_start[6]
('two', 'merged', 4)
>>> text_of(doc[4:7]), text_of(doc[4:7]) == doc[4:7].text
('They share staff', True)
>>> share_sentences(doc)
>>> [s.text for s in doc.sents], doc[5].sent.start, doc[1:3].sent.end
(['Two councils merged.', 'They share staff.'], 4, 4)
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import cached_property
from typing import Any

from spacy.tokens import Doc, Span, Token

_KEY = "lgkg.features"  # Doc.user_data key: the document's Features, made once


class Features:
    """Every token of one document, read once; lists are indexed by token position.

    Each attribute is read on first use and kept: read a document once its pipeline
    has run (a document changed later would keep the old values).
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.tokens: list[Token] = list(doc)
        #: What the rules work out once per document or sentence, by a key of their own.
        self.memo: dict[Hashable, Any] = {}

    @cached_property
    def words(self) -> list[str]:
        """``tok.text``."""
        return [t.text for t in self.tokens]

    @cached_property
    def lower(self) -> list[str]:
        """``tok.lower_``."""
        return [t.lower_ for t in self.tokens]

    @cached_property
    def lemma(self) -> list[str]:
        """``(tok.lemma_ or tok.text).lower()``."""
        return [(t.lemma_ or t.text).lower() for t in self.tokens]

    @cached_property
    def pos(self) -> list[str]:
        """``tok.pos_``."""
        return [t.pos_ for t in self.tokens]

    @cached_property
    def tag(self) -> list[str]:
        """``tok.tag_``."""
        return [t.tag_ for t in self.tokens]

    @cached_property
    def dep(self) -> list[str]:
        """``tok.dep_``."""
        return [t.dep_ for t in self.tokens]

    @cached_property
    def ent_type(self) -> list[str]:
        """``tok.ent_type_``."""
        return [t.ent_type_ for t in self.tokens]

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        """``doc.ents`` (which spaCy builds anew at each call)."""
        return self.doc.ents

    @cached_property
    def text(self) -> str:
        """``doc.text``."""
        return self.doc.text

    @cached_property
    def sents(self) -> list[Span]:
        """``list(doc.sents)`` (spaCy's error if the document has no sentence boundaries)."""
        return list(self.doc.sents) if len(self.doc) else []

    @cached_property
    def sent_start(self) -> list[int]:
        """The first token of each token's sentence."""
        out = [0] * len(self.tokens)
        for s in self.sents:
            out[s.start : s.end] = [s.start] * (s.end - s.start)
        return out

    @cached_property
    def by_start(self) -> dict[int, Span]:
        """Each sentence by its first token."""
        return {s.start: s for s in self.sents}

    def sentence(self, i: int) -> Span:
        """The sentence of token ``i``."""
        return self.by_start[self.sent_start[i]]


def features(doc: Doc) -> Features:
    """The :class:`Features` of ``doc``, read on the first call and kept in ``doc.user_data``."""
    found = doc.user_data.get(_KEY)
    if found is None:
        found = doc.user_data[_KEY] = Features(doc)
    return found


def text_of(span: Span) -> str:
    """``span.text``, cut from the document's text read once."""
    return features(span.doc).text[span.start_char : span.end_char]


def is_passive(verb: Token) -> bool:
    """Is ``verb`` in the passive ("is provided", "will be delivered")?"""
    return any(c.dep_ == "auxpass" for c in verb.children)


def is_infinitive(tok: Token) -> bool:
    """Does ``tok`` carry the infinitive's "to" ("*to share*", "*to be formed*")?"""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def share_sentences(doc: Doc) -> None:
    """Have ``doc.sents``, ``Span.sent`` and ``Token.sent`` answer from :func:`features`.

    spaCy scans the tokens for sentence starts at each call; these hooks (spaCy's own
    ``user_hooks``) return the same sentences from one list. Install them only once
    the sentence boundaries are final (after the parser).
    """
    f = features(doc)
    if not f.sents:
        return

    def sentence_of(i: int) -> Span:
        return f.sentence(min(max(i, 0), len(f.tokens) - 1))

    doc.user_hooks["sents"] = lambda d: iter(f.sents)
    doc.user_span_hooks["sent"] = lambda span: sentence_of(span.start)
    doc.user_token_hooks["sent"] = lambda tok: sentence_of(tok.i)


def release(doc: Doc) -> None:
    """Drop what :func:`features` and :func:`share_sentences` keep on ``doc``.

    They refer back to the document, so a document that keeps them is freed only
    by a pass of the garbage collector; released, it is freed as soon as it is
    no longer used. It reads the same afterwards, only slower.
    """
    doc.user_data.pop(_KEY, None)
    doc.user_hooks.pop("sents", None)
    doc.user_span_hooks.pop("sent", None)
    doc.user_token_hooks.pop("sent", None)


__all__ = ["Features", "features", "release", "share_sentences", "text_of"]
