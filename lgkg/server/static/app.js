// The query page: named queries as examples, an editor, a results table, downloads.
// URL parameters: ?query=TEXT runs TEXT; ?name=NAME&param=value runs a named query
// (add run=1 to run at once).
"use strict";

const editor = document.getElementById("editor");
const statusLine = document.getElementById("status");
const resultsBox = document.getElementById("results");
const paramsForm = document.getElementById("params");
const csvButton = document.getElementById("download-csv");
const jsonButton = document.getElementById("download-json");
let queries = [];
let chosen = null; // the named query loaded in the editor
let lastRun = null; // what the downloads repeat

function setStatus(text, isError) {
  statusLine.textContent = text;
  statusLine.className = isError ? "error" : "";
}

function choose(query, values) {
  chosen = query;
  editor.value = query.text;
  document.getElementById("chosen").hidden = false;
  document.getElementById("chosen-title").textContent = query.title + " (" + query.name + ")";
  document.getElementById("chosen-description").textContent = query.description;
  paramsForm.replaceChildren();
  for (const p of query.params) {
    const id = "param-" + p.name;
    const input = el("input", {
      id,
      name: p.name,
      placeholder: p.example,
      title: p.description,
      value: (values && values[p.name]) || "",
    });
    if (p.required) input.required = true;
    paramsForm.append(
      el("label", { for: id }, p.name + (p.required ? "" : " (optional)")),
      input,
      el("span", { class: "hint", text: p.description }),
    );
  }
  for (const item of document.querySelectorAll("#query-list button")) {
    item.classList.toggle("active", item.dataset.name === query.name);
  }
}

function paramValues() {
  const values = {};
  for (const input of paramsForm.querySelectorAll("input")) {
    if (input.value.trim()) values[input.name] = input.value.trim();
  }
  return values;
}

async function loadQueries() {
  const { text } = await fetchText("/api/queries");
  queries = JSON.parse(text);
  const list = document.getElementById("query-list");
  for (const q of queries) {
    const params = q.params.map((p) => p.name).join(", ");
    const button = el("button", { type: "button", "data-name": q.name }, q.title);
    button.addEventListener("click", () => choose(q));
    list.append(
      el("li", {}, button, el("span", { class: "hint" }, q.name + (params ? " (" + params + ")" : ""))),
    );
  }
}

function request(format) {
  // The fetch that runs lastRun, as JSON results or in a download format.
  if (lastRun.kind === "named") {
    const search = new URLSearchParams(lastRun.params);
    if (format) search.set("format", format);
    return fetch("/api/query/" + encodeURIComponent(lastRun.name) + "?" + search, {
      headers: { Accept: "application/sparql-results+json" },
    });
  }
  const body = new URLSearchParams({ query: lastRun.text });
  const target = "/sparql" + (format ? "?format=" + format : "");
  return fetch(target, {
    method: "POST",
    body,
    headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
  });
}

async function run() {
  if (chosen && editor.value === chosen.text) {
    const params = paramValues();
    const missing = chosen.params.filter((p) => p.required && !params[p.name]).map((p) => p.name);
    if (missing.length) {
      setStatus("give a value for " + missing.join(", "), true);
      return;
    }
    lastRun = { kind: "named", name: chosen.name, params };
  } else {
    lastRun = { kind: "sparql", text: editor.value };
  }
  setStatus("running…");
  resultsBox.replaceChildren();
  csvButton.disabled = jsonButton.disabled = true;
  const started = performance.now();
  try {
    const response = await request(null);
    const text = await response.text();
    if (!response.ok) throw new Error(response.status + " " + response.statusText + ": " + text.trim());
    const type = (response.headers.get("Content-Type") || "").split(";")[0];
    const ms = Math.round(performance.now() - started);
    const cap = response.headers.get("X-SPARQL-MaxRows");
    const capped = cap ? " (cut at " + cap + " rows, the server's limit)" : "";
    if (type.endsWith("json")) {
      const result = JSON.parse(text);
      resultsBox.append(resultsNode(result));
      const count = result.boolean !== undefined ? "answer" : result.results.bindings.length + " rows";
      setStatus(count + " in " + ms + " ms" + capped);
      lastRun.graph = false;
      csvButton.disabled = result.boolean !== undefined;
    } else {
      resultsBox.append(el("pre", { class: "rdf", text }));
      setStatus("RDF (" + type + ") in " + ms + " ms" + capped);
      lastRun.graph = true;
    }
    jsonButton.disabled = false;
  } catch (err) {
    setStatus(err.message, true);
  }
}

async function download(kind) {
  const format = kind === "csv" ? "csv" : lastRun.graph ? "jsonld" : "json";
  try {
    const response = await request(format);
    const text = await response.text();
    if (!response.ok) throw new Error(text.trim());
    const name = (lastRun.name || "query") + (kind === "csv" ? ".csv" : ".json");
    saveAs(name, text, response.headers.get("Content-Type") || "text/plain");
  } catch (err) {
    setStatus(err.message, true);
  }
}

document.getElementById("run").addEventListener("click", run);
editor.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run();
  }
});
paramsForm.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
csvButton.addEventListener("click", () => download("csv"));
jsonButton.addEventListener("click", () => download("json"));
document.getElementById("council-jump").addEventListener("submit", (event) => {
  event.preventDefault();
  const name = document.getElementById("council-name").value.trim();
  if (name) window.location.href = "/council/" + encodeURIComponent(name);
});

loadQueries()
  .then(() => {
    const url = new URLSearchParams(window.location.search);
    const named = queries.find((q) => q.name === url.get("name"));
    if (named) {
      const values = Object.fromEntries(url.entries());
      choose(named, values);
    } else if (url.get("query")) {
      editor.value = url.get("query");
    }
    if (url.get("run") === "1") run();
  })
  .catch((err) => setStatus("cannot list the named queries: " + err.message, true));
