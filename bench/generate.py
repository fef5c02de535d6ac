"""A seeded generator of synthetic council press releases, for benchmarks.

Each release is 400–800 words: a headline, one or two partnership actions
(formed, joined, left, ended, provides) with a status and a date, often a
saving, one to three quotes, background paragraphs and boilerplate. The
councils come from lgkg's gazetteer (current councils, partners from the
same region); the sentences and vocabulary are in ``bench/data/press_release.json``
and were written for this purpose. The same seed gives the same documents.

    python bench/generate.py --docs 1000 --seed 7 --out /tmp/releases

>>> docs = releases(2, seed=3)
>>> len(docs), all(400 <= len(text.split()) <= 900 for _, text in docs)
(2, True)
>>> releases(2, seed=3) == docs
True
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lgkg.extract.gazetteer import Council, Gazetteer

DATA = Path(__file__).resolve().parent / "data" / "press_release.json"
MIN_WORDS, MAX_WORDS = 400, 800
ACTIONS = ("formed", "joined", "left", "ended", "provides")


@cache
def vocabulary() -> dict:
    """The templates and word lists (``bench/data/press_release.json``)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


@cache
def councils_by_region() -> dict[str, list[Council]]:
    """Current councils of the listed types, by region (regions with at least three)."""
    types = set(vocabulary()["council_types"])
    regions: dict[str, list[Council]] = {}
    for council in Gazetteer.load().councils():
        if council.is_current and council.type in types:
            regions.setdefault(council.region or council.nation, []).append(council)
    return {r: sorted(cs, key=lambda c: c.code) for r, cs in sorted(regions.items()) if cs[2:]}


@dataclass
class _Release:
    """What one release is about, and the values its templates are filled with."""

    rng: random.Random
    values: dict[str, str]
    published_year: int

    def fill(self, template: str) -> str:
        text = template.format(**self.values)
        text = re.sub(r" +([.,])", r"\1", text)
        return text[0].upper() + text[1:] if text else text

    def date(self, status: str) -> str:
        """A date phrase: past for done, the coming year or so for agreed and proposed."""
        rng, year = self.rng, self.published_year
        offset = rng.randint(-3, -1) if status == "done" else rng.randint(0, 1)
        month = rng.choice(vocabulary()["months"])
        if rng.random() < 0.3:
            return f"{rng.randint(1, 28)} {month} {year + offset}"
        return f"{month} {year + offset}"


def _title(phrase: str) -> str:
    """Title case that keeps acronyms and small words: "ICT and Digital Service"."""
    small = {"and", "of", "for"}
    return " ".join(
        w if w.isupper() or w in small else w[:1].upper() + w[1:] for w in phrase.split()
    )


def _person(rng: random.Random) -> str:
    v = vocabulary()
    title = rng.choice(v["titles"])
    name = f"{rng.choice(v['first_names'])} {rng.choice(v['last_names'])}"
    return f"{title} {name}".strip()


def _release(rng: random.Random, index: int) -> tuple[str, str]:
    v = vocabulary()
    regions = councils_by_region()
    region = rng.choice(sorted(regions))
    a, b, c = rng.sample(regions[region], 3)
    area = rng.choice(sorted(v["services"]))
    service = rng.choice(v["services"][area])
    year = rng.randint(2009, 2023)
    values = {
        "a": a.official_name,
        "b": b.official_name,
        "c": c.official_name,
        "a_short": a.short_name,
        "b_short": b.short_name,
        "c_short": c.short_name,
        "region": region,
        "service": service,
        "Service": _title(service),
        "client": rng.choice(v["clients"]),
    }
    values["partnership"] = rng.choice(v["partnership_names"]).format(**values)
    release = _Release(rng, values, year)
    action = rng.choice(ACTIONS)
    statuses = sorted(v["actions"][action])
    status = rng.choice(statuses)
    values["date"] = release.date(status)
    paragraphs = [release.fill(rng.choice(v["actions"][action][status]))]
    if action in ("joined", "left", "provides") and rng.random() < 0.7:
        values["date"] = release.date("done")
        paragraphs.append(release.fill(rng.choice(v["actions"]["formed"]["done"])))
    if rng.random() < 0.7:
        values["amount"] = rng.choice(v["amounts"])
        values["period"] = rng.choice(v["periods"])
        paragraphs.append(release.fill(rng.choice(v["savings"])))
    quotes = []
    for council in rng.sample([a, b, c], rng.randint(1, 3)):
        values.update(
            speaker=_person(rng),
            role=rng.choice(v["roles"]),
            org=council.official_name,
            line=rng.choice(v["quote_lines"]),
        )
        values["line_comma"] = values["line"].rstrip(".") + ","
        quotes.append(release.fill(rng.choice(v["quotes"])))
    target = rng.randint(MIN_WORDS + 20, MAX_WORDS - 60)
    filler = _filler(rng, target - _words(paragraphs + quotes) - 40)
    body = paragraphs[:1] + filler[: len(filler) // 2] + paragraphs[1:] + quotes[:1]
    body += filler[len(filler) // 2 :] + quotes[1:]
    values["population"] = f"{rng.randint(60, 400) * 1000:,}"
    body += [release.fill(line) for line in v["boilerplate"]]
    headline = release.fill(rng.choice(v["headlines"][action]))
    slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    front = (
        f"---\nurl: https://news.example.gov.uk/{year}/{slug}-{index}\ntitle: {headline}\n"
        f"published: {year}-{month:02d}-{day:02d}\n---\n"
    )
    text = front + headline + "\n\n" + "\n\n".join(body) + "\n"
    return f"{index:06d}-{action}-{slug[:50]}.txt", text


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _filler(rng: random.Random, words: int) -> list[str]:
    """Background paragraphs of two or three sentences, about ``words`` words in all."""
    sentences: list[str] = []
    pool: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        if not pool:
            pool = rng.sample(vocabulary()["filler"], len(vocabulary()["filler"]))
        sentences.append(pool.pop())
    paragraphs = []
    while sentences:
        take = rng.randint(2, 3)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    return paragraphs


def releases(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` releases as ``(file name, text with front matter)``; the name holds the action."""
    return list(iter_releases(n, seed))


def iter_releases(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """The same, one at a time (for large ``n``)."""
    rng = random.Random(seed)
    for index in range(n):
        yield _release(rng, index)


def write_releases(n: int, seed: int, out: Path) -> list[Path]:
    """Write ``n`` releases into the folder ``out``; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in iter_releases(n, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100, help="how many releases (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write them to")
    args = parser.parse_args(argv)
    paths = write_releases(args.docs, args.seed, args.out)
    print(f"wrote {len(paths)} releases to {args.out}")


if __name__ == "__main__":
    main()
