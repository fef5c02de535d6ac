"""The one vocabulary: actions, statuses, service-area codes and GSS codes.

Every module spells these through this one (``tests/test_vocabulary.py``
fails when a second list appears); :mod:`lgkg.graph.vocab` gives them their
IRIs. Actions and statuses are plain strings, as records, gold files and
query results hold them.

>>> JOINED, STATUSES
('joined', ('proposed', 'agreed', 'done'))
>>> status_rank(PROPOSED) < status_rank(AGREED) < status_rank(DONE)
True
>>> bool(GSS_CODE.fullmatch("E09000028")), bool(GSS_CODE.fullmatch("Q12345678"))
(True, False)
>>> "revenues-benefits" in SERVICE_AREAS
True
"""

from __future__ import annotations

import re

from lgkg.extract.lexicon import load

#: What a body does to a partnership (docs/contract.md, "Actions"): founds it, enters
#: it, withdraws (or gives notice), it is dissolved, it serves a client under contract.
ACTIONS = FORMED, JOINED, LEFT, ENDED, PROVIDES = ("formed", "joined", "left", "ended", "provides")

#: How far an event had got when published (docs/contract.md, "Statuses"), in rank
#: order: planned but not approved, approved but not in effect, in effect or completed.
STATUSES = PROPOSED, AGREED, DONE = ("proposed", "agreed", "done")

#: The actions that make a body a member of the partnership.
MEMBER_ACTIONS = (FORMED, JOINED)

#: The service-area codes (docs/contract.md, "Service areas"), in the order of their data
#: file, ``extract/patterns/service_areas.json``, which also holds the words for each.
SERVICE_AREAS: tuple[str, ...] = tuple(load("service_areas")["areas"])

#: A council's GSS code: the nation's letter (E England, N Northern Ireland, S Scotland,
#: W Wales) and eight digits. K codes name UK- or GB-wide areas, never a council.
GSS_CODE = re.compile(r"[ENSW][0-9]{8}")


def status_rank(status: str) -> int:
    """The rank of ``status``: proposed 0 < agreed 1 < done 2; -1 for anything else."""
    return STATUSES.index(status) if status in STATUSES else -1
