"""Cleaning: what changes, what survives, and exact offsets back to the raw text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgkg.extract.clean import CleanText, clean, document_meta, split_paragraphs, unwrapped
from lgkg.extract.sources import SourceDoc, iter_sources

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev"
# clean() never rewrites a printable ASCII character other than the space and the
# backtick (an apostrophe), so a character that comes from one raw character that is
# printable ASCII is that character; an ASCII letter or digit always comes from itself,
# unless the raw text holds an HTML entity or a ligature.
REWRITTEN_ASCII = set(" `")


def doc(raw: str, **kw) -> SourceDoc:
    return SourceDoc(name="t.txt", raw=raw, **kw)


def assert_offsets(ct: CleanText) -> None:
    raw, text, offsets = ct.source.raw, ct.text, ct.offsets
    assert len(offsets) == len(text) + 1
    assert offsets[len(text)] == len(raw)
    assert list(offsets) == sorted(offsets)
    composed = "&" in raw or any(0xFB00 <= ord(ch) <= 0xFB06 for ch in raw)
    for i, ch in enumerate(text):
        start, end = ct.to_original(i, i + 1)
        assert start == offsets[i]
        if end - start == 1:
            found = raw[start]
            if found.isascii() and found.isprintable() and found not in REWRITTEN_ASCII:
                assert found == ch, (i, ch, found)
        if ch.isascii() and ch.isalnum() and not composed:
            assert (end - start, raw[start]) == (1, ch), (i, ch, raw[start:end])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The council\u2019s \u201cplan\u201d", 'The council\'s "plan"'),
        ("\u2018a\u2019 \u201ab\u201b \u2032", "'a' 'b' '"),
        ("\u00abQuoted\u00bb \u201eLow\u201f", '"Quoted" "Low"'),
        ("2015\u20132016 \u2014 done \u2212 5", "2015-2016 - done - 5"),
        ("a\u00a0b\u2009c\u202fd", "a b c d"),
        ("zero\u200bwidth\u00adsoft\ufeff\u200djoin", "zerowidthsoftjoin"),
        ("tabs\t\tand   spaces", "tabs and spaces"),
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("para\n\n\n\n\nnext", "para\n\nnext"),
        ("para  \n \t \n  next", "para\n\nnext"),
        ("line  \n  indented", "line\nindented"),
        ("  \n\n padded \n\n ", "padded"),
        ("bell\x07 and\x1b esc\x00 nul", "bell and esc nul"),
        ("page\x0cbreak", "page\nbreak"),
        ("Councilâ€™s â€œplanâ€\x9d", 'Council\'s "plan"'),
        ("cafÃ© Ã  la carte", "café à la carte"),
        ("their \u03b2\u20ac\u02dchome\u03b2\u20ac\u2122 council", "their 'home' council"),
        ("\u03b2\u20ac\u2019 HR Advisory", "- HR Advisory"),
        ("saving of \ufffd500,000", "saving of £500,000"),
        ("a \ufffd b", "a \ufffd b"),
        ("Fish &amp; chips", "Fish & chips"),
        ("\ufb01nance", "finance"),
        ("Καλημέρα κόσμε", "Καλημέρα κόσμε"),
        ("Привет, мир", "Привет, мир"),
    ],
)
def test_clean_normalises(raw, expected):
    ct = clean(doc(raw))
    assert ct.text == expected
    assert_offsets(ct)


def test_clean_paragraph_breaks_survive():
    ct = clean(doc("First para.\nStill first.\n\n\nSecond para.\n \nThird."))
    assert ct.text == "First para.\nStill first.\n\nSecond para.\n\nThird."
    spans = split_paragraphs(ct)
    assert [ct.text[s:e] for s, e in spans] == [
        "First para.\nStill first.",
        "Second para.",
        "Third.",
    ]


@pytest.mark.parametrize(
    ("raw", "needle", "original"),
    [
        ("  The council\u2019s  \u201cplan\u201d", '"plan"', "\u201cplan\u201d"),
        ("Save \u00a32m â€œnowâ€\x9d, said Ann.", '"now"', "â€œnowâ€\x9d"),
        ("x\u200b\u200by", "y", "y"),
        ("A\n\n\n\nB", "A\n\nB", "A\n\n\n\nB"),
        (
            "their \u03b2\u20ac\u02dchome\u03b2\u20ac\u2122 council",
            "'home'",
            "\u03b2\u20ac\u02dchome\u03b2\u20ac\u2122",
        ),
    ],
)
def test_clean_to_original(raw, needle, original):
    ct = clean(doc(raw))
    start = ct.text.index(needle)
    s, e = ct.to_original(start, start + len(needle))
    assert raw[s:e] == original


def test_clean_to_original_empty_and_bounds():
    ct = clean(doc("  abc"))
    assert ct.to_original(1, 1) == (3, 3)
    assert ct.to_original(3, 3) == (5, 5)
    with pytest.raises(IndexError):
        ct.to_original(2, 9)


_ALPHABET = st.sampled_from(
    [
        *"abcXYZ019 .,'\"-\n\t\r&£",
        *("\u2019", "\u201c", "\u201d", "\u2013", "\u2014", "\u00a0", "\u200b", "\u00ad"),
        *("\ufeff", "\x00", "\x07", "\x85", "\u2028", "\ufffd", "\u03b2\u20ac\u2122", "â€™"),
        *("Ã©", "é", "€", "&amp;", "\ufb01", "Ω", "Ж"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_clean_offsets_property(raw):
    ct = clean(doc(raw))
    assert_offsets(ct)
    for start in range(len(ct.text) + 1):
        for end in range(start, min(len(ct.text), start + 3) + 1):
            s, e = ct.to_original(start, end)
            assert 0 <= s <= e <= len(raw)


def test_clean_corpus_offsets_and_mojibake():
    if not CORPUS.is_dir():
        pytest.skip("corpus not present")
    for source in iter_sources([str(CORPUS)]):
        ct = clean(source)
        assert_offsets(ct)
        assert "\u20ac\u2122" not in ct.text and "\u03b2\u20ac" not in ct.text
        assert "\u2019" not in ct.text and "\u201c" not in ct.text


def test_clean_large_text():
    raw = "The council\u2019s \u201cshared\u201d plan \u2013 caf\u00e9.\n\n" * 50_000
    ct = clean(doc(raw))
    assert ct.text.startswith('The council\'s "shared" plan - café.\n\nThe')
    assert ct.offsets[len(ct.text) - 1] == len(raw) - 3


@pytest.mark.parametrize(
    ("url", "key"),
    [("https://example.org/news/1", "https://example.org/news/1"), (None, "Body text.")],
)
def test_clean_document_meta(url, key):
    ct = clean(doc("  Body\u00a0text.\n", url=url, title="T", published="2016", file_name="t.txt"))
    meta = document_meta(ct)
    assert meta.doc_id == hashlib.sha256(key.encode()).hexdigest()[:16]
    assert meta.content_hash == hashlib.sha256(b"Body text.").hexdigest()
    assert (meta.url, meta.title, meta.published, meta.file_name) == (url, "T", "2016", "t.txt")


WRAPPED = (  # an email's text, wrapped at 60 characters
    "Wealden District Council and Rother District Council have\n"
    "agreed to share an audit team from April, the councils said\n"
    "on Tuesday. The new team will be hosted by Rother District\n"
    "Council and will serve both councils and their residents."
)


def test_unwrapped_joins_the_lines_of_a_wrapped_paragraph():
    got = unwrapped(WRAPPED)
    assert "\n" not in got and len(got) == len(WRAPPED)
    assert "Rother District Council and will serve" in got


@pytest.mark.parametrize(
    "text",
    [
        "Councils to share audit team\n\nWealden and Rother will share a team.",  # paragraphs
        "The partners are:\nWealden\nRother\nHastings",  # a list, one per line
        "Shared audit team for Wealden\nRother joins the service in April.",  # a headline
        "A line of a list of stories about councils in the south east\n"
        "Another line of that list, long but no wrap\n" * 3,  # lines a next word fits after
    ],
)
def test_unwrapped_keeps_breaks_that_end_lines(text):
    assert unwrapped(text) == text
