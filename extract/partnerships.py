"""Names of partnerships: the ones a document names, or one made from its members.

>>> partnership_label([Body("Brent", "E09000005"), Body("Lewisham", "E09000023")], [], "ict")
'Brent and Lewisham shared ICT service'
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from lgkg.extract.lexicon import load
from lgkg.extract.mentions import Mention, partnership_heads
from lgkg.extract.records import Body, Event
from lgkg.extract.tokens import features


def is_partnership_reference(trigger) -> bool:
    """Does the trigger's phrase speak of a partnership?

    As in "the closure of LGSS" or "the partnership was dissolved". A verb speaks of
    what its subject or object names ("the notice period ends on 31 March, after which
    X will run its own services" does not end the services), or of "it".
    """
    heads = partnership_heads()

    def names_one(t) -> bool:  # a partnership word, or an acronym the model calls an ORG
        return t.lower_ in heads or (t.ent_type_ == "ORG" and t.is_upper and len(t) >= 3)

    if trigger.pos_ in ("VERB", "AUX"):
        near = [
            t
            for c in trigger.children
            if c.dep_ in ("nsubj", "nsubjpass", "dobj")
            for t in c.subtree
        ]
        return any(
            names_one(t) or (t.lower_ == "it" and t.dep_ in ("nsubj", "nsubjpass")) for t in near
        )
    near = list(trigger.subtree) + [
        c for t in (trigger, trigger.head) for c in t.children if c.dep_ in ("nsubj", "nsubjpass")
    ]
    near += [t for c in near if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
    return any(names_one(t) for t in near)


def name_partnerships(doc: Doc, mentions: list[Mention]) -> list[str]:
    """Names the document gives partnerships, most frequent first.

    A name is, outside the council mentions:

    - an ORG entity (or product, work, facility) with a partnership word in it
      ("South London Legal Partnership", "Shared Technology Service"), not one
      that names a meeting, post or document ("Audit Committee");
    - an expansion and the acronym in brackets after it, both ("Education through
      Regional Working (ERW)": the acronym's letters start the expansion's words);
    - an acronym ("LGSS") or a CamelCase word ("oneSource") the text repeats,
      that abbreviates no council and is no common abbreviation ("ICT").
    """
    taken = {i for m in mentions for i in range(m.start, m.end)}
    counts: dict[str, int] = {}

    def count(name: str, n: int = 1) -> None:
        name = _ARTICLE.sub("", " ".join(name.split())).strip(" ,;:'\"\u201c\u201d")
        if name and not _NOT_A_NAME.fullmatch(name):
            counts[name] = counts.get(name, 0) + n

    heads = partnership_heads() | set(_names_data()["heads"])
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "PRODUCT", "WORK_OF_ART", "FAC") or any(
            i in taken for i in range(ent.start, ent.end)
        ):
            continue
        words = [t.lower_ for t in ent if not t.is_space]
        if set(words) & heads and _is_partnership_name(words) and not _shouted(ent):
            count(ent.text)
    defined = _acronyms_defined(doc, taken)
    for expansion, acronym in defined:
        count(expansion)
        count(acronym, sum(t.text == acronym for t in doc))
    for word, n in _repeated_words(doc, taken, {a for _, a in defined}).items():
        count(word, n)
    return sorted(counts, key=lambda n: (-counts[n], n))


def _lower_words(doc: Doc) -> set[str]:
    """The words ``doc`` writes in lower case, in capitals: a word in capitals that the
    text also writes in lower case is emphasis (a headline, a newspaper's opening words:
    "A PARTNERSHIP is being put in place … the partnership"), not an acronym or a name."""
    f = features(doc)
    if "partnerships.lower_words" not in f.memo:
        f.memo["partnerships.lower_words"] = {
            w.upper() for w in f.words if w.islower() and w.isalpha()
        }
    return f.memo["partnerships.lower_words"]


def _shouted(span: Span) -> bool:
    """Is ``span`` emphasis (:func:`_lower_words`): every word in capitals, written in lower
    case elsewhere in the text?"""
    words = [t for t in span if t.is_alpha]
    lower = _lower_words(span.doc)
    return bool(words) and all(t.is_upper and t.text in lower for t in words)


_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)
_NOT_A_NAME = re.compile(r"[\W\d_]*")


def _names_data() -> dict:
    return load("names")


def _is_partnership_name(words: list[str]) -> bool:
    """Not a meeting, post, document or prize ("Audit Committee"), unless joint or shared."""
    data = _names_data()
    alpha = [w for w in words if w.isalpha() and w not in ("the", "a", "an")]
    if not alpha or alpha[0] in data["not_name_starts"]:
        return False
    if alpha[-1] not in data["not_name_ends"]:
        return True
    return bool(set(words) & set(data["unless_words"]))


def _initials_match(acronym: str, words: list[str]) -> bool:
    """Do the letters of ``acronym`` start ``words`` in order (connector words may be skipped)?

    >>> _initials_match("ERW", ["Education", "through", "Regional", "Working"])
    True
    >>> _initials_match("H3", ["Hampshire", "Shared", "Services"])
    False
    """
    connectors = set(_names_data()["connectors"])
    letters = acronym.lower()

    def fits(i: int, j: int) -> bool:  # letters[i:] from words[j:]
        if i == len(letters):
            return all(w.lower() in connectors for w in words[j:])
        if j == len(words):
            return False
        word = words[j].lower()
        if word[:1] == letters[i] and fits(i + 1, j + 1):
            return True
        return word in connectors and fits(i, j + 1)

    return len(letters) >= 2 and letters.isalpha() and fits(0, 0)


_MAX_EXPANSION = 8


def _acronyms_defined(doc: Doc, taken: set[int]) -> list[tuple[str, str]]:
    """``(expansion, acronym)`` pairs the text defines: "Dorset Waste Partnership (DWP)"."""
    found: list[tuple[str, str]] = []
    texts = features(doc).words  # (the text's words, read once: most are no acronym)
    for i in range(1, len(texts) - 1):
        if not (texts[i - 1] == "(" and texts[i + 1] == ")" and _is_acronym(texts[i])):
            continue
        if i in taken:
            continue
        tok = doc[i]
        end = i - 1
        for start in range(end - 1, max(end - 1 - _MAX_EXPANSION, -1), -1):
            span = doc[start:end]
            if not span[0].text[:1].isupper() or any(i in taken for i in range(start, end)):
                continue
            words = [t.text for t in span if not t.is_punct or t.text == "&"]
            if _initials_match(tok.text, words):
                lower = [w.lower() for w in words]
                wanted = partnership_heads() | set(_names_data()["expansion_words"])
                if set(lower) & wanted and _is_partnership_name(lower):
                    found.append((span.text, tok.text))
                break
    return found


def _is_acronym(text: str) -> bool:
    """Upper-case letters (a digit or a lower-case letter may follow the first two)."""
    return (
        bool(re.fullmatch(r"[A-Z]{2}[A-Za-z0-9]{0,4}", text))
        and sum(c.isupper() for c in text) >= 2
    )


def _repeated_words(doc: Doc, taken: set[int], defined: set[str]) -> dict[str, int]:
    """Acronyms and CamelCase words the text repeats that may name a partnership."""
    data = _names_data()
    stop = {w.upper() for w in data["not_names"]} | _lower_words(doc)
    counts: dict[str, int] = {}
    organisations: set[str] = set()  # tagged as an organisation at least once
    f = features(doc)
    for i, text in enumerate(f.words):
        if text[1:] == text[1:].lower():  # no capital after the first: no acronym, no CamelCase
            continue
        if i in taken or text.upper() in stop or text in defined:
            continue
        tok = f.tokens[i]
        camel = bool(re.fullmatch(r"[a-z]+[A-Z][a-z]+|[A-Z][a-z]+[A-Z][a-z]{2,}", text))
        if camel or _is_acronym(text):
            counts[text] = counts.get(text, 0) + 1
            if tok.ent_type_ == "ORG":
                organisations.add(text.lower())
    by_key: dict[str, str] = {}
    for text in sorted(counts, key=lambda t: (-counts[t], t)):
        by_key.setdefault(text.lower(), text)  # "OneSource" and "oneSource": one word
    merged = {
        by_key[k]: sum(n for t, n in counts.items() if t.lower() == k)
        for k in by_key
        if k in organisations
    }
    return {t: n for t, n in merged.items() if n >= data["min_repeats"]}


def partnership_label(members: list[Body], events: list[Event], area: str) -> str:
    """A label for an unnamed partnership: its members and its service area."""
    names = [b.name for b in members] or list(dict.fromkeys(e.body.name for e in events))
    return generated_label(names, area)


#: How many members a made-up label names before "and N others".
LABEL_MEMBERS = 4


def generated_label(names: list[str], area: str) -> str:
    """A readable label made of member names and a service area (``names`` in order).

    >>> generated_label(["Brent", "Lewisham"], "ict")
    'Brent and Lewisham shared ICT service'
    >>> generated_label(["Adur", "Worthing"], "other")
    'Adur and Worthing shared services'
    >>> generated_label(["A", "B", "C", "D", "E", "F"], "legal")
    'A, B, C and 3 others shared legal service'
    """
    phrases = _names_data()["area_phrases"]
    phrase = phrases.get(area) or f"shared {area} service"
    names = list(dict.fromkeys(names))
    if len(names) > LABEL_MEMBERS:
        head = names[: LABEL_MEMBERS - 1]
        who = f"{', '.join(head)} and {len(names) - len(head)} others"
    elif len(names) > 1:
        who = f"{', '.join(names[:-1])} and {names[-1]}"
    else:
        who = names[0] if names else ""
    return f"{who} {phrase}".strip()
