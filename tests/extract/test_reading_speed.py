"""What makes reading a parse faster reads the same: token features, shared sentences, the
cached council ruler, line-based sentence starts and the grouped service-area regexes."""

from __future__ import annotations

import json
import re

import pytest

from lgkg.extract import service
from lgkg.extract.tokens import features, release, share_sentences, text_of

TEXT = (
    "Adur District Council and Worthing Borough Council agreed to share legal services.\n\n"
    "The partnership, which began in 2011, will save £250,000 a year.\n"
    "- Horsham District Council\n- Mid Sussex District Council\n"
    'Councillor Jane Smith said: "It is a good deal." It starts in June 2019.'
)


def _flat(phrases: list[str], gap: str = r"\s+") -> str:
    """The alternation ``service._any_of`` made before it grouped phrases."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", gap) for p in ordered)


def test_grouped_alternation_matches_as_the_flat_one(monkeypatch):
    texts = [TEXT, *TEXT.split("\n"), "Shared HR, payroll and IT; adult social care and waste."]
    texts += [p.read_text(encoding="utf-8") for p in sorted(_examples())]
    (words, upper), _ = service._patterns()
    grouped = [words, upper, service._roles(), service._bundle()]
    monkeypatch.setattr(service, "_any_of", _flat)
    for cached in (service._patterns, service._roles, service._bundle):
        cached.cache_clear()
    try:
        (words, upper), _ = service._patterns()
        flat = [words, upper, service._roles(), service._bundle()]
    finally:
        monkeypatch.undo()
        for cached in (service._patterns, service._roles, service._bundle):
            cached.cache_clear()
    for fast, plain in zip(grouped, flat, strict=True):
        assert fast.pattern != plain.pattern or "(?:" not in fast.pattern
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in plain.finditer(text)
            ]


def test_alternation_stays_flat_when_first_letters_clash():
    # "Kent" and "kent" start alike once case is ignored: grouping them would change the order
    assert service._any_of(["Kent", "kent county"]) == service._any_of(["kent county", "Kent"])
    assert "(?:" not in service._any_of(["Kent", "kent county"])


def _examples():
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "examples").glob("*.txt")


@pytest.mark.slow
def test_features_and_text_read_as_spacy_does(extractor):
    doc = extractor.nlp(TEXT)
    f = features(doc)
    assert f.words == [t.text for t in doc]
    assert f.lower == [t.lower_ for t in doc]
    assert f.lemma == [(t.lemma_ or t.text).lower() for t in doc]
    assert f.pos == [t.pos_ for t in doc]
    assert f.tag == [t.tag_ for t in doc]
    assert f.dep == [t.dep_ for t in doc]
    assert f.ent_type == [t.ent_type_ for t in doc]
    assert f.text == doc.text
    assert [(s.start, s.end) for s in f.sents] == [(s.start, s.end) for s in doc.sents]
    assert f.sent_start == [t.sent.start for t in doc]
    for span in [*doc.sents, doc[2:9], doc[0:1], doc[len(doc) - 3 :]]:
        assert text_of(span) == span.text


@pytest.mark.slow
def test_shared_sentences_are_spacys(extractor):
    plain, shared = extractor.nlp(TEXT), extractor.nlp(TEXT)
    share_sentences(shared)
    assert [(s.start, s.end) for s in shared.sents] == [(s.start, s.end) for s in plain.sents]
    for a, b in zip(plain, shared, strict=True):
        assert (a.sent.start, a.sent.end) == (b.sent.start, b.sent.end)
    for start, end in [(0, 3), (5, 6), (14, 20), (len(plain) - 2, len(plain))]:
        got, want = shared[start:end].sent, plain[start:end].sent
        assert (got.start, got.end) == (want.start, want.end)
    release(shared)
    assert not shared.user_hooks and not shared.user_span_hooks and not shared.user_token_hooks
    assert "lgkg.features" not in shared.user_data
    assert [s.text for s in shared.sents] == [s.text for s in plain.sents]


@pytest.mark.slow
def test_line_sentences_start_after_each_line_break(extractor):
    doc = extractor.nlp(TEXT)
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        in_name = any(e.start < tok.i < e.end for e in doc.ents if e.label_ == "COUNCIL")
        if "\n" in prev.text and not in_name:
            assert tok.is_sent_start


@pytest.mark.slow
def test_cached_council_ruler_is_the_ruler_add_patterns_builds(extractor, tmp_path, monkeypatch):
    from lgkg.extract import ruler as ruler_module
    from lgkg.extract.model import load_model

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    patterns = extractor.gazetteer.ruler_patterns()

    def ruler_of(build):
        pipes = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
        nlp = load_model(exclude=pipes)  # the tokenizer and the ruler
        config = {"phrase_matcher_attr": "ORTH", "validate": True}
        ruler = nlp.add_pipe("entity_ruler", name="council_ruler", config=config)
        build(nlp, ruler)
        return nlp, ruler

    def plain(nlp, ruler):
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(patterns)

    written = ruler_of(lambda nlp, r: ruler_module.add_phrase_patterns(nlp, r, patterns))
    cache = list(tmp_path.rglob("ruler-*.json"))
    assert len(cache) == 1 and len(json.loads(cache[0].read_text())) == len(patterns)

    def no_second_write(path, words):
        raise AssertionError("the patterns should have been read from the cache")

    monkeypatch.setattr(ruler_module, "_store", no_second_write)
    read = ruler_of(lambda nlp, r: ruler_module.add_phrase_patterns(nlp, r, patterns))
    reference = ruler_of(plain)
    ref_nlp, ref_ruler = reference
    for nlp, ruler in (written, read):
        assert len(ruler) == len(ref_ruler)
        assert ruler.patterns == ref_ruler.patterns
        assert dict(ruler._ent_ids) == dict(ref_ruler._ent_ids)
        keywords = ruler.phrase_matcher.__reduce__()[1][1]  # each label's token ids
        assert keywords == ref_ruler.phrase_matcher.__reduce__()[1][1]
        for text in (TEXT, "BEXLEY and Bromley councils; Kingston upon Thames Council."):
            got = [(e.start, e.end, e.label_, e.ent_id_) for e in nlp(text).ents]
            assert got == [(e.start, e.end, e.label_, e.ent_id_) for e in ref_nlp(text).ents]
