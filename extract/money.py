"""Amounts of money in text: "£1m", "£1.5 million", "£579,000", "$6 million", "1 million pounds".

>>> [(a.amount, a.currency) for a in find_amounts("save £1.5 million and £579,000")]
[(Decimal('1500000'), 'GBP'), (Decimal('579000'), 'GBP')]
>>> [str(a.amount) for a in find_amounts("between £8m-£10m a year")]
['10000000']
>>> [str(a.amount) for a in find_amounts("£30.6m - £19.3m for one")]
['30600000', '19300000']
>>> [str(a.amount) for a in find_amounts("between £200,000 and £300,000, or £5m")]
['300000', '5000000']
>>> [str(a.amount) for a in find_amounts("2 million pounds")]
['2000000']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from lgkg.extract.lexicon import load


@dataclass(frozen=True)
class Amount:
    start: int  # character offsets in the text searched
    end: int
    amount: Decimal
    currency: str


@cache
def _regexes() -> tuple[
    re.Pattern[str], re.Pattern[str], dict[str, str], dict[str, str], dict[str, int]
]:
    data = load("money")
    symbols: dict[str, str] = data["currency_symbols"]
    words: dict[str, str] = data["currency_words"]
    mags: dict[str, int] = data["magnitudes"]
    sym = "".join(re.escape(s) for s in symbols)
    mag = "|".join(sorted((re.escape(m) for m in mags), key=len, reverse=True))
    num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    symbol_form = re.compile(
        rf"(?P<cur>[{sym}])\s?(?P<num>{num})(?:\s?-?\s?(?P<mag>{mag})\b)?"
        rf"(?:\s?(?:-|–|to)\s?(?:[{sym}])?\s?(?P<num2>{num})(?:\s?(?P<mag2>{mag})\b)?)?",
        re.I,
    )
    word = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    word_form = re.compile(
        rf"(?<![{sym}\d.,])(?P<num>{num})\s?(?:(?P<mag>{mag})\s)?(?P<word>{word})\b", re.I
    )
    return symbol_form, word_form, symbols, words, mags


def _value(num: str, mag: str | None, mags: dict[str, int]) -> Decimal:
    value = Decimal(num.replace(",", ""))
    if mag:
        value *= mags[mag.lower()]
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in ``text``; for a range, the upper figure."""
    symbol_form, word_form, symbols, words, mags = _regexes()
    out: list[Amount] = []
    pos = 0
    while (m := symbol_form.search(text, pos)) is not None:
        mag = m.group("mag")
        value = _value(m.group("num"), mag or m.group("mag2"), mags)
        end = m.end()
        if m.group("num2"):
            upper = _value(m.group("num2"), m.group("mag2") or mag, mags)
            if upper >= value:  # a range: "£8m-£10m"
                value = upper
            else:  # two figures: "a total of £30.6m - £19.3m for one council"
                value = _value(m.group("num"), mag, mags)
                end = m.end("mag") if mag else m.end("num")
        out.append(Amount(m.start(), end, value, symbols[m.group("cur")]))
        pos = end
    for m in word_form.finditer(text):
        if any(a.start <= m.start() < a.end for a in out):
            continue
        out.append(
            Amount(
                m.start(),
                m.end(),
                _value(m.group("num"), m.group("mag"), mags),
                words[m.group("word").lower()],
            )
        )
    return _between(text, sorted(out, key=lambda a: a.start))


_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_AND = re.compile(r"\s+and\s+$", re.I)


def _between(text: str, amounts: list[Amount]) -> list[Amount]:
    """A range told as "between £200,000 and £300,000" is its upper figure, at the first's place."""
    out: list[Amount] = []
    for a in amounts:
        prev = out[-1] if out else None
        if (
            prev is not None
            and a.currency == prev.currency
            and a.amount >= prev.amount
            and _AND.fullmatch(text[prev.end : a.start])
            and _BETWEEN.search(text[max(0, prev.start - 12) : prev.start])
        ):
            out[-1] = Amount(prev.start, a.end, a.amount, a.currency)
            continue
        out.append(a)
    return out
