"""Roles on a membership: the member that hosts or leads a partnership.

A sentence saying "the service is hosted by Merton", "Merton is the lead
authority" or "Merton employs the staff" makes that body the partnership's
*host* (``extract/patterns/roles.json``). The body is the council or public
body mention nearest the phrase on the side the phrase names, within a few
words; the partnership is the one the body is a member of in the document's
events, else the document's main one. Clients need no rule: the body a
``provides`` event serves is its client (:mod:`lgkg.graph.emit`).

>>> text = "The shared legal service is hosted by Merton Council."
>>> cue_spans(text.lower())  # 'hosted by'
[(28, 37, 'after')]
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc

from lgkg.extract.lexicon import load
from lgkg.extract.mentions import Mention
from lgkg.extract.records import Event, Evidence, Role
from lgkg.extract.vocabulary import MEMBER_ACTIONS

HOST = "host"
_CONFIDENCE = 0.7


@cache
def _cues() -> list[tuple[re.Pattern[str], str]]:
    data = load("roles")
    cues = [(p, "after") for p in data["host_after"]] + [(p, "before") for p in data["host_before"]]
    cues.sort(key=lambda c: -len(c[0]))  # the longest phrase first
    return [
        (re.compile(r"\b" + re.escape(p).replace(r"\ ", r"\s+") + r"(?!\w)"), side)
        for p, side in cues
    ]


@cache
def _any_cue() -> re.Pattern[str]:
    """One pattern for every host phrase: most sentences have none, found by one search."""
    return re.compile("|".join(pattern.pattern for pattern, _ in _cues()))


def cue_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, side)`` of each host phrase in lower-case ``text``, not overlapping."""
    found: list[tuple[int, int, str]] = []
    if not _any_cue().search(text):
        return found
    for pattern, side in _cues():
        for m in pattern.finditer(text):
            if all(m.end() <= s or m.start() >= e for s, e, _ in found):
                found.append((m.start(), m.end(), side))
    return sorted(found)


def find_roles(
    doc: Doc,
    by_sent: dict[int, list[Mention]],
    evidences: dict[int, Evidence],
    events: list[Event],
    label: str,
) -> list[Role]:
    """The host roles the document states (see the module docstring), one per body."""
    gap = load("roles")["max_gap"]
    roles: dict[str, Role] = {}
    for sent in doc.sents:
        mentions = by_sent.get(sent.start, [])
        if not mentions:
            continue
        text = sent.text.lower()
        for start, end, side in cue_spans(text):
            best: tuple[int, Mention] | None = None
            for m in mentions:
                m_start = doc[m.start].idx - sent.start_char
                m_end = doc[m.end - 1].idx + len(doc[m.end - 1]) - sent.start_char
                distance = m_start - end if side == "after" else start - m_end
                if 0 <= distance <= gap and (best is None or distance < best[0]):
                    best = (distance, m)
            if best is None:
                continue
            body = best[1].body
            own = [e.partnership for e in events if e.body == body and e.action in MEMBER_ACTIONS]
            partnership = own[0] if own else label
            if partnership and body.name not in roles:
                roles[body.name] = Role(
                    body, HOST, partnership, evidences[sent.start], _CONFIDENCE, "role.host"
                )
    return list(roles.values())
