"""The council ruler's phrase patterns, tokenized once per model and kept on disk.

spaCy's ``EntityRuler.add_patterns`` makes a ``Doc`` of each phrase pattern
to match on its tokens; for the gazetteer's thousands of council names that
is a good part of lgkg's start-up. The tokens only depend on the patterns and
the model's tokenizer, so :func:`add_phrase_patterns` keeps them in the
user's cache folder (``platformdirs.user_cache_path("lgkg")``) under a hash
of both (and of spaCy's version), and adds each pattern's token ids to the
ruler's phrase matcher as ``add_patterns`` would: the ruler matches the same
spans and labels them the same way, with the same entity ids.

>>> import spacy
>>> nlp = spacy.blank("en")
>>> ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
>>> add_phrase_patterns(nlp, ruler, [{"label": "COUNCIL", "pattern": "Kent County Council",
...                                   "id": "E10000016"}], cache=False)
>>> [(e.text, e.label_, e.ent_id_) for e in nlp("Kent County Council said so.").ents]
[('Kent County Council', 'COUNCIL', 'E10000016')]
>>> len(ruler), ruler.patterns
(1, [{'label': 'COUNCIL', 'pattern': 'Kent County Council', 'id': 'E10000016'}])
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler

_FORMAT = 1  # of the cached file: a JSON list of each pattern's token texts


@dataclass(frozen=True)
class _Phrase:
    """What ``EntityRuler.patterns`` reads of a phrase pattern it holds: its text."""

    text: str


def add_phrase_patterns(
    nlp: Language, ruler: EntityRuler, patterns: list[dict], *, cache: bool = True
) -> None:
    """Add phrase patterns (``{"label", "pattern": str, "id"}``) to ``ruler`` of ``nlp``.

    The same as ``ruler.add_patterns(patterns)`` with the ruler's later pipes
    disabled, but the patterns' tokens are read from the cache (``cache``) when
    the model and the patterns are the ones they were made for.
    """
    words = _cached_words(nlp, patterns) if cache else None
    if words is None:
        docs = nlp.tokenizer.pipe(p["pattern"] for p in patterns)
        words = [[t.text for t in doc] for doc in docs]
        if cache:
            _store(_cache_file(nlp, patterns), words)
    strings = nlp.vocab.strings
    for entry, tokens in zip(patterns, words, strict=True):
        label = entry["label"]
        ent_id = entry.get("id")
        if ent_id:  # as EntityRuler.add_patterns files a pattern with an id
            ent_label = label
            label = ruler._create_label(label, ent_id)
            ruler._ent_ids[ruler.matcher._normalize_key(label)] = (ent_label, ent_id)
        ruler.phrase_patterns[label].append(_Phrase(entry["pattern"]))
        ruler.phrase_matcher.add(label, [[strings.add(t) for t in tokens]])


def _cache_file(nlp: Language, patterns: list[dict]) -> Path:
    from platformdirs import user_cache_path

    digest = hashlib.sha256()
    tokenizer = nlp.tokenizer.to_bytes(exclude=["vocab"])  # its rules: what splits the words
    for part in (str(_FORMAT), spacy.__version__, json.dumps(patterns, sort_keys=True)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    digest.update(tokenizer)
    return user_cache_path("lgkg") / f"ruler-{digest.hexdigest()[:16]}.json"


def _cached_words(nlp: Language, patterns: list[dict]) -> list[list[str]] | None:
    """The patterns' token texts from the cache, or None if they are not there (or bad)."""
    try:
        words = json.loads(_cache_file(nlp, patterns).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(words, list) and len(words) == len(patterns)
    return words if ok and all(isinstance(w, list) for w in words) else None


def _store(path: Path, words: list[list[str]]) -> None:
    """Write the cache file whole or not at all; a folder that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".ruler-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(words, out, ensure_ascii=False)
        os.replace(partial, path)
    except OSError:
        Path(partial).unlink(missing_ok=True)


__all__ = ["add_phrase_patterns"]
