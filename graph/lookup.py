"""Names to IRIs: what binding a named query's parameters asks of a store.

A council is named by its GSS code (current or former, any case) or by any
name the gazetteer knows; a partnership by its label, or by an alias a stored
document gave it. Every store implements :class:`Lookup`
(:class:`~lgkg.graph.store.Store`); :class:`NameLookup` answers from the
gazetteer and the naming rules alone, without a store (partnerships by label
only), to check parameters before a store is opened.

>>> names = NameLookup()
>>> names.lookup_council("e09000028")
rdflib.term.URIRef('https://w3id.org/lgkg/id/council/E09000028')
>>> names.lookup_council("London Borough of Southwark") == names.lookup_council("Southwark")
True
>>> names.lookup_council("Southwork") is None
True
>>> names.lookup_partnership("Brent-Lewisham shared IT service")
rdflib.term.URIRef('https://w3id.org/lgkg/id/partnership/brent-lewisham-shared-it-service')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from rdflib import URIRef

from lgkg.extract.vocabulary import GSS_CODE as GSS_CODE
from lgkg.graph.vocab import council_iri, partnership_iri

if TYPE_CHECKING:
    from lgkg.extract.gazetteer import Gazetteer


@runtime_checkable
class Lookup(Protocol):
    """What binding a named query's parameters asks of a store: the IRIs names stand for."""

    def lookup_council(self, text: str) -> URIRef | None:
        """The IRI of the council a GSS code (current or former, any case) or a name names;
        None if none does."""

    def council_names(self) -> list[str]:
        """Every council name :meth:`lookup_council` knows, sorted (to suggest one)."""

    def lookup_partnership(self, name: str) -> URIRef | None:
        """The IRI of the partnership ``name`` names (None if it has no letters or digits)."""


class NameLookup:
    """A :class:`Lookup` from the gazetteer (the shipped one unless given) and the naming rules."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            from lgkg.extract.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    def lookup_council(self, text: str) -> URIRef | None:
        if GSS_CODE.fullmatch(text.upper()):
            council = self.gazetteer.by_code(text.upper())
        else:
            council = self.gazetteer.lookup(text)
        return None if council is None else URIRef(council_iri(council.code))

    def council_names(self) -> list[str]:
        return sorted(
            {
                n
                for c in self.gazetteer.councils()
                for n in (c.short_name, c.official_name, *c.names)
                if n
            }
        )

    def lookup_partnership(self, name: str) -> URIRef | None:
        try:
            return URIRef(partnership_iri(name))
        except ValueError:  # no letters or digits to name it by
            return None


def as_lookup(source: Any = None) -> Lookup:
    """``source`` as a :class:`Lookup`: itself if it is one (a store, say), a gazetteer
    wrapped in a :class:`NameLookup`, or, for None, a :class:`NameLookup` of the shipped
    gazetteer."""
    if isinstance(source, Lookup):
        return source
    return NameLookup(source)
