"""Who a sentence talks about: councils by name, by abbreviation and by reference.

A :class:`Mention` ties a token span of the spaCy ``Doc`` to a :class:`Body`.
Councils come from the gazetteer ruler (entities labelled ``COUNCIL``) and are
resolved with the publication date, so an abolished council is chosen for an
old article; abbreviations a document defines ("Cambridgeshire County Council
(CCC)") are followed; references such as "the council", "both authorities"
or "the three boroughs" are resolved to the councils named before them.
Other public bodies (police, fire, NHS, associations) come from the model's
ORG entities.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.tokens import Doc, Span, Token

from lgkg.extract.gazetteer import COUNCIL_LABEL, Gazetteer
from lgkg.extract.lexicon import load
from lgkg.extract.records import Body
from lgkg.extract.surnames import SURNAMES
from lgkg.extract.tokens import features

_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,7}$")
_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "both": 2,
}


@dataclass(frozen=True)
class Mention:
    """A span of the doc (token indices) that names or refers to a body."""

    start: int
    end: int
    body: Body
    kind: str  # "name", "abbreviation", "reference" or "org"

    def tokens(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


def _public_body_words() -> frozenset[str]:
    return frozenset(load("bodies")["public_body_words"])


@cache
def partnership_heads() -> frozenset[str]:
    """Words that make a name a partnership's ("partnership", "service", "board"),
    ``bodies.json``."""
    return frozenset(load("bodies")["partnership_heads"])


@cache
def generic_body_words() -> frozenset[str]:
    """Words that name no body by themselves ("the", "council", "borough"), ``bodies.json``."""
    return frozenset(load("bodies")["generic_words"])


def _council_from_span(span: Span, gazetteer: Gazetteer, published: str | None) -> Body | None:
    council = gazetteer.lookup(span.text, on_date=published)
    if council is None and span.ent_id_:
        council = gazetteer.by_code(span.ent_id_)
    if council is None:
        return None
    return Body(council.short_name, council.code)


def _org_body(span: Span) -> Body | None:
    """A non-council public body named by an ORG entity, or None."""
    words = {t.lower_ for t in span}
    if not words & _public_body_words() or words <= generic_body_words():
        return None
    if _organ_of_partnership(words):
        return None
    text = span.text
    if span[0].lower_ == "the":
        text = span[1:].text
    text = re.sub(r"'s$", "", text).strip()
    return Body(text) if text else None


def _organ_of_partnership(words: set[str]) -> bool:
    """Does an ORG's only public-body word make it a partnership's own board ("the SWAP
    Partnership Board", "a Joint Committee board") rather than a body that takes part?"""
    heads = partnership_heads() - {"board"}
    return bool(words & heads) and not (words & _public_body_words()) - {"board"}


def _inside_longer_name(doc: Doc, ent: Span) -> bool:
    """A one-word place name ending a longer proper name: "Cllr John Kent", "Mid Kent"."""
    if len(ent) != 1 or ent.start == 0 or ent[0].is_sent_start:
        return False
    prev = doc[ent.start - 1]
    return prev.is_title and prev.pos_ == "PROPN" and prev.whitespace_ != ""


def _starts_partnership_name(doc: Doc, ent: Span) -> bool:
    """A place name that starts a partnership's name: "Dorset Waste Partnership"."""
    heads = partnership_heads() - {"shared"}
    j = ent.end
    while (
        j < len(doc) and j - ent.end < 5 and doc[j].is_title and doc[j].ent_type_ != COUNCIL_LABEL
    ):
        if doc[j].lower_ in heads:
            return True
        j += 1
    return False


def _non_council_body(doc: Doc, ent: Span) -> Mention | None:
    """A place name in another body's name ("Devon and Cornwall Police", "Avon & Somerset
    Police", "NHS Herefordshire"); never a council's whole name ("Kent County Council and
    Kent Police" are two).
    """
    if ent[-1].lower_ in ("council", "councils"):
        return None
    if ent.start > 0 and doc[ent.start - 1].lower_ in set(load("bodies")["body_title_starts"]):
        first = ent.start - 1  # "NHS Herefordshire": the place names an NHS body
        return Mention(first, ent.end, Body(doc[first : ent.end].text), "org")
    heads = set(load("bodies")["non_council_heads"])
    j = ent.end
    while j < len(doc) and j - ent.end < 6 and (doc[j].is_title or doc[j].lower_ in ("and", "&")):
        if doc[j].lower_ in heads:
            end = j + 1
            words = heads | {"service", "services"}
            while end < len(doc):
                if doc[end].is_title and doc[end].lower_ in words:
                    end += 1
                elif (  # "Fire and Rescue Service", "Fire & Rescue"
                    doc[end].lower_ in ("and", "&")
                    and end + 1 < len(doc)
                    and doc[end + 1].is_title
                    and doc[end + 1].lower_ in heads
                ):
                    end += 2
                else:
                    break
            start = ent.start  # "Avon & Somerset Police": the place before "&" is in the name
            while (
                start >= 2
                and doc[start - 1].lower_ in ("and", "&")
                and doc[start - 2].is_title
                and doc[start - 2].ent_type_ != COUNCIL_LABEL
                and doc[start - 2].lower_ not in ("council", "councils")
                and doc[start - 2].lower_ not in words  # "... Service and Dorset Police"
            ):
                start -= 2
            name = doc[start:end].text.replace(" & ", " and ")  # one spelling of a name
            return Mention(start, end, Body(name), "org")
        j += 1
    return None


def _elided(
    doc: Doc, found: list[Mention], gazetteer: Gazetteer, published: str | None
) -> list[Mention]:
    """Councils whose shared words are left out: "North and North East Lincolnshire" names
    North Lincolnshire too, "East and West Sussex" East Sussex."""
    taken = {i for m in found for i in range(m.start, m.end)}
    out = []
    for m in found:
        if m.start < 2 or doc[m.start - 1].lower_ not in ("and", "&", "or"):
            continue
        j = m.start - 1
        i = j
        while i > 0 and doc[i - 1].is_title and doc[i - 1].i not in taken and j - i < 3:
            i -= 1
        if i == j:
            continue
        head = doc[i:j].text
        words = doc[m.start : m.end].text.split()
        for k in range(1, len(words)):
            council = gazetteer.lookup(f"{head} {' '.join(words[k:])}", on_date=published)
            if council is not None and council.code != m.body.code:
                out.append(Mention(i, j, Body(council.short_name, council.code), "name"))
                break
    return out


_LIST_JOINERS = {"and", ",", "&"}


def _listed_beside(tok: Token) -> list[Token]:
    """The words just beside ``tok`` across "and", "&", a comma or ", and", whatever the
    parse says ("Richmond and Wandsworth Councils" is often parsed without a conjunction)."""
    return [t for step in (1, -1) if (t := _across_joiners(tok, step)) is not None]


def _across_joiners(tok: Token, step: int) -> Token | None:
    """The word after (``step`` 1) or before (-1) ``tok`` across one or two list joiners
    (", and": the serial comma), or None if no joiner is there."""
    doc, j = tok.doc, tok.i + step
    while 0 < j < len(doc) - 1 and doc[j].lower_ in _LIST_JOINERS and abs(j - tok.i) < 3:
        j += step
    return doc[j] if abs(j - tok.i) > 1 else None


def _listed_with_councils(
    doc: Doc, found: list[Mention], gazetteer: Gazetteer, published: str | None
) -> list[Mention]:
    """Shortened names listed with councils: "Sutton, Merton and Kingston" names
    Kingston upon Thames, picked by the region of the councils beside it. A name found so
    is a council beside the next ("Moray, Orkney, Shetland and ..."), and a name the parse
    takes for a word ("Swindon and *Reading* councils") counts when written as a name
    inside the sentence."""
    out: list[Mention] = []
    while True:
        more = _listed_once(doc, [*found, *out], gazetteer, published)
        if not more:
            return out
        out += more


def _listed_once(
    doc: Doc, found: list[Mention], gazetteer: Gazetteer, published: str | None
) -> list[Mention]:
    """One pass of :func:`_listed_with_councils` beside the councils ``found``."""
    taken = {i for m in found for i in range(m.start, m.end)}
    by_token = {i: m for m in found if m.body.is_council for i in range(m.start, m.end)}
    surnames = doc.user_data.get(SURNAMES, ())
    out = []
    f = features(doc)
    for i, pos in enumerate(f.pos):
        if i in taken or f.ent_type[i] == COUNCIL_LABEL:
            continue  # a ruler match was judged already (a place, a modifier)
        tok = f.tokens[i]
        if pos != "PROPN" and (tok.is_sent_start or pos not in ("VERB", "NOUN")):
            continue
        if not tok.is_title or i in surnames:
            continue  # ("Mark Sutton, Staffordshire County Council's ...": a person's name)
        partners = [t for t in (tok.head, *tok.children) if t.dep_ == "conj" or tok.dep_ == "conj"]
        partners += _listed_beside(tok)
        neighbours = list(dict.fromkeys(by_token[t.i] for t in partners if t.i in by_token))
        if not neighbours:
            continue
        regions = [c.region for m in neighbours if (c := gazetteer.by_code(m.body.code or ""))]
        start = _name_start(tok, taken)  # "Western Isles": the name's words before it
        council = gazetteer.lookup(doc[start : i + 1].text, on_date=published)
        if council is None and start < i:
            start, council = i, gazetteer.lookup(tok.text, on_date=published)
        if council is None:
            options = gazetteer.starting_with(tok.text)
            council = next((c for c in options if c.region in regions), None)
        if council is not None and council.code not in {m.body.code for m in neighbours}:
            out.append(Mention(start, i + 1, Body(council.short_name, council.code), "name"))
    return out


def _name_start(tok: Token, taken: set[int]) -> int:
    """Where a name ending at ``tok`` starts: its title-case compounds right before it."""
    start = tok.i
    for left in reversed(list(tok.lefts)):
        if left.i != start - 1 or left.dep_ != "compound" or not left.is_title or left.i in taken:
            break
        start = left.i
    return start


def _consistent(doc: Doc, found: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Give a name that fits several councils the one the document names unambiguously.

    "Buckinghamshire County Council ... Buckinghamshire's cabinet member" is the
    county council both times, even when "Buckinghamshire" alone would be its
    successor.
    """
    sure = {
        m.body.code
        for m in found
        if m.body.is_council and len(gazetteer.candidates(doc[m.start : m.end].text)) == 1
    }
    out = []
    for m in found:
        cands = gazetteer.candidates(doc[m.start : m.end].text) if m.body.is_council else []
        if len(cands) > 1 and m.body.code not in sure:
            chosen = next((c for c in cands if c.code in sure), None)
            if chosen is not None:
                m = Mention(m.start, m.end, Body(chosen.short_name, chosen.code), m.kind)
        out.append(m)
    return out


def _location(doc: Doc, m: Mention, gazetteer: Gazetteer) -> bool:
    """A county's bare name after "in", "across"...: "shared services in Lincolnshire", or
    listed after one, or after "counties -".

    A district's name keeps its council: "similar services in Mid Suffolk".
    """
    span = doc[m.start : m.end]
    if m.start == 0 or any(t.lower_ in ("council", "councils", "borough", "county") for t in span):
        return False
    council = gazetteer.by_code(m.body.code or "")
    if council is None or council.type != "CTY":
        return False
    words = load("references")
    j = m.start - 1  # back over the place names listed before it
    while j > 0 and (doc[j].lower_ in _LIST_JOINERS or doc[j].ent_type_ == COUNCIL_LABEL):
        j -= 1
    if doc[j].lower_ in set(words["location_preps"]):
        return True  # "councils in Bedfordshire, Lincolnshire and Norfolk"
    # "three counties - Bedfordshire, Lincolnshire and Norfolk"
    return (
        j > 0 and doc[j].text in ("-", "–", ":") and doc[j - 1].lower_ in set(words["place_nouns"])
    )


def _dateline(doc: Doc, m: Mention) -> bool:
    """A news story's dateline, "SUFFOLK: More services ...": a place in capitals
    opening a line, followed by a colon or dash."""
    span = doc[m.start : m.end]
    opens_line = m.start == 0 or "\n" in doc[m.start - 1].text_with_ws
    after = doc[m.end].text if m.end < len(doc) else ""
    return opens_line and span.text.isupper() and after in (":", "-", "–", "—")


def _named_county(doc: Doc, m: Mention) -> bool:
    """A county named "X County" with no "Council" after it ("Woolwich in Gloucester
    County") is a place, as in the United States, not the council called X."""
    nxt = doc[m.end : m.end + 2]
    return (
        len(nxt) >= 1
        and nxt[0].text == "County"
        and (len(nxt) == 1 or nxt[1].lower_ not in ("council", "councils", "hall"))
    )


def _electoral_area(doc: Doc, m: Mention) -> bool:
    """A ward or division named after a place ("Cllr Jane Roe (Lewes ward)", "the Hastings
    North ward"): ``electoral_areas`` after the name, or after one title-case word."""
    areas = set(load("references")["electoral_areas"])
    after = doc[m.end : m.end + 2]
    if len(after) and after[0].lower_ in areas:
        return True
    return len(after) == 2 and after[0].is_title and after[1].lower_ in areas


def _place_modifier(doc: Doc, m: Mention, found: list[Mention]) -> bool:
    """A place name describing other councils ("two Lincolnshire district councils"), not a council.

    Kept when it is coordinated with another council ("Cambridgeshire and
    Northamptonshire county councils"). After an indefinite article it is one
    unnamed council of that place: "a Norfolk district council" (but "a Norfolk
    County Council spokesman" names the council).
    """
    plural = set(load("references")["plural_nouns"])
    rest = doc[m.end : m.end + 2]
    article = m.start > 0 and doc[m.start - 1].lower_ in ("a", "an", "another")
    if article and any(t.text == "council" for t in rest):
        return True
    if not any(t.lower_ in plural for t in rest):
        return False
    if rest[0].lower_ not in plural and rest[0].lower_ not in (
        "district",
        "borough",
        "county",
        "city",
    ):
        return False
    before = doc[max(0, m.start - 2) : m.start]
    return not any(t.lower_ in ("and", ",", "&", "or") for t in before)


def name_mentions(doc: Doc, gazetteer: Gazetteer, published: str | None) -> list[Mention]:
    """Councils named in ``doc`` (ruler entities) and abbreviations the text defines for them."""
    found: list[Mention] = []
    aliases: dict[str, Body] = {}
    for ent in doc.ents:
        if ent.label_ != COUNCIL_LABEL:
            continue
        if found and found[-1].kind == "org" and ent.start < found[-1].end:
            continue  # "Cornwall" in "Devon and Cornwall Police", found already
        other = _non_council_body(doc, ent)
        if other is not None:
            found.append(other)
            continue
        if _inside_longer_name(doc, ent) or _starts_partnership_name(doc, ent):
            continue
        body = _council_from_span(ent, gazetteer, published)
        if body is None:
            continue
        found.append(Mention(ent.start, ent.end, body, "name"))
        nxt = doc[ent.end : ent.end + 3]
        if (
            len(nxt) == 3
            and nxt[0].text == "("
            and nxt[2].text == ")"
            and _ACRONYM.match(nxt[1].text)
        ):
            aliases[nxt[1].text] = body
    found = [
        m
        for m in found
        if not _place_modifier(doc, m, found)
        and not _location(doc, m, gazetteer)
        and not _dateline(doc, m)
        and not _named_county(doc, m)
        and not _electoral_area(doc, m)
    ]
    found = _consistent(doc, found, gazetteer)
    found += _listed_with_councils(doc, found, gazetteer, published)
    found += _elided(doc, found, gazetteer, published)
    aliases.update(_initialisms(doc, found, gazetteer, aliases))
    if aliases:
        taken = {i for m in found for i in range(m.start, m.end)}
        for i, text in enumerate(features(doc).words):
            body = aliases.get(text)
            if body is not None and i not in taken:
                found.append(Mention(i, i + 1, body, "abbreviation"))
    return sorted(found, key=lambda m: m.start)


def _council_by_suffix(
    span: Span, gazetteer: Gazetteer, published: str | None, regions: list[str]
) -> Body | None:
    """A council the ruler missed: "Basildon Council", "Merthyr council", "Harrow".

    A shortened name ("Kingston") that starts several councils' names goes to
    the one in the region of the other councils the document names.
    """
    text = re.sub(r"^the\s+|'s$", "", span.text, flags=re.I).strip()
    stems = [text[: -len(sfx)].strip() for sfx in _suffixes() if text.endswith(" " + sfx)]
    if not stems and gazetteer.lookup(text, on_date=published) is not None:
        stems = [text]
    for stem in stems[:1]:
        council = gazetteer.lookup(stem, on_date=published)
        if council is None:
            options = gazetteer.starting_with(stem)
            local = [c for c in options if c.region in regions]
            council = (local or options or [None])[0]
        if council is not None:
            return Body(council.short_name, council.code)
    return None


@cache
def _suffixes() -> tuple[str, ...]:
    words = load("bodies")["council_suffixes"]
    return tuple(sorted({*words, *(w.lower() for w in words)}, key=len, reverse=True))


@lru_cache(maxsize=4096)  # a council's names, asked for by every document naming it
def initialisms(name: str) -> frozenset[str]:
    """Abbreviations papers make of a council's name, lower-case.

    >>> sorted(initialisms("Cheshire West and Chester Council"))
    ['cwac', 'cwacc', 'cwc', 'cwcc']
    """
    words = re.findall(r"[A-Za-z]+", name)
    out = set()
    for keep_small in (True, False):
        ws = [w for w in words if keep_small or w.lower() not in ("and", "of", "the", "upon", "on")]
        full = "".join(w[0] for w in ws).lower()
        out.add(full)
        if ws and ws[-1].lower() == "council":
            out.add(full[:-1])
    return frozenset(i for i in out if len(i) >= 2)


def _initialisms(
    doc: Doc, found: list[Mention], gazetteer: Gazetteer, known: dict[str, Body]
) -> dict[str, Body]:
    """Upper-case tokens ("ELDC", "CWaC") that abbreviate exactly one council the document names."""
    councils = {m.body for m in found if m.body.is_council}
    forms: dict[str, set[Body]] = {}
    for body in councils:
        council = gazetteer.by_code(body.code or "")
        if council is None:
            continue
        for name in {council.official_name, *council.names}:
            for form in initialisms(name):
                forms.setdefault(form, set()).add(body)
    out: dict[str, Body] = {}
    if not forms:
        return out
    for text in features(doc).words:
        if not (2 <= len(text) <= 6) or not text[0].isupper() or text in known:
            continue
        bodies = forms.get(text.lower())  # most words abbreviate nothing: ask that first
        if bodies is not None and len(bodies) == 1 and sum(c.isupper() for c in text) >= 2:
            out[text] = next(iter(bodies))
    return out


def org_mentions(
    doc: Doc, taken: set[int], gazetteer: Gazetteer, published: str | None, regions: list[str]
) -> list[Mention]:
    """Councils the ruler missed ("Kingston Council") and other public bodies (ORG entities)."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "ORG" or any(i in taken for i in range(ent.start, ent.end)):
            continue
        council = _council_by_suffix(ent, gazetteer, published, regions)
        if council is not None:
            out.append(Mention(ent.start, ent.end, council, "name"))
            continue
        body = _org_body(ent)
        if body is not None:
            out.append(Mention(ent.start, ent.end, body, "org"))
    found = taken | {i for m in out for i in range(m.start, m.end)}
    return sorted(out + _titled_bodies(doc, found), key=lambda m: m.start)


def name_word(tok: Token) -> bool:
    """A word of a proper name: a proper noun in title case ("Sussex", not "Yesterday")."""
    return tok.is_title and tok.pos_ == "PROPN"


def _titled_bodies(doc: Doc, taken: set[int]) -> list[Mention]:
    """Public bodies named in title case that the model tagged as no organisation: the
    title-case words before a ``body_title_endings`` phrase ("Sussex Police", "Lake
    District National Park Authority"), or after a ``body_title_starts`` word ("NHS
    Kernow"), none of them a council's or another mention's."""
    data = load("bodies")
    endings = sorted((tuple(e) for e in data["body_title_endings"]), key=len, reverse=True)
    starts = set(data["body_title_starts"])
    firsts = {e[0] for e in endings} | starts
    lower = features(doc).lower
    out: list[Mention] = []
    i = 0
    while i < len(doc):
        if lower[i] not in firsts:
            i += 1
            continue
        span = None
        if lower[i] in starts and doc[i].is_upper:
            end = i + 1
            while end < len(doc) and name_word(doc[end]) and end not in taken:
                end += 1
            span = (i, end) if end > i + 1 else None
        else:
            ending = next((e for e in endings if tuple(lower[i : i + len(e)]) == e), None)
            if ending and all(
                t.is_title or t.is_upper or not t.is_alpha or t.lower_ == "and"
                for t in doc[i : i + len(ending)]
            ):
                start = i
                while start > 0 and name_word(doc[start - 1]) and start - 1 not in taken:
                    start -= 1
                span = (start, i + len(ending)) if start < i else None
        if span and not any(j in taken for j in range(*span)):
            start, end = span
            out.append(Mention(start, end, Body(doc[start:end].text), "org"))
            i = end
            continue
        i += 1
    return out


def _generic_ent(tok: Token) -> bool:
    """Is the entity around ``tok`` only generic words ("the Council", "the County Council")?"""
    ent = next((e for e in features(tok.doc).ents if e.start <= tok.i < e.end), None)
    return ent is None or {t.lower_ for t in ent} <= generic_body_words()


def _number(word: str) -> int | None:
    """2 for "two" or "2", None for other words."""
    if word.isdigit():
        return int(word) if 1 < int(word) < 100 else None
    return _NUMBERS.get(word)


def _reference_spans(doc: Doc) -> Iterator[tuple[int, int, bool, int | None]]:
    """Token spans like "the council", "both authorities", "the three boroughs".

    Yields ``(start, end, plural, number)``.
    """
    refs = load("references")
    nouns = set(refs["council_nouns"])
    plural_nouns = set(refs["plural_nouns"])
    plural_dets = set(refs["plural_determiners"])
    singular_dets = set(refs["singular_determiners"])
    exclude = set(refs["exclude_modifiers"])
    not_before = set(refs["not_before"])
    f = features(doc)
    for i, lower in enumerate(f.lower):
        if lower not in nouns or f.ent_type[i] in (COUNCIL_LABEL, "PERSON"):
            continue
        tok = f.tokens[i]
        if tok.ent_type_ == "ORG" and not _generic_ent(tok):
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in not_before:
            continue
        left = [t for t in tok.lefts]
        left_words = [t.lower_ for t in left]
        number = next((_number(w) for w in left_words if _number(w)), None)
        if number is None and any(w in exclude for w in left_words):
            continue
        plural = tok.lower_ in plural_nouns
        if plural:
            if number is None and not any(w in plural_dets for w in left_words):
                continue
        elif not any(w in singular_dets for w in left_words):
            continue
        start = min([t.i for t in left] + [tok.i])
        yield start, tok.i + 1, plural, number


def reference_mentions(
    doc: Doc,
    named: list[Mention],
    publisher: Body | None = None,
    official: Callable[[Body], str] | None = None,
) -> list[Mention]:
    """Resolve "the council" to the council last made a subject (else the last named) and
    "both councils" to the last group named. Before any council is named, "the Council"
    written as a name is the ``publisher``'s own (the council whose website the document
    is on, :meth:`~lgkg.extract.gazetteer.Gazetteer.publisher`): its self-reference.

    A subject made of a council's deciders ("Councillors voted ...") is not resolved:
    read as the council last made a subject, it scored a little better on dev and
    worse on the validation set (``bench/ablation.py``).
    """
    by_sent: dict[int, list[Mention]] = {}
    for m in named:
        by_sent.setdefault(doc[m.start].sent.start, []).append(m)
    councils_in_order = [m for m in named if m.body.is_council]
    out: list[Mention] = []
    for start, end, plural, number in _reference_spans(doc):
        if any(m.start <= start < m.end for m in named):
            continue
        before = [m for m in councils_in_order if m.end <= start]
        if plural:
            listed = _list_after(doc, start, named)
            if number and len(listed) != number:
                listed = _group_after(doc, start, named, number)
            if len(listed) >= 2 and (number is None or number == len(listed) or not before):
                out.extend(Mention(start, end, body, "reference") for body in listed)
                continue
        qualified = None if plural else _qualified(doc, start, end, before, publisher, official)
        if qualified is not None:  # "the Royal Borough": the one council so named
            out.append(Mention(start, end, qualified, "reference"))
            continue
        if not before:
            if publisher is not None and not plural and doc[end - 1].text[:1].isupper():
                out.append(Mention(start, end, publisher, "reference"))
            continue
        if not plural:
            out.append(Mention(start, end, _salient(doc, before, start).body, "reference"))
            continue
        group = _last_group(doc, before, number)
        out.extend(Mention(start, end, body, "reference") for body in group)
    return out


@cache
def _qualifiers() -> frozenset[str]:
    return frozenset(load("references")["qualifiers"])


def _qualified(
    doc: Doc,
    start: int,
    end: int,
    before: list[Mention],
    publisher: Body | None,
    official: Callable[[Body], str] | None,
) -> Body | None:
    """The council a reference qualified by its kind means ("the *Royal Borough*", "the
    *County* Council"): of the website's council, the council "the council" would mean
    (:func:`_salient`) and the others named before, latest first, the first whose official
    name (``official``) has those words; None for a reference with none."""
    words = {t.lower_ for t in doc[start:end]} & _qualifiers()
    if not words or official is None:
        return None
    candidates = [publisher] if publisher is not None else []
    if before:
        candidates += [_salient(doc, before, start).body, *(m.body for m in reversed(before))]
    return next((b for b in candidates if words <= set(official(b).lower().split())), None)


def _salient(doc: Doc, before: list[Mention], start: int) -> Mention:
    """What "the council" most likely means: the last council named alone earlier in its
    own sentence ("If Southwark's cabinet backs it, and Brent and Lewisham agree, the
    council's staff would move": Southwark, not a council named with another), else the
    last council that was the subject of a sentence before this one, else the last
    council named."""
    here = doc[start].sent.start
    for m in reversed(before):
        if doc[m.start].sent.start == here and not coordinated(doc[m.start : m.end].root):
            return m
    for m in reversed(before):
        root = doc[m.start : m.end].root
        if doc[m.start].sent.start < here and root.dep_ in ("nsubj", "nsubjpass"):
            return m
    return before[-1]


def coordinated(tok: Token) -> bool:
    """Is the word one of a coordination ("Brent and Lewisham")?"""
    return tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children)


def _sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, made once per document (:func:`~lgkg.extract.tokens.features`)."""
    return features(doc).sents


def _shape(sent: Span) -> tuple[bool, int]:
    """Whether ``sent`` has a word, and how many of its tokens are no punctuation (worked
    out once per sentence: every reference before it asks)."""
    f = features(sent.doc)
    key = ("mentions.shape", sent.start)
    if key not in f.memo:
        tokens = f.tokens[sent.start : sent.end]  # (the document's, not made anew)
        f.memo[key] = (any(t.is_alpha for t in tokens), sum(not t.is_punct for t in tokens))
    return f.memo[key]


def _list_after(doc: Doc, start: int, named: list[Mention], reach: int = 6) -> list[Body]:
    """Councils listed one per line soon after token ``start`` ("The partners are:" then a list)."""
    sents = _sentences(doc)
    here = next(i for i, s in enumerate(sents) if s.start <= start < s.end)
    listed: list[Body] = []
    for sent in sents[here + 1 : here + 1 + reach + 20]:
        has_word, length = _shape(sent)
        if not has_word:
            continue  # a bullet or a blank line between list items
        in_sent = [m for m in named if sent.start <= m.start < sent.end and m.body.is_council]
        short = length <= 14
        if in_sent and short:
            listed.extend(m.body for m in in_sent if m.body not in listed)
            continue
        if listed:
            break
        reach -= 1
        if reach <= 0:
            break
    return listed


def _group_after(doc: Doc, start: int, named: list[Mention], number: int) -> list[Body]:
    """The next sentence (of two) naming exactly ``number`` councils.

    As in "Three councils are to ... . A, B and C will ...".
    """
    sents = _sentences(doc)
    here = next(i for i, s in enumerate(sents) if s.start <= start < s.end)
    for sent in sents[here + 1 : here + 3]:
        bodies = list(
            dict.fromkeys(
                m.body for m in named if sent.start <= m.start < sent.end and m.body.is_council
            )
        )
        if len(bodies) == number:
            return bodies
    return []


def _last_group(doc: Doc, before: list[Mention], number: int | None) -> list[Body]:
    """The councils of the last sentence that named two or more (or ``number``) of them."""
    sents: dict[int, list[Body]] = {}
    for m in before:
        bodies = sents.setdefault(doc[m.start].sent.start, [])
        if m.body not in bodies:
            bodies.append(m.body)
    groups = [b for b in sents.values() if len(b) >= 2]
    if number:
        exact = [g for g in groups if len(g) == number]
        if exact:
            return exact[-1]
        distinct: list[Body] = []
        for m in before:
            if m.body not in distinct:
                distinct.append(m.body)
        if len(distinct) >= number:
            return distinct[:number]
    return groups[-1] if groups else []


def _short_council_names(
    doc: Doc, taken: set[int], gazetteer: Gazetteer, published: str | None, regions: list[str]
) -> list[Mention]:
    """Shortened names before "council" that no entity covers: "Merthyr council"."""
    out = []
    f = features(doc)
    for i, text in enumerate(f.words):
        if text != "council" or i in taken or i == 0:
            continue
        tok = f.tokens[i]
        start = tok.i
        while start > 0 and doc[start - 1].is_title and doc[start - 1].i not in taken:
            start -= 1
        if start == tok.i:
            continue
        body = _council_by_suffix(doc[start : tok.i + 1], gazetteer, published, regions)
        if body is not None:
            out.append(Mention(start, tok.i + 1, body, "name"))
    return out


def can_be_member(body: Body) -> bool:
    """Councils, and other bodies with a police, fire, NHS or council word in their name."""
    return body.is_council or bool(
        set(body.name.lower().split()) & set(load("bodies")["member_body_words"])
    )


def all_mentions(
    doc: Doc, gazetteer: Gazetteer, published: str | None, publisher: Body | None = None
) -> list[Mention]:
    """Every council, body and resolved reference in ``doc``, in text order (``publisher``:
    the council whose own document it is, if known, :func:`reference_mentions`)."""
    named = name_mentions(doc, gazetteer, published)
    taken = {i for m in named for i in range(m.start, m.end)}
    regions = [c.region for m in named if (c := gazetteer.by_code(m.body.code or ""))]
    orgs = org_mentions(doc, taken, gazetteer, published, regions)
    taken |= {i for m in orgs for i in range(m.start, m.end)}
    orgs += _short_council_names(doc, taken, gazetteer, published, regions)

    def official(body: Body) -> str:
        council = gazetteer.by_code(body.code or "")
        return council.official_name if council is not None else body.name

    refs = reference_mentions(
        doc, named + [m for m in orgs if m.body.is_council], publisher, official
    )
    return sorted(named + orgs + refs, key=lambda m: (m.start, m.end))
