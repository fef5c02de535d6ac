"""Names of partnerships: the ones a document names, or one made from its members.

>>> partnership_label([Body("Brent", "E09000005"), Body("Lewisham", "E09000023")], [], "ict")
'Brent-Lewisham shared ict service'
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from lgkg.extract.lexicon import load
from lgkg.extract.mentions import Mention
from lgkg.extract.records import Body, Event

_HEAD_WORDS_KEY = "partnership_heads"


def _heads() -> frozenset[str]:
    return frozenset(load("bodies")[_HEAD_WORDS_KEY])


def is_partnership_reference(trigger) -> bool:
    """Does the trigger's phrase speak of a partnership?

    As in "the closure of LGSS" or "the partnership was dissolved".
    """
    heads = _heads()
    near = list(trigger.subtree) + [
        c for t in (trigger, trigger.head) for c in t.children if c.dep_ in ("nsubj", "nsubjpass")
    ]
    near += [t for c in near if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
    return any(
        t.lower_ in heads or (t.ent_type_ == "ORG" and t.is_upper and len(t) >= 3) for t in near
    )


def name_partnerships(doc: Doc, mentions: list[Mention]) -> list[str]:
    """Names the document gives partnerships, most frequent first.

    A name is an ORG entity that is not a council mention and either ends in a
    partnership word ("South London Legal Partnership", "Shared Technology
    Service") or is the object of a trigger; an acronym in brackets after it
    ("(STS)") is kept with it.
    """
    taken = {i for m in mentions for i in range(m.start, m.end)}
    counts: dict[str, int] = {}
    heads = _heads()
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "PRODUCT", "WORK_OF_ART", "FAC") or any(
            i in taken for i in range(ent.start, ent.end)
        ):
            continue
        words = [t.lower_ for t in ent]
        if not (set(words) & heads):
            continue
        name = re.sub(r"^the\s+", "", ent.text, flags=re.I).strip()
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def partnership_label(members: list[Body], events: list[Event], area: str) -> str:
    """A label for an unnamed partnership: its members and its service area."""
    names = [b.name for b in members] or list(dict.fromkeys(e.body.name for e in events))
    if not names:
        return f"shared {area} service"
    return f"{'-'.join(names[:4])} shared {area} service"
