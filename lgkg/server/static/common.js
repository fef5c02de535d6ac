// Shared by the query page and the council page: results tables, links, downloads.
// Everything from the graph is put in the page as text (never as HTML).
"use strict";

const COUNCIL_IRI = "https://w3id.org/lgkg/id/council/";
const DOC_IRI = /^https:\/\/w3id\.org\/lgkg\/id\/doc\/([0-9a-f]{16})$/;
const LGKG_IRI = "https://w3id.org/lgkg/";
const GSS = /^[EKNSW]\d{8}$/;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function describeLink(iri) {
  const query = "DESCRIBE <" + iri + ">";
  return "/?query=" + encodeURIComponent(query) + "&run=1";
}

// A cell of a SPARQL JSON result as a DOM node: council IRIs and GSS codes link to the
// council page, document IRIs to the document page, other lgkg IRIs to a DESCRIBE, web
// addresses to themselves.
function cellNode(binding, column) {
  if (!binding) return document.createTextNode("");
  const value = binding.value;
  if (binding.type === "uri") {
    if (value.startsWith(COUNCIL_IRI)) {
      return el("a", { href: "/council/" + value.slice(COUNCIL_IRI.length), text: value });
    }
    const doc = DOC_IRI.exec(value);
    if (doc) return el("a", { href: "/doc/" + doc[1], text: value });
    if (value.startsWith(LGKG_IRI)) return el("a", { href: describeLink(value), text: value });
    if (/^https?:\/\//.test(value)) {
      return el("a", { href: value, text: value, rel: "noopener noreferrer", target: "_blank" });
    }
    return document.createTextNode(value);
  }
  if (binding.type === "bnode") return document.createTextNode("_:" + value);
  if (column && column.endsWith("_code") && GSS.test(value)) {
    return el("a", { href: "/council/" + value, text: value });
  }
  if (/^https?:\/\/\S+$/.test(value)) {
    return el("a", { href: value, text: value, rel: "noopener noreferrer", target: "_blank" });
  }
  return document.createTextNode(value);
}

// A table of a SPARQL JSON result (SELECT) or a line for ASK.
function resultsNode(result, columns) {
  if (result.boolean !== undefined) return el("p", { class: "boolean", text: String(result.boolean) });
  const vars = columns || result.head.vars;
  const table = el("table", { class: "results" });
  const head = el("tr");
  for (const v of vars) head.append(el("th", { scope: "col", text: v }));
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const row of result.results.bindings) {
    const tr = el("tr");
    for (const v of vars) tr.append(el("td", {}, cellNode(row[v], v)));
    body.append(tr);
  }
  table.append(body);
  return table;
}

// GET or POST something and return {response, text}; throws an Error with the server's message.
async function fetchText(url, options) {
  const response = await fetch(url, options);
  const text = await response.text();
  if (!response.ok) throw new Error(response.status + " " + response.statusText + ": " + text.trim());
  return { response, text };
}

async function namedQuery(name, params, format) {
  const search = new URLSearchParams(params || {});
  if (format) search.set("format", format);
  const { response, text } = await fetchText("/api/query/" + encodeURIComponent(name) + "?" + search, {
    headers: { Accept: "application/sparql-results+json" },
  });
  return { response, text, result: format ? null : JSON.parse(text) };
}

function saveAs(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
