"""Normalising a document's text, with exact offsets back to the original.

:func:`clean` repairs encoding damage (ftfy, plus UTF-8 misread through
other single-byte code pages such as Greek cp1253), turns typographic quotes,
apostrophes and dashes into their ASCII forms, odd spaces into spaces and odd
line breaks into ``\\n``, drops invisible and control characters, collapses
runs of spaces and blank lines, and trims the ends. Paragraph breaks (blank
lines) survive as exactly one blank line. The character rules live in
``extract/data/text_cleaning.json``.

Each step records which span of its input produced each character of its
output, as a short list of segments (one per edit, not one per character),
so cleaning stays linear and light on memory for large texts; the steps'
maps are composed into :attr:`CleanText.offsets`.

>>> from lgkg.extract.sources import SourceDoc
>>> ct = clean(SourceDoc(name="x", raw="  The council\\u2019s  \\u201cplan\\u201d\\n\\n\\n\\nNext"))
>>> ct.text
'The council\\'s "plan"\\n\\nNext'
>>> ct.to_original(14, 20), ct.source.raw[17:23]
((17, 23), '“plan”')
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, cached_property
from importlib.resources import files
from typing import overload

from lgkg.extract.records import DocumentMeta
from lgkg.extract.sources import SourceDoc

_CHUNK = 2000  # characters per unit of encoding repair and alignment


# --------------------------------------------------------------------------- offset maps


class _Map:
    """A piecewise map from a derived text to the text it was made from.

    Segment ``k`` starts at derived index ``out[k]``. With ``step[k] == 1`` the
    derived characters map one to one onto source characters from ``src[k]``;
    with ``step[k] == 0`` each of them comes from the source span
    ``[src[k], src_end[k])`` (a replacement of a different length).
    """

    __slots__ = ("out", "out_len", "src", "src_end", "src_len", "step")

    def __init__(self, src_len: int) -> None:
        self.out = array("q")
        self.src = array("q")
        self.src_end = array("q")
        self.step = array("b")
        self.out_len = 0
        self.src_len = src_len

    def add(self, length: int, src: int, src_end: int, step: int) -> None:
        """Append ``length`` derived characters."""
        if length <= 0:
            return
        if step and self.step and self.step[-1]:
            last = len(self.out) - 1
            if self.src[last] + self.out_len - self.out[last] == src:  # contiguous: extend
                self.out_len += length
                self.src_end[last] = src + length
                return
        self.out.append(self.out_len)
        self.src.append(src)
        self.src_end.append(src + length if step else src_end)
        self.step.append(step)
        self.out_len += length

    def add_edit(self, src: int, old: str, new: str) -> None:
        """``new`` replaced ``old`` (which starts at ``src``): map each new character."""
        if len(new) == len(old) and all(
            a == b or not a.isascii() for a, b in zip(old, new, strict=True)
        ):  # a character for a character ("’" for "'"): each maps to its own
            self.add(len(new), src, src + len(new), 1)
            return
        positions = _subsequence(new, old)
        if positions is None:
            self.add(len(new), src, src + len(old), 0)
            return
        for position in positions:
            self.add(1, src + position, src + position + 1, 1)

    def span(self, i: int) -> tuple[int, int]:
        """The source span derived character ``i`` came from."""
        k = bisect_right(self.out, i) - 1
        if self.step[k]:
            start = self.src[k] + i - self.out[k]
            return start, start + 1
        return self.src[k], self.src_end[k]

    def offset(self, i: int) -> int:
        """Where derived character ``i`` starts in the source (``src_len`` at the end)."""
        return self.src_len if i >= self.out_len else self.span(i)[0]

    def segments(self) -> Iterator[tuple[int, int, int, int, int]]:
        """(out start, length, src, src_end, step) for each segment."""
        n = len(self.out)
        for k in range(n):
            end = self.out[k + 1] if k + 1 < n else self.out_len
            yield self.out[k], end - self.out[k], self.src[k], self.src_end[k], self.step[k]


def _subsequence(new: str, old: str) -> list[int] | None:
    """Positions in ``old`` of the characters of ``new`` when it is a subsequence of it."""
    positions: list[int] = []
    j = 0
    for ch in new:
        j = old.find(ch, j)
        if j < 0:
            return None
        positions.append(j)
        j += 1
    return positions


def _compose(outer: _Map, inner: _Map) -> _Map:
    """``outer`` maps text C to B and ``inner`` maps B to A: the map from C to A."""
    result = _Map(inner.src_len)
    for _, length, src, src_end, step in outer.segments():
        if not step:
            if src_end > src:
                result.add(length, inner.span(src)[0], inner.span(src_end - 1)[1], 0)
            else:  # an insertion: an empty span where it was inserted
                at = inner.offset(src)
                result.add(length, at, at, 0)
            continue
        pos, stop = src, src + length
        k = bisect_right(inner.out, pos) - 1
        while pos < stop:
            seg_end = inner.out[k + 1] if k + 1 < len(inner.out) else inner.out_len
            piece = min(stop, seg_end) - pos
            if inner.step[k]:
                start = inner.src[k] + pos - inner.out[k]
                result.add(piece, start, start + piece, 1)
            else:
                result.add(piece, inner.src[k], inner.src_end[k], 0)
            pos += piece
            k += 1
    return result


class _Offsets(Sequence[int]):
    """``offsets[i]``: where character ``i`` of the clean text starts in the raw text."""

    def __init__(self, mapping: _Map) -> None:
        self._map = mapping

    def __len__(self) -> int:
        return self._map.out_len + 1

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("offset index out of range")
        return self._map.offset(i)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rules:
    replacements: dict[str, str]
    codepages: tuple[str, ...]
    lost_currency: str


@cache
def _rules() -> _Rules:
    path = files("lgkg.extract") / "data" / "text_cleaning.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    replacements = {
        chr(int(code, 16)): group["to"] for group in data["replace"] for code in group["chars"]
    }
    for code in [*range(0x20), *range(0x7F, 0xA0)]:  # control characters
        if chr(code) not in "\t\n\r":
            replacements.setdefault(chr(code), "")
    return _Rules(replacements, tuple(data["mojibake_codepages"]), data["lost_currency_byte"])


@cache
def _ftfy_config():  # ftfy is imported on the first text that may need it (most need none)
    import ftfy

    return ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, explain=False)


@cache
def _codepage_chars(codepage: str) -> tuple[str, ...]:
    """Byte -> character for a single-byte code page; its holes filled as cp1252, then latin-1."""
    chars = []
    for byte in range(256):
        for encoding in (codepage, "cp1252", "latin-1"):
            try:
                chars.append(bytes([byte]).decode(encoding))
                break
            except UnicodeDecodeError:
                continue
    return tuple(chars)


@cache
def _codepage_table(codepage: str) -> dict[str, int]:
    """Character -> byte for :func:`_codepage_chars` (the first byte where one repeats)."""
    table: dict[str, int] = {}
    for byte, ch in enumerate(_codepage_chars(codepage)):
        table.setdefault(ch, byte)
    return table


@cache
def _codepage_pattern(codepage: str) -> re.Pattern[str]:
    """Runs that read as UTF-8 lead and continuation bytes in ``codepage``."""
    by_byte = _codepage_chars(codepage)

    def chars(low: int, high: int) -> str:
        return "[" + "".join(re.escape(by_byte[b]) for b in range(low, high + 1)) + "]"

    cont = chars(0x80, 0xBF)
    return re.compile(
        f"(?:{chars(0xC2, 0xDF)}{cont}"
        f"|{chars(0xE0, 0xEF)}{cont}{{2}}"
        f"|{chars(0xF0, 0xF4)}{cont}{{3}})+"
    )


def _plausible(ch: str) -> bool:
    """Characters UTF-8 damage in English text hides: Latin letters, punctuation, symbols."""
    code = ord(ch)
    return 0xA0 <= code <= 0x24F or 0x2000 <= code <= 0x214F


def fix_codepage_mojibake(text: str) -> str:
    """Repair UTF-8 that was read through a non-Western single-byte code page.

    ftfy repairs the cp1252 and latin-1 cases; this catches e.g. the Greek
    cp1253 reading of a curly apostrophe. A run is repaired only when its
    bytes are valid UTF-8 and decode to Latin letters, punctuation or symbols.

    >>> fix_codepage_mojibake("their \\u03b2\\u20ac\\u02dchome\\u03b2\\u20ac\\u2122 council")
    'their ‘home’ council'
    """
    for codepage in _rules().codepages:
        table = _codepage_table(codepage)

        def repair(m: re.Match[str], table: dict[str, int] = table) -> str:
            try:
                fixed = bytes(table[ch] for ch in m[0]).decode("utf-8")
            except UnicodeDecodeError:
                return m[0]
            return fixed if all(_plausible(ch) for ch in fixed) else m[0]

        text = _codepage_pattern(codepage).sub(repair, text)
    return text


def _fix_chunk(chunk: str) -> str:
    import ftfy

    return fix_codepage_mojibake(ftfy.fix_text(chunk, _ftfy_config()))


# --------------------------------------------------------------------------- steps


def _chunks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of about ``_CHUNK`` characters, cut after a newline or after a space that
    follows an ASCII letter or digit (never inside a damaged sequence)."""
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + _CHUNK)
        if end < n:
            cut = text.rfind("\n", start, end)
            if cut < 0:
                cut = end - 1
                while cut > start and not (text[cut] == " " and text[cut - 1].isascii()):
                    cut -= 1
                if cut == start:
                    cut = end - 1
            end = cut + 1
        yield start, end
        start = end


_TOKEN = re.compile(r"[ \t\n]+|[^ \t\n]+")
_SHORT = 200  # longest replaced stretch aligned character by character


def _align_chars(mapping: _Map, src: int, old: str, new: str) -> None:
    """Map a short replaced stretch: the characters both keep one to one, the rest as edits."""
    if old == new:
        mapping.add(len(new), src, src + len(new), 1)
        return
    if len(old) > _SHORT or len(new) > _SHORT or _subsequence(new, old) is not None:
        mapping.add_edit(src, old, new)  # characters only removed: each kept one maps home
        return
    i0 = j0 = 0
    for i, j in _common_characters(old, new):
        mapping.add_edit(src + i0, old[i0:i], new[j0:j])
        mapping.add(1, src + i, src + i + 1, 1)
        i0, j0 = i + 1, j + 1
    mapping.add_edit(src + i0, old[i0:], new[j0:])


def _common_characters(old: str, new: str) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of two short strings (ASCII only:
    a repaired character never stands for an unrelated raw one).

    >>> _common_characters("\\x85a\\ufeffaa", "\\u2026aaa")
    [(1, 1), (3, 2), (4, 3)]
    """
    n, m = len(old), len(new)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if old[i] == new[j] and old[i].isascii():
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if old[i] == new[j] and old[i].isascii() and table[i][j] == table[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _align_tokens(mapping: _Map, src: int, old: str, new: str) -> int:
    """Map ``new`` onto ``old`` word by word; returns the source position after ``old``."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(old_tokens) == len(new_tokens):
        opcodes = [("replace", 0, len(old_tokens), 0, len(new_tokens))]
    else:
        opcodes = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()
    pos = src
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal" or i2 - i1 == j2 - j1:
            for old_token, new_token in zip(old_tokens[i1:i2], new_tokens[j1:j2], strict=True):
                _align_chars(mapping, pos, old_token, new_token)
                pos += len(old_token)
            continue
        a, b = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        _align_chars(mapping, pos, a, b)
        pos += len(a)
    return pos


def _align(mapping: _Map, src: int, old: str, new: str) -> None:
    """Map ``new`` (a repaired ``old`` at ``src``) back onto ``old``.

    Repairs are local and keep line breaks, so the two are matched line by
    line, then word by word, then character by character inside the words
    that changed.
    """
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if len(old_lines) != len(new_lines):
        _align_tokens(mapping, src, old, new)
        return
    pos = src
    for old_line, new_line in zip(old_lines, new_lines, strict=True):
        if old_line == new_line:
            mapping.add(len(old_line), pos, pos + len(old_line), 1)
            pos += len(old_line)
        else:
            pos = _align_tokens(mapping, pos, old_line, new_line)


# Characters that ftfy may change: HTML entities, escapes, C1 controls, Latin-1 and other
# letters that UTF-8 damage is made of, combining marks, ligatures, full-width forms.
_SUSPECT = re.compile("[&\x1b\x80-\x9f\u00c0-\u052f\ufb00-\ufb06\uff00-\uffef\ud800-\udfff]")


def _repair_encoding(text: str) -> tuple[str, _Map]:
    """ftfy and code-page repair, chunk by chunk; chunks without suspect characters are copied."""
    mapping = _Map(len(text))
    parts: list[str] = []
    for start, end in _chunks(text):
        chunk = text[start:end]
        fixed = _fix_chunk(chunk) if _SUSPECT.search(chunk) else chunk
        parts.append(fixed)
        if fixed == chunk:
            mapping.add(len(chunk), start, end, 1)
        else:
            _align(mapping, start, chunk, fixed)
    return "".join(parts), mapping


def _substitute(
    text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> tuple[str, _Map]:
    """``pattern.sub(replace, text)``, recording where each output character came from."""
    mapping = _Map(len(text))
    pos = 0
    for m in pattern.finditer(text):
        mapping.add(m.start() - pos, pos, m.start(), 1)
        mapping.add_edit(m.start(), m[0], replace(m))
        pos = m.end()
    mapping.add(len(text) - pos, pos, len(text), 1)
    return pattern.sub(replace, text), mapping


@cache
def _character_pattern() -> re.Pattern[str]:
    chars = "".join(re.escape(ch) for ch in _rules().replacements)
    return re.compile(f"\r\n?|\ufffd(?= ?[0-9])|[{chars}]")


def _replace_character(m: re.Match[str]) -> str:
    found = m[0]
    if found[0] == "\r":
        return "\n"
    if found == "\ufffd":
        return _rules().lost_currency
    return _rules().replacements[found]


_WHITESPACE = re.compile(r"[ \t]*\n[ \t\n]*|[ \t]{2,}|\t")


def _collapse_whitespace(m: re.Match[str]) -> str:
    newlines = m[0].count("\n")
    return " " if not newlines else "\n" if newlines == 1 else "\n\n"


def _strip(text: str) -> tuple[str, _Map]:
    stripped = text.strip(" \n")
    start = len(text) - len(text.lstrip(" \n"))
    mapping = _Map(len(text))
    mapping.add(len(stripped), start, start + len(stripped), 1)
    return stripped, mapping


def normalise(text: str) -> tuple[str, _Map]:
    """The clean text of ``text`` and its map back to ``text``."""
    fixed, mapping = _repair_encoding(text)
    steps = (
        lambda t: _substitute(t, _character_pattern(), _replace_character),
        lambda t: _substitute(t, _WHITESPACE, _collapse_whitespace),
        _strip,
    )
    for step in steps:
        fixed, outer = step(fixed)
        mapping = _compose(outer, mapping)
    return fixed, mapping


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class CleanText:
    """The text the NLP pipeline reads, with offsets back into ``source.raw``."""

    text: str
    source: SourceDoc
    offsets: Sequence[int]  # offsets[i]: index in source.raw of text[i]; last is len(raw)

    @cached_property
    def meta(self) -> DocumentMeta:
        """The document's :class:`DocumentMeta` (:func:`document_meta`), computed once."""
        return document_meta(self)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``source.raw`` that the ``[start, end)`` span of ``text`` came from.

        >>> from lgkg.extract.sources import SourceDoc
        >>> ct = clean(SourceDoc(name="x", raw="A\\u00a0 B\\u2014C"))
        >>> ct.text, ct.to_original(2, 5)
        ('A B-C', (3, 6))
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span [{start}, {end}) outside a text of {len(self.text)}")
        if start == end:
            at = self.offsets[start]
            return at, at
        mapping = getattr(self.offsets, "_map", None)
        if mapping is None:  # a plain sequence: the end is where the next character starts
            return self.offsets[start], max(self.offsets[start] + 1, self.offsets[end])
        return mapping.span(start)[0], mapping.span(end - 1)[1]


def clean(source: SourceDoc) -> CleanText:
    """Normalise ``source.raw`` for the NLP pipeline, keeping offsets back to it."""
    text, mapping = normalise(source.raw)
    return CleanText(text=text, source=source, offsets=_Offsets(mapping))


_SENTENCE_END = (".", "!", "?", ":", ";")
_WRAP_WIDTHS = (40, 120)  # the line widths hard-wrapped text is written at


def unwrapped(text: str) -> str:
    r"""``text`` with each line break that only wraps a line inside a paragraph made a space
    (an email's or a PDF's text, wrapped at a fixed width), so that a name or a sentence
    broken across lines reads whole; the same length, so offsets stand.

    A text is wrapped when its longest line is 40 to 120 characters and at least three
    lines that run on into the next are near that width, a third of them or more breaking
    a sentence (the next line starts in lower case; a list of headlines breaks none). A
    line break wraps when the line ends no sentence and the next line's first word would
    not have fitted on it, or that word is in lower case; blank lines (paragraphs) stay.

    >>> text = "Hart District\nCouncil and Rushmoor will share a legal team.\n\nTitle\nText."
    >>> unwrapped(text) == text  # no wrapping width: only a lower-case word runs on
    True
    >>> unwrapped("Hart District Council and Rushmoor will\nshare a legal team.")
    'Hart District Council and Rushmoor will share a legal team.'
    """
    lines = text.split("\n")
    width = max((len(line) for line in lines), default=0)
    runs_on = [
        i
        for i in range(len(lines) - 1)
        if lines[i].strip()
        and lines[i + 1].strip()
        and not lines[i].rstrip().endswith(_SENTENCE_END)
    ]
    lo, hi = _WRAP_WIDTHS
    full = [i for i in runs_on if len(lines[i]) >= 0.8 * width]
    mid_sentence = sum(lines[i + 1].lstrip()[:1].islower() for i in full)
    wrapped = lo <= width <= hi and len(full) >= 3 and 3 * mid_sentence >= len(full)
    joined = set()
    for i in runs_on:
        first = lines[i + 1].lstrip().split(" ", 1)[0]
        fits = len(lines[i].rstrip()) + 1 + len(first) <= width
        if first[:1].islower() or (wrapped and not fits):
            joined.add(i)
    if not joined:
        return text
    return "".join(line + (" " if i in joined else "\n") for i, line in enumerate(lines))[:-1]


def split_paragraphs(ct: CleanText) -> list[tuple[int, int]]:
    """``[start, end)`` spans of the paragraphs of ``ct.text`` (split at blank lines).

    >>> from lgkg.extract.sources import SourceDoc
    >>> split_paragraphs(clean(SourceDoc(name="x", raw="One.\\n\\n\\nTwo\\nlines.")))
    [(0, 4), (6, 16)]
    """
    spans = []
    start = 0
    text = ct.text
    while start < len(text):
        end = text.find("\n\n", start)
        if end < 0:
            end = len(text)
        if text[start:end].strip():
            spans.append((start, end))
        start = end + 2
    return spans


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_meta(ct: CleanText) -> DocumentMeta:
    """The :class:`DocumentMeta` of a cleaned document (docs/contract.md, "Identifiers").

    ``doc_id`` is the first 16 hex digits of the sha256 of the URL when there
    is one, else of the normalised text; ``content_hash`` is the sha256 of
    the normalised text.

    >>> from lgkg.extract.sources import SourceDoc
    >>> document_meta(clean(SourceDoc(name="x", raw="Hi", url="https://x.org/a"))).doc_id
    '35ca5f4a9cb0c9f6'
    """
    content_hash = _sha256(ct.text)
    source = ct.source
    return DocumentMeta(
        doc_id=_sha256(source.url)[:16] if source.url else content_hash[:16],
        url=source.url,
        title=source.title,
        published=source.published,
        file_name=source.file_name,
        content_hash=content_hash,
    )
