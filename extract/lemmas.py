"""Corrections to the model's lemmas for the verb forms the rules read.

The rules match cue words by lemma (``status.json``, ``actions.json``), so a
verb the model's lemmatizer gets wrong is a cue lost: en_core_web_sm 3.8 makes
"hopes" into "hop" and "axed" into "ax". The ``lemma_fixes`` pipe, after the
lemmatizer, sets the lemma of each verb form ``extract/patterns/lemmas.json``
lists.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> doc = nlp("The council hopes to join.")
>>> doc[2].pos_, doc[2].lemma_ = "VERB", "hop"
>>> fix_lemmas(doc)[2].lemma_
'hope'
"""

from __future__ import annotations

from functools import cache

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc

from lgkg.extract.lexicon import load

LEMMA_FIXES = "lemma_fixes"  # the pipe's name


@cache
def _verbs() -> dict[str, str]:
    return dict(load("lemmas")["verbs"])


@Language.component(LEMMA_FIXES)
def fix_lemmas(doc: Doc) -> Doc:
    """Set the lemma of each verb whose form the corrections list."""
    fixes = _verbs()
    strings = doc.vocab.strings
    wanted = {strings.add(form): lemma for form, lemma in fixes.items()}
    for i, lower in enumerate(doc.to_array(LOWER).tolist()):
        lemma = wanted.get(lower)
        if lemma is not None and doc[i].pos_ in ("VERB", "AUX"):
            doc[i].lemma_ = lemma
    return doc
