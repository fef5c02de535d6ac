// One council's page: its partnerships, its events over time, its partners and the
// evidence sentences, from the named queries council_timeline, partners and council_evidence.
"use strict";

const STATUS_RANK = { proposed: 1, agreed: 2, done: 3 };

function rows(result) {
  return result.results.bindings.map((b) => {
    const row = {};
    for (const v of result.head.vars) row[v] = b[v] ? b[v].value : "";
    return row;
  });
}

function partnershipsNode(timeline) {
  const byName = new Map();
  for (const e of timeline) {
    const p = byName.get(e.partnership) || { area: e.service_area, events: [], status: "", since: "" };
    p.events.push(e.action + " (" + e.status + ")" + (e.date ? " " + e.date : ""));
    if ((STATUS_RANK[e.status] || 0) > (STATUS_RANK[p.status] || 0)) p.status = e.status;
    if (e.date && (!p.since || e.date < p.since)) p.since = e.date;
    byName.set(e.partnership, p);
  }
  if (!byName.size) return el("p", { class: "hint", text: "No partnership events about this council." });
  const table = el("table", { class: "results" });
  table.append(
    el("thead", {}, el("tr", {}, ...["partnership", "service area", "status", "since", "events"].map(
      (h) => el("th", { scope: "col", text: h })))),
  );
  const body = el("tbody");
  for (const [name, p] of [...byName.entries()].sort()) {
    const members = "/?name=partnership_members&partnership=" + encodeURIComponent(name) + "&run=1";
    body.append(
      el("tr", {},
        el("td", {}, el("a", { href: members, title: "its members", text: name })),
        el("td", { text: p.area }),
        el("td", { text: p.status }),
        el("td", { text: p.since }),
        el("td", { text: p.events.join("; ") })),
    );
  }
  table.append(body);
  return table;
}

function chartNode(timeline) {
  const years = new Map();
  let undated = 0;
  for (const e of timeline) {
    if (!e.date) {
      undated += 1;
      continue;
    }
    const year = Number(e.date.slice(0, 4));
    years.set(year, (years.get(year) || 0) + 1);
  }
  const box = el("div", { class: "chart", role: "img", "aria-label": "events per year" });
  if (years.size) {
    const first = Math.min(...years.keys());
    const last = Math.max(...years.keys());
    const most = Math.max(...years.values());
    for (let year = first; year <= last; year += 1) {
      const n = years.get(year) || 0;
      const bar = el("span", { class: "bar", style: "width:" + Math.round((100 * n) / most) + "%" });
      box.append(el("div", { class: "chart-row" }, el("span", { class: "year", text: String(year) }), bar,
        el("span", { class: "count", text: String(n) })));
    }
  }
  if (undated) box.append(el("p", { class: "hint", text: undated + " undated event(s)" }));
  return box;
}

function evidenceNode(evidence) {
  if (!evidence.length) return el("p", { class: "hint", text: "No evidence sentences." });
  const list = el("ol", { class: "evidence" });
  for (const e of evidence) {
    const head = [e.kind + ": " + e.summary, e.partnership, e.date].filter(Boolean).join(" · ");
    const source = /^https?:\/\//.test(e.source)
      ? el("a", { href: e.source, text: e.source, rel: "noopener noreferrer", target: "_blank" })
      : document.createTextNode(e.source);
    list.append(
      el("li", {},
        el("strong", { text: head }),
        el("blockquote", { text: e.evidence }),
        el("span", { class: "hint" }, "source: ", source,
          e.published ? " (published " + e.published + ")" : "",
          e.confidence ? " · confidence " + e.confidence : "")),
    );
  }
  return list;
}

async function main() {
  const key = decodeURIComponent(window.location.pathname.replace(/^\/council\//, ""));
  const status = document.getElementById("council-status");
  try {
    const { text } = await fetchText("/api/council/" + encodeURIComponent(key));
    const council = JSON.parse(text);
    document.title = "lgkg: " + council.name;
    document.getElementById("council-name").textContent = council.name + " (" + council.code + ")";
    const about = document.getElementById("council-about");
    about.append(council.official_name + " · type " + council.type);
    if (council.end_date) about.append(" · abolished " + council.end_date);
    if (council.wikidata) {
      about.append(" · ", el("a", { href: "https://www.wikidata.org/wiki/" + council.wikidata,
        text: "Wikidata", rel: "noopener noreferrer", target: "_blank" }));
    }
    const params = { council: council.code };
    const [timeline, partners, evidence] = await Promise.all([
      namedQuery("council_timeline", params),
      namedQuery("partners", params),
      namedQuery("council_evidence", params),
    ]);
    const events = rows(timeline.result);
    document.getElementById("partnerships").append(partnershipsNode(events));
    document.getElementById("timeline-chart").append(chartNode(events));
    document.getElementById("timeline").append(resultsNode(timeline.result));
    document.getElementById("partners").append(resultsNode(partners.result));
    document.getElementById("evidence").append(evidenceNode(rows(evidence.result)));
    const n = (count, noun) => count + " " + noun + (count === 1 ? "" : "s");
    status.textContent = n(events.length, "event") + ", " + n(rows(partners.result).length, "partner");
  } catch (err) {
    status.textContent = err.message;
    status.className = "error";
  }
}

main();
