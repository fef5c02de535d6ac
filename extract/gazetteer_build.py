"""Build the council gazetteer tables from the third-party sources in ``shared/data``.

Reads the files described in ``shared/data/SOURCES.md`` and writes three derived tables:

- ``councils.csv``: one row per council (current and abolished), keyed by its current GSS
  code, or its last one if abolished;
- ``council_names.csv``: every known name form of every council (``name, gss_code, kind,
  source``), including generated forms ("Southwark Council", "Kent CC");
- ``council_sites.csv``: the web host of each council's website (``host, gss_code,
  source``), to know a council's own documents by their address.

Everything is joined on GSS codes. The output is sorted and uses only the standard
library, so the same sources always give byte-identical tables::

    python -m lgkg.extract.gazetteer_build [SHARED_DATA_DIR] [--out DIR]

How the sources are combined (details in ``extract/data/README.md``):

1. mySociety's register (file 1) gives the councils, their types, successors and former
   codes; rows without a GSS code (the 26 Northern Irish districts abolished in 2015) are
   skipped, since a council is identified by its GSS code.
2. drkane's list (file 8) moves a council to a newer code when it marks the mySociety
   code as former and its successor has the same name (Barnsley E08000016 -> E08000038).
3. ONS CHD codes (file 10) that no council holds are either a recode of a council (a
   code ended the day before a code with the same name began: Wiltshire County Council
   E10000033 -> Wiltshire Council E06000054) or a council of their own, abolished
   (Bedfordshire County Council E10000001, the pre-2009 districts); live ONS codes that
   no council holds become councils too (North East CA E47000014).
4. Dates: the ONS end date (the last day) wins over mySociety's; the start date is the
   ONS start of the council's first code when it is later than the introduction of GSS
   codes (2009-01-01), else mySociety's start date when it is earlier and the first day
   of a month (the old register's placeholder dates are dropped).
5. Wikidata QIDs come from digital-land (file 5, England only); extra labels from the
   Wikidata export (file 7), limited to council classes.
6. Websites: digital-land's ``website`` (file 5) and the Wikidata export's (file 7, council
   classes), each joined by its GSS code; the host is kept without a leading "www.".

>>> normalise_space("  North Somerset  Council ")
'North Somerset Council'
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "data"

GSS_START = "2009-01-01"  # ONS CHD dates start here: the codes were introduced then
ONS_FAMILIES = ("E06", "E07", "E08", "E09", "E10", "E47", "W06", "S12", "N09")
ONS_FAMILY_TYPE = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LBO", "E10": "CTY"}
ONS_FAMILY_TYPE |= {"E47": "COMB", "W06": "WPA", "S12": "SCO", "N09": "NID"}
NATION_OF_PREFIX = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}
# Wikidata classes (file 7, ``legislature``) whose items are councils or their areas.
WIKIDATA_COUNCIL_CLASSES = frozenset(
    {
        "Q21561306",  # English non-metropolitan district council
        "Q1136601",  # unitary authority (area; joined by GSS code only)
        "Q4321471",  # county council
        "Q21561328",  # English unitary authority council
        "Q16690653",  # borough council
        "Q21561350",  # London borough council
        "Q19414242",  # English metropolitan district council
        "Q5150900",  # combined authority
        "Q80647952",  # strategic regional authority
    }
)
WIKIDATA_AREA_CLASS = "Q1136601"

KINDS = ("official", "short", "variant", "abbreviation", "generated")
KIND_RANK = {k: i for i, k in enumerate(KINDS)}
COUNCIL_COLUMNS = (
    "gss_code",
    "official_name",
    "short_name",
    "type",
    "start_date",
    "end_date",
    "replaced_by",
    "former_gss_codes",
    "wikidata",
    "nation",
    "region",
    "county_gss",
)
NAME_COLUMNS = ("name", "gss_code", "kind", "source")
SITE_COLUMNS = ("host", "gss_code", "source")

MOJIBAKE = re.compile("[\ufffd]|ï¿|ï¾|Ã.")


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace and strip the ends."""
    return " ".join(text.split())


def match_key(name: str) -> str:
    """A loose key to compare names across sources (case, punctuation, '&')."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"['’‘`]", "", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def site_host(url: str) -> str:
    """The host of a website's address, lower case, without a leading "www.".

    >>> site_host("https://www.Adur-Worthing.gov.uk/"), site_host("not a web address")
    ('adur-worthing.gov.uk', '')
    """
    host = urlsplit(url.strip()).hostname or ""
    return host.removeprefix("www.") if "." in host else ""


def next_day(date: str) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=1)).isoformat()


# --------------------------------------------------------------------------- sources


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file (UTF-8, with or without BOM, LF or CRLF) into dicts."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class OnsArea:
    """One GSS code of the ONS Code History Database, newest entry first."""

    code: str
    entries: list[dict]

    @property
    def name(self) -> str:
        return self.entries[0]["nm"]

    @property
    def live(self) -> bool:
        return self.entries[0]["status"] == "live"

    @property
    def start(self) -> str:
        return min(e["date"]["s"] for e in self.entries)

    @property
    def end(self) -> str | None:
        return None if self.live else self.entries[0]["date"].get("e")

    @property
    def parent(self) -> str | None:
        return self.entries[0].get("parent")

    def names(self) -> list[str]:
        """The ONS names and alternative names of every entry, newest first."""
        out: list[str] = []
        for entry in self.entries:
            out.append(entry["nm"])
            out.extend(entry.get("nm_alt", []))
        return out


def load_ons(data_dir: Path) -> dict[str, OnsArea]:
    areas: dict[str, OnsArea] = {}
    for family in ONS_FAMILIES:
        with (data_dir / f"ons_chd_2024jul_{family}.json").open(encoding="utf-8") as handle:
            for code, entries in json.load(handle)["areas"].items():
                areas[code] = OnsArea(code, entries)
    return areas


# --------------------------------------------------------------------------- model


@dataclass
class CouncilRecord:
    """A council while the tables are being built."""

    code: str
    official_name: str
    short_name: str
    type: str
    start_date: str = ""
    end_date: str = ""
    replaced_by: list[str] = field(default_factory=list)
    former_codes: set[str] = field(default_factory=set)
    wikidata: str = ""
    nation: str = ""
    region: str = ""
    county_code: str = ""
    ms_code: str = ""  # mySociety's letter code, when the council is in file 1
    ms_start: str = ""
    ms_end: str = ""
    official_source: str = "mysociety"
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (kind, source)

    @property
    def codes(self) -> list[str]:
        return [self.code, *sorted(self.former_codes)]

    def add_name(self, name: str, kind: str, source: str) -> None:
        name = normalise_space(name)
        if not name or MOJIBAKE.search(name):
            return
        old = self.names.get(name)
        if old is None or KIND_RANK[kind] < KIND_RANK[old[0]]:
            self.names[name] = (kind, source)


class Builder:
    """Join the sources into :class:`CouncilRecord` objects."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.ms_rows = read_csv(data_dir / "mysociety_uk_local_authorities.csv")
        self.ms_names = read_csv(data_dir / "mysociety_lookup_name_to_registry.csv")
        self.ms_gss = read_csv(data_dir / "mysociety_lookup_gss_to_registry.csv")
        self.lad_cty = read_csv(data_dir / "ons_lad21_to_cty21_england_april2021.csv")
        self.dl_rows = read_csv(data_dir / "digitalland_local_authority.csv")
        self.wd_rows = read_csv(data_dir / "wikidata_uk_local_government_bodies_2021.csv")
        self.dk_rows = read_csv(data_dir / "drkane_la_all_codes.csv")
        self.regions = {
            r["RGNCD"]: r["RGNNM"] for r in read_csv(data_dir / "drkane_rgn_all_codes.csv")
        }
        self.ons = load_ons(data_dir)
        self.councils: dict[str, CouncilRecord] = {}
        self.canon: dict[str, str] = {}  # any known code -> the council's code
        self.merged: dict[str, list[str]] = defaultdict(list)  # council -> ONS codes folded in

    # ------------------------------------------------------------------ steps

    def build(self) -> list[CouncilRecord]:
        self._load_mysociety()
        self._apply_drkane_recodes()
        self._fold_ons_codes()
        self._set_dates()
        self._set_relations()
        self._set_regions()
        self._set_wikidata()
        self._collect_names()
        return [self.councils[c] for c in sorted(self.councils)]

    def site_rows(self) -> list[dict[str, str]]:
        """One row per (host, council, source) of the councils' websites (after :meth:`build`)."""
        rows = set()
        for source, table in (("digital-land", self.dl_rows), ("wikidata", self.wd_rows)):
            for row in table:
                if source == "wikidata" and row["legislature"] not in WIKIDATA_COUNCIL_CLASSES:
                    continue
                code = self._resolve(row["statistical-geography"].strip())
                host = site_host(row["website"])
                if code and host:
                    rows.add((host, code, source))
        return [dict(zip(SITE_COLUMNS, row, strict=True)) for row in sorted(rows)]

    def _add_council(self, record: CouncilRecord) -> None:
        self.councils[record.code] = record
        self.canon[record.code] = record.code

    def _resolve(self, code: str) -> str | None:
        seen = set()
        while code in self.canon and self.canon[code] != code and code not in seen:
            seen.add(code)
            code = self.canon[code]
        return code if code in self.councils else None

    def _load_mysociety(self) -> None:
        for row in self.ms_rows:
            gss = row["gss-code"].strip()
            if not gss:
                continue  # pre-2015 Northern Irish districts: no GSS code
            record = CouncilRecord(
                code=gss,
                official_name=normalise_space(row["official-name"]),
                short_name=normalise_space(row["nice-name"]),
                type=row["local-authority-type"],
                nation=row["nation"],
                region=row["region"],
                ms_code=row["local-authority-code"],
                ms_start=row["start-date"],
                ms_end=row["end-date"],
            )
            record.former_codes.update(c for c in row["former-gss-codes"].split(",") if c)
            self._add_council(record)
        by_ms = {r.ms_code: r for r in self.councils.values()}
        for row in self.ms_gss:
            record = by_ms.get(row["local-authority-code"])
            if record and row["gss-code"] != record.code:
                record.former_codes.add(row["gss-code"])
        for record in self.councils.values():
            for former in record.former_codes:
                self.canon[former] = record.code

    def _apply_drkane_recodes(self) -> None:
        """Follow drkane's former -> active codes (recodes of the same council)."""
        for row in self.dk_rows:
            old, new = row["LADCD"], row["LADCD_ACTIVE"]
            if row["Current"] != "FALSE" or old == new:
                continue
            if match_key(row["LADNM"]) != match_key(row["LADNM_ACTIVE"]):
                continue  # an abolished council replaced by another one
            if new in self.canon:
                if old not in self.canon:
                    self.canon[old] = self.canon[new]
                    self.councils[self.canon[new]].former_codes.add(old)
                continue
            record = self.councils.get(old)
            if record is None:
                continue
            del self.councils[old]
            record.former_codes.add(old)
            record.code = new
            self._add_council(record)
            for former in record.former_codes:
                self.canon[former] = new

    def _fold_ons_codes(self) -> None:
        """Attach ONS codes no council holds: recodes, abolished councils, new councils."""
        unknown = sorted(c for c in self.ons if c not in self.canon)
        successors: dict[str, list[str]] = defaultdict(list)
        for code in unknown:
            area = self.ons[code]
            if area.live:
                continue
            keys = {match_key(n) for n in area.names()}
            for other, candidate in self.ons.items():
                if other == code or candidate.start != next_day(area.end or "0001-01-01"):
                    continue
                if keys & {match_key(n) for n in candidate.names()}:
                    successors[other].append(code)
        recode_of: dict[str, str] = {}
        for successor, predecessors in successors.items():
            family = successor[:3]
            predecessors.sort(key=lambda c: (c[:3] != family, c[:3] != "E10", c))
            recode_of[predecessors[0]] = successor
        pending = set(unknown)
        while pending:  # chains (E10000022 -> E06000048 -> E06000057) need repeats
            progress = False
            for code in sorted(pending):
                target = recode_of.get(code)
                if target is None:
                    self._add_ons_council(code)
                elif target in self.canon:
                    self.canon[code] = self.canon[target]
                    council = self._resolve(code)
                    assert council is not None
                    self.councils[council].former_codes.add(code)
                    self.merged[council].append(code)
                else:
                    continue
                pending.discard(code)
                progress = True
            if not progress:
                raise RuntimeError(f"unresolvable ONS codes: {sorted(pending)}")

    def _add_ons_council(self, code: str) -> None:
        area = self.ons[code]
        ctype = ONS_FAMILY_TYPE[code[:3]]
        name = normalise_space(area.name)
        official, source = self._dl_name(code), "digital-land"
        if not official:
            official, source = self._wikidata_label_for(name, ctype), "wikidata"
        if not official:
            official = f"{name} County Council" if ctype == "CTY" else name
            source = "ons-chd"
        record = CouncilRecord(code, official, name, ctype, nation=NATION_OF_PREFIX[code[0]])
        record.official_source = source
        self._add_council(record)

    def _dl_name(self, code: str) -> str:
        for row in self.dl_rows:
            if row["statistical-geography"] == code:
                return normalise_space(row["name"])
        return ""

    def _wikidata_label_for(self, place: str, ctype: str) -> str:
        """The unique Wikidata council label '<place> (District|Borough|City) Council'."""
        if ctype not in ("NMD", "CTY"):
            return ""
        statuses = ("County",) if ctype == "CTY" else ("District", "Borough", "City")
        wanted = {f"{place} {s} Council" for s in statuses}
        labels = {
            normalise_space(r["name"])
            for r in self.wd_rows
            if r["legislature"] in WIKIDATA_COUNCIL_CLASSES and normalise_space(r["name"]) in wanted
        }
        return labels.pop() if len(labels) == 1 else ""

    def _set_dates(self) -> None:
        for record in self.councils.values():
            areas = [self.ons[c] for c in record.codes if c in self.ons]
            first = min((a.start for a in areas), default="")
            if first > GSS_START:
                record.start_date = first
            elif (
                record.ms_start
                and record.ms_start < GSS_START
                and record.ms_start.endswith("-01")
                and first <= GSS_START
            ):
                record.start_date = record.ms_start
            current = self.ons.get(record.code)
            if current is not None and not current.live:
                record.end_date = current.end or ""
            elif record.ms_end:
                record.end_date = record.ms_end

    def _set_relations(self) -> None:
        by_ms = {r.ms_code: r.code for r in self.councils.values() if r.ms_code}
        for row in self.ms_rows:
            record = self.councils.get(self._resolve(row["gss-code"]) or "")
            if record is None or not row["replaced-by"]:
                continue
            for ms_code in row["replaced-by"].split(","):
                if ms_code.strip() in by_ms:
                    record.replaced_by.append(by_ms[ms_code.strip()])
        self._set_ons_successors()
        county_of: dict[str, str] = {}
        for row in self.ms_rows:  # weakest source first: later ones overwrite
            if row["gss-code"] and row["county-la"] in by_ms:
                county_of[row["gss-code"]] = by_ms[row["county-la"]]
        for code, area in self.ons.items():
            if code.startswith("E07") and area.parent and area.parent.startswith("E10"):
                county_of[code] = area.parent
        for row in self.lad_cty:
            county_of[row["LAD21CD"]] = row["CTY21CD"]
        for record in self.councils.values():
            if record.type != "NMD":
                continue
            for code in record.codes:
                county = self._resolve(county_of.get(code, ""))
                if county:
                    record.county_code = county
                    break
        for record in self.councils.values():
            resolved = (self._resolve(c) for c in record.replaced_by)
            record.replaced_by = sorted({c for c in resolved if c and c != record.code})

    def _set_ons_successors(self) -> None:
        """Successors of councils known only from the ONS CHD (abolished before 2019)."""
        for record in self.councils.values():
            if record.ms_code or not record.end_date or record.replaced_by:
                continue
            area = self.ons[record.code]
            parent = self._resolve(area.parent or "")
            if record.type == "NMD" and parent and parent != area.parent:
                record.replaced_by = [parent]  # its county continued as a unitary council
            elif record.type == "CTY":
                region = area.parent
                record.replaced_by = sorted(
                    c
                    for c, a in self.ons.items()
                    if c.startswith("E06")
                    and a.start == next_day(record.end_date)
                    and a.parent == region
                )

    def _set_regions(self) -> None:
        for record in self.councils.values():
            if not record.nation:
                record.nation = NATION_OF_PREFIX[record.code[0]]
            if record.region:
                continue
            for code in record.codes:
                parent = self.ons[code].parent if code in self.ons else None
                if parent and parent.startswith("E10") and parent in self.ons:
                    parent = self.ons[parent].parent
                if parent in self.regions:
                    record.region = self.regions[parent]
                    break
            if not record.region:
                dl_regions = {
                    r["region"] for r in self.dl_rows if r["statistical-geography"] == record.code
                }
                record.region = self.regions.get(min(dl_regions, default=""), "")
            if not record.region and record.nation != "England":
                record.region = record.nation

    def _set_wikidata(self) -> None:
        by_gss: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in self.dl_rows:
            by_gss[row["statistical-geography"]].append(row)
        for record in self.councils.values():
            rows = [r for c in record.codes for r in by_gss.get(c, [])]
            if not rows and record.ms_code:  # the GLA row carries a region code
                rows = [
                    r
                    for r in self.dl_rows
                    if r["reference"] == record.ms_code
                    and normalise_space(r["name"]) == record.official_name
                    and r["statistical-geography"] not in self.canon
                ]
            qids = {r["wikidata"] for r in rows if r["wikidata"]}
            if len(qids) == 1:
                record.wikidata = qids.pop()
            elif qids:
                exact = [r["wikidata"] for r in rows if r["statistical-geography"] == record.code]
                record.wikidata = sorted(exact or qids)[0]
            for row in rows:
                record.add_name(row["name"], "variant", "digital-land")
        # councils known only from the ONS CHD: the QID of a unique Wikidata label
        labels: dict[str, set[str]] = defaultdict(set)
        for row in self.wd_rows:
            if row["legislature"] in WIKIDATA_COUNCIL_CLASSES - {WIKIDATA_AREA_CLASS}:
                labels[normalise_space(row["name"])].add(row["wikidata"])
        for record in self.councils.values():
            if record.wikidata or record.ms_code or record.nation != "England":
                continue
            qids = labels.get(record.official_name, set())
            if len(qids) == 1:
                record.wikidata = next(iter(qids))

    # ------------------------------------------------------------------ names

    def _collect_names(self) -> None:
        by_ms = {r.ms_code: r for r in self.councils.values() if r.ms_code}
        official_owner = {match_key(r.official_name): r.code for r in self.councils.values()}
        for record in self.councils.values():
            record.add_name(record.official_name, "official", record.official_source)
            record.add_name(
                record.short_name, "short", "mysociety" if record.ms_code else "ons-chd"
            )
        for row in self.ms_names:
            record = by_ms.get(row["local-authority-code"])
            if record is not None:
                record.add_name(row["la-name"], "variant", "mysociety")
        for record in self.councils.values():
            for code in record.codes:
                if code not in self.ons:
                    continue
                for name in self.ons[code].names():
                    owner = official_owner.get(match_key(name))
                    if owner is None or owner == record.code:
                        record.add_name(ons_display_name(name), "variant", "ons-chd")
        for row in self.dk_rows:
            council = self._resolve(row["LADCD"])
            if council:
                self.councils[council].add_name(row["LADNM"], "variant", "drkane")
        self._add_wikidata_labels()
        for record in self.councils.values():
            for name, kind in generated_names(record, self._merged_bases(record)):
                record.add_name(name, kind, "generated")
            for name in list(record.names):
                if name.islower():
                    continue
                for variant in spelling_variants(name) | abbreviated(name):
                    record.add_name(variant, "generated", "generated")

    def _add_wikidata_labels(self) -> None:
        by_qid = {r.wikidata: r for r in self.councils.values() if r.wikidata}
        for row in self.wd_rows:
            if row["legislature"] not in WIKIDATA_COUNCIL_CLASSES:
                continue
            record = None
            if row["legislature"] != WIKIDATA_AREA_CLASS:
                record = by_qid.get(row["wikidata"])
            if record is None and row["statistical-geography"]:
                council = self._resolve(row["statistical-geography"])
                record = self.councils.get(council or "")
            if record is not None:
                record.add_name(row["name"], "variant", "wikidata")

    def _merged_bases(self, record: CouncilRecord) -> list[tuple[str, str]]:
        """(type, place name) of the ONS codes folded into this council."""
        out = []
        for code in self.merged.get(record.code, []):
            ctype = ONS_FAMILY_TYPE[code[:3]]
            for name in self.ons[code].names():
                out.append((ctype, ons_display_name(name)))
        return out


# --------------------------------------------------------------------------- name forms


def ons_display_name(name: str) -> str:
    """Turn ONS inverted names into running text ("Bristol, City of" -> "City of Bristol")."""
    match = re.fullmatch(r"(.+), (City|County) of", name.strip())
    if match:
        return f"{match.group(2)} of {match.group(1)}"
    return name


def place_bases(record: CouncilRecord) -> list[str]:
    """The bare place names a council is called by ("Southwark", "Aberdeen")."""
    bases = set()
    official = record.official_name
    for pattern in (
        r"(?:Royal|London) Borough of (.+)",
        r"City and County of (.+?)(?: Council)?",
        r"(?:City|Borough|County) of (.+?)(?: Council)?",
        r"Council of the (.+)",
        r"(.+?) (?:(?:Metropolitan |County )?(?:Borough|District)|City|County)? ?Council",
    ):
        match = re.fullmatch(pattern, official)
        if match:
            bases.add(match.group(1))
            break
    short = re.sub(r"^The ", "", record.short_name)
    short = re.sub(r" (?:County|Council|CCA|MCA|CA)$", "", short)
    bases.add(short)
    for base in list(bases):
        for pattern in (r"City of (.+)", r"(.+) City"):
            match = re.fullmatch(pattern, base)
            if match:
                bases.add(match.group(1))
    return sorted(b for b in bases if b and "Council" not in b and "Authority" not in b)


def status_words(official: str) -> set[str]:
    """Which statuses an official name shows: borough, city, county, district, ..."""
    low = official.lower()
    found = {w for w in ("royal", "borough", "city", "county", "district") if w in low.split()}
    if "county borough" in low:
        found.add("county borough")
        found.discard("county")
    if "metropolitan" in low:
        found.add("metropolitan")
    return found


def forms_for(ctype: str, base: str, status: set[str]) -> list[tuple[str, str]]:
    """Generated (name, kind) forms of ``base`` for a council type and its statuses."""
    if ctype in ("COMB", "SRA", "CC"):
        return []
    out = [(f"{base} Council", "generated")]
    borough = "borough" in status or ctype in ("LBO", "MD")
    city = "city" in status
    county = ctype == "CTY" or "county" in status
    if ctype == "LBO":
        out += [(f"London Borough of {base}", "generated")]
        out += [(f"{base} London Borough Council", "generated")]
        out += [(f"{base} LBC", "abbreviation")]
    if "royal" in status:
        out += [(f"Royal Borough of {base}", "generated")]
    if ctype == "MD":
        out += [
            (f"{base} Metropolitan Borough Council", "generated"),
            (f"{base} MBC", "abbreviation"),
        ]
        if "district" in status:
            out += [(f"{base} Metropolitan District Council", "generated")]
    if ctype == "NMD" or (ctype == "NID" and "district" in status):
        out += [(f"{base} District Council", "generated"), (f"{base} DC", "abbreviation")]
        out += [(f"{base} District", "generated")]
    if borough and ctype != "WPA":
        out += [(f"{base} Borough Council", "generated"), (f"Borough of {base}", "generated")]
        out += [(f"{base} Borough", "generated"), (f"{base} BC", "abbreviation")]
    if city:
        out += [(f"{base} City Council", "generated"), (f"City of {base} Council", "generated")]
        out += [(f"City of {base}", "generated")] if ctype in ("LBO", "UA", "SCO") else []
    if county and ctype != "NMD":
        out += [(f"{base} County Council", "generated"), (f"{base} CC", "abbreviation")]
    if "county borough" in status:
        out += [(f"{base} County Borough Council", "generated"), (f"{base} CBC", "abbreviation")]
    return out


def generated_names(
    record: CouncilRecord, merged: Iterable[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """All generated name forms of a council, from its type and official name."""
    status = status_words(record.official_name)
    if record.type == "NMD" and "Council" not in record.official_name:
        status = {"borough", "city"}  # status unknown (a pre-2009 district): all forms
    out: list[tuple[str, str]] = []
    for base in place_bases(record):
        out += forms_for(record.type, base, status)
        if out:  # the bare place name itself ("Glasgow" for Glasgow City Council)
            out.append((base, "generated"))
    for ctype, base in merged:  # a former county or district code folded into this council
        if ctype in ("CTY", "NMD") and "," not in base:
            out += forms_for(ctype, base, set())
    return [(name, kind) for name, kind in out if not _REDUNDANT.search(name)]


_REDUNDANT = re.compile(r"\bCity City\b|\bCity of .*\bCity\b")
_AND = re.compile(r" (?:and|&) ")
_SAINT = re.compile(r"\b(?:St\.?|Saint)(?= )")
_LINK = re.compile(r"(?<=\w)([ -])(upon|on|in|under|le)\1(?=[A-Z])")


def spelling_variants(name: str) -> set[str]:
    """'&'/'and', 'St'/'St.'/'Saint' and hyphenated/spaced 'upon', 'on' forms of a name.

    >>> sorted(spelling_variants("Stockton-on-Tees"))
    ['Stockton on Tees']
    >>> sorted(spelling_variants("St Helens & Knowsley"))[:3]
    ['Saint Helens & Knowsley', 'Saint Helens and Knowsley', 'St Helens and Knowsley']
    """
    out = {name}
    for text in list(out):
        if _AND.search(text):
            out.add(_AND.sub(" and ", text))
            out.add(_AND.sub(" & ", text))
    for text in list(out):
        if _SAINT.search(text):
            for saint in ("St", "St.", "Saint"):
                out.add(_SAINT.sub(saint, text))
    for text in list(out):
        if _LINK.search(text):
            out.add(_LINK.sub(r" \2 ", text))
            out.add(_LINK.sub(r"-\2-", text))
    out.discard(name)
    return out


ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "name_abbreviations.json"


@cache
def _abbreviations() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[str, str]]]:
    data = json.loads(ABBREVIATIONS_FILE.read_text(encoding="utf-8"))
    words = [
        (re.compile(rf"\b{re.escape(word)}\b"), short)
        for word, shorts in data["words"].items()
        for short in shorts
    ]
    leading = [(start, short) for start, shorts in data["leading"].items() for short in shorts]
    return words, leading


def abbreviated(name: str) -> set[str]:
    """Forms of a name with everyday abbreviations (``name_abbreviations.json``): a county
    word ("Herts"), a leading "North East" ("NE"), or both.

    >>> sorted(abbreviated("North East Lincolnshire Council"))
    ['NE Lincolnshire Council', 'NE Lincs Council', 'North East Lincs Council']
    >>> abbreviated("Brent")
    set()
    """
    words, leading = _abbreviations()
    starts = {name} | {
        short + name[len(start) :] for start, short in leading if name.startswith(start + " ")
    }
    out = set(starts)
    for text in starts:
        out |= {pattern.sub(short, text) for pattern, short in words if pattern.search(text)}
    out.discard(name)
    return out


# --------------------------------------------------------------------------- output


def council_rows(records: Iterable[CouncilRecord]) -> list[dict[str, str]]:
    rows = []
    for r in records:
        rows.append(
            {
                "gss_code": r.code,
                "official_name": r.official_name,
                "short_name": r.short_name,
                "type": r.type,
                "start_date": r.start_date,
                "end_date": r.end_date,
                "replaced_by": " ".join(r.replaced_by),
                "former_gss_codes": " ".join(sorted(r.former_codes)),
                "wikidata": r.wikidata,
                "nation": r.nation,
                "region": r.region,
                "county_gss": r.county_code,
            }
        )
    return sorted(rows, key=lambda row: row["gss_code"])


def name_rows(records: Iterable[CouncilRecord]) -> list[dict[str, str]]:
    """One row per name form; forms differing only in case keep the best-ranked one."""
    rows = []
    for r in records:
        groups: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for name, (kind, source) in r.names.items():
            groups[name.casefold()].append((KIND_RANK[kind], name, source))
        for forms in groups.values():
            rank, _, source = min(forms)
            cased = sorted((k, n) for k, n, _ in forms if not n.islower())
            name = cased[0][1] if cased else min(forms)[1]
            rows.append({"name": name, "gss_code": r.code, "kind": KINDS[rank], "source": source})
    return sorted(rows, key=lambda row: (row["gss_code"], KIND_RANK[row["kind"]], row["name"]))


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


Rows = list[dict[str, str]]


def build_tables(data_dir: Path) -> tuple[Rows, Rows, Rows]:
    """Return the (councils, names, sites) rows derived from the sources in ``data_dir``."""
    builder = Builder(data_dir)
    records = builder.build()
    return council_rows(records), name_rows(records), builder.site_rows()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)
    if not (args.data_dir / "SOURCES.md").is_file():
        parser.error(f"{args.data_dir} does not hold the gazetteer sources (no SOURCES.md)")
    councils, names, sites = build_tables(args.data_dir)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "councils.csv", COUNCIL_COLUMNS, councils)
    write_csv(args.out / "council_names.csv", NAME_COLUMNS, names)
    write_csv(args.out / "council_sites.csv", SITE_COLUMNS, sites)
    print(
        f"{len(councils)} councils, {len(names)} names, {len(sites)} websites -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
