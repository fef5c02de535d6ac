// One document's facts, numbered as `lgkg review` numbers them, with their evidence sentences
// and what analysts did to each (from /api/doc/{id}). On a server started with
// --enable-update --token, an analyst confirms, rejects, changes or adds facts here
// (POST /api/doc/{id}/corrections with the token); a read-only server only shows them.
"use strict";

const docId = decodeURIComponent(window.location.pathname.replace(/^\/doc\//, ""));
const statusLine = document.getElementById("doc-status");
let review = null;

function setStatus(text, isError) {
  statusLine.textContent = text;
  statusLine.className = isError ? "error" : "";
}

function stateText(fact) {
  const last = fact.corrections[fact.corrections.length - 1];
  let text = fact.state;
  if (fact.state === "rejected" && last && last.reason) text += ": " + last.reason;
  if (fact.state === "corrected" && fact.extracted) {
    const changes = Object.keys(fact.content)
      .filter((k) => k !== "evidence" && fact.content[k] !== fact.extracted[k])
      .map((k) => k + " " + (fact.extracted[k] || "-") + " → " + (fact.content[k] || "-"));
    if (changes.length) text += " (" + changes.join(", ") + ")";
  }
  if (last) text += " · " + last.analyst + ", " + last.at;
  return text;
}

async function send(correction) {
  const token = document.getElementById("token").value.trim();
  const analyst = document.getElementById("analyst").value.trim();
  sessionStorage.setItem("lgkg-analyst", analyst);
  sessionStorage.setItem("lgkg-token", token);
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  setStatus("saving…");
  try {
    const { text } = await fetchText("/api/doc/" + encodeURIComponent(docId) + "/corrections", {
      method: "POST",
      headers,
      body: JSON.stringify({ ...correction, analyst }),
    });
    show(JSON.parse(text));
    setStatus("stored: " + correction.verb + (correction.fact ? " fact " + correction.fact : ""));
  } catch (err) {
    setStatus(err.message, true);
  }
}

function actionsNode(fact) {
  const box = el("div", { class: "actions" });
  const n = fact.number;
  const confirm = el("button", { type: "button", id: "confirm-" + n }, "Confirm");
  confirm.addEventListener("click", () => send({ verb: "confirm", fact: String(n) }));
  const reject = el("button", { type: "button", id: "reject-" + n }, "Reject");
  const edit = el("button", { type: "button", id: "edit-" + n }, "Change");
  const form = el("form", { class: "inline", id: "form-" + n, hidden: "" });
  reject.addEventListener("click", () => {
    form.replaceChildren(
      el("label", { for: "reason-" + n }, "Why"),
      el("input", { id: "reason-" + n, required: "", size: "30" }),
      el("button", { type: "submit", id: "reject-submit-" + n }, "Reject fact " + n),
    );
    form.dataset.verb = "reject";
    form.hidden = false;
  });
  edit.addEventListener("click", () => {
    const select = el("select", { id: "field-" + n });
    for (const name of review.fields[fact.kind]) {
      select.append(el("option", { value: name, text: name }));
    }
    const value = el("input", { id: "value-" + n, size: "24" });
    select.addEventListener("change", () => { value.value = fact.content[select.value] || ""; });
    value.value = fact.content[review.fields[fact.kind][0]] || "";
    form.replaceChildren(select, value, el("input", { id: "why-" + n, placeholder: "why", size: "20" }),
      el("button", { type: "submit", id: "edit-submit-" + n }, "Set"));
    form.dataset.verb = "set";
    form.hidden = false;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.dataset.verb === "reject") {
      send({ verb: "reject", fact: String(n), reason: document.getElementById("reason-" + n).value });
    } else {
      send({
        verb: "set",
        fact: String(n),
        field: document.getElementById("field-" + n).value,
        value: document.getElementById("value-" + n).value,
        reason: document.getElementById("why-" + n).value,
      });
    }
  });
  box.append(confirm, " ", reject, " ", edit, form);
  return box;
}

function factsNode(data) {
  const table = el("table", { class: "results", id: "facts-table" });
  const heads = ["#", "kind", "fact", "evidence", "state"];
  if (data.editable) heads.push("correct");
  table.append(el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col", text: h })))));
  const body = el("tbody");
  for (const fact of data.facts) {
    const row = el("tr", { "data-number": String(fact.number), class: "state-" + fact.state },
      el("td", { text: String(fact.number) }),
      el("td", { class: "kind", text: fact.kind }),
      el("td", { class: "fact" }, el("span", { class: "summary", text: fact.summary }), el("br"),
        el("span", { class: "hint", text: fact.iri || fact.origin })),
      el("td", { class: "evidence" }, el("blockquote", { text: fact.evidence })),
      el("td", { class: "state", text: stateText(fact) }));
    if (data.editable) row.append(el("td", {}, actionsNode(fact)));
    body.append(row);
  }
  table.append(body);
  return table;
}

function addForm(data) {
  const kind = document.getElementById("add-kind");
  const fields = document.getElementById("add-fields");
  const pick = document.getElementById("add-evidence-pick");
  if (!kind.options.length) {
    for (const name of Object.keys(data.fields)) kind.append(el("option", { value: name, text: name }));
    kind.addEventListener("change", () => addForm(review));
    pick.addEventListener("change", () => { document.getElementById("add-evidence").value = pick.value; });
    document.getElementById("add-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const given = {};
      for (const input of fields.querySelectorAll("input")) {
        if (input.value.trim()) given[input.name] = input.value.trim();
      }
      send({
        verb: "add",
        kind: kind.value,
        fields: given,
        evidence: document.getElementById("add-evidence").value,
        reason: document.getElementById("add-reason").value,
      });
    });
  }
  fields.replaceChildren();
  for (const name of data.fields[kind.value]) {
    fields.append(el("label", { for: "add-" + name }, name), el("input", { id: "add-" + name, name }));
  }
  pick.replaceChildren(el("option", { value: "", text: "a sentence of this document…" }));
  for (const sentence of [...new Set(data.facts.map((f) => f.evidence))]) {
    pick.append(el("option", { value: sentence, text: sentence.slice(0, 90) }));
  }
}

function show(data) {
  review = data;
  document.title = "lgkg: " + (data.title || data.name);
  document.getElementById("doc-title").textContent = data.title || data.name;
  const about = document.getElementById("doc-about");
  const source = /^https?:\/\//.test(data.url)
    ? el("a", { href: data.url, text: data.url, rel: "noopener noreferrer", target: "_blank" })
    : document.createTextNode(data.name);
  about.replaceChildren(source, " · published " + (data.published || "unknown") +
    " · extracted " + data.extracted_at + " by " + data.extractor_version + " · " + data.document);
  document.getElementById("facts").replaceChildren(factsNode(data));
  const unmatched = document.getElementById("unmatched");
  unmatched.replaceChildren(...data.unmatched.map((c) => el("li", { text: c.description })));
  document.getElementById("unmatched-section").hidden = !data.unmatched.length;
  document.getElementById("credentials").hidden = !data.editable;
  document.getElementById("read-only").hidden = data.editable;
  document.getElementById("add-section").hidden = !data.editable;
  if (data.editable) addForm(data);
}

async function main() {
  document.getElementById("analyst").value = sessionStorage.getItem("lgkg-analyst") || "";
  document.getElementById("token").value = sessionStorage.getItem("lgkg-token") || "";
  try {
    const { text } = await fetchText("/api/doc/" + encodeURIComponent(docId), {
      headers: { Accept: "application/json" },
    });
    const data = JSON.parse(text);
    show(data);
    const checked = data.facts.filter((f) => f.state !== "extracted").length;
    setStatus(data.facts.length + " facts, " + checked + " checked by analysts");
  } catch (err) {
    setStatus(err.message, true);
  }
}

main();
