// The lexicon page (/editor/lexikon): every sign with its still, definition, source and review
// state; a signer marks a sign reviewed. Plain JS, no build step, no external URL.
"use strict";

const NAME_STORE = "signavatar-reviewer-name";
const MAX_SHOWN = 300;
const KINDS = { lexical: "Gebärde", letter: "Buchstabe (Fingeralphabet)", number: "Zahl" };
const HANDS = { one: "eine Hand", two: "zwei Hände" };
const SOURCES = { "hand-authored": "von Hand erstellt", recorded: "Aufnahme", captured: "Videoaufnahme" };
const MOTIONS = { keyframes: "Schlüsselposen", definition: "phonologische Definition", recording: "Aufnahme" };

let signs = [];


function term(dl, name, value) {
  const dt = document.createElement("dt");
  dt.textContent = name;
  const dd = document.createElement("dd");
  dd.textContent = value || "–";
  dl.append(dt, dd);
  return dd;
}

function card(s) {
  const li = document.createElement("li");
  li.className = `sign${s.reviewed ? " reviewed" : ""}`;
  li.dataset.gloss = s.gloss;
  li.dataset.reviewed = String(Boolean(s.reviewed));
  const title = document.createElement("h2");
  title.id = `sign-${s.gloss}`;
  title.textContent = s.gloss;
  const img = document.createElement("img");
  img.loading = "lazy";
  img.width = 160;
  img.height = 160;
  img.alt = `Standbild der Gebärde ${s.gloss}`;
  img.src = `/v1/lexicon/${encodeURIComponent(s.gloss)}/preview.png`;
  img.addEventListener("error", () => { img.alt = `Kein Standbild für ${s.gloss}`; img.classList.add("missing"); });
  const dl = document.createElement("dl");
  term(dl, "Deutsch", (s.lemmas || []).join(", "));
  term(dl, "Art", KINDS[s.kind] || s.kind);
  term(dl, "Hände", HANDS[s.hands] || (s.hands ? String(s.hands) : ""));
  term(dl, "Bewegung", MOTIONS[s.motion] || s.motion);
  term(dl, "Quelle", SOURCES[s.source] || s.source);
  const state = term(dl, "Prüfstatus", s.reviewed ? "geprüft" : "nicht geprüft");
  state.className = s.reviewed ? "ok" : "warn";
  const desc = document.createElement("p");
  desc.className = "desc";
  desc.textContent = s.description || "";
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Definition (JSON)";
  const pre = document.createElement("pre");
  details.append(summary, pre);
  details.addEventListener("toggle", async () => {
    if (!details.open || pre.textContent) return;
    pre.textContent = "lädt …";
    try {
      pre.textContent = JSON.stringify((await api("GET", `/v1/lexicon/${encodeURIComponent(s.gloss)}`)).data, null, 2);
    } catch (err) {
      pre.textContent = `Nicht geladen: ${err.message}`;
    }
  });
  const b = document.createElement("button");
  b.type = "button";
  b.className = "mark-reviewed";
  b.textContent = s.reviewed ? "Geprüft ✓" : "Als geprüft markieren";
  b.setAttribute("aria-label", `${b.textContent}: ${s.gloss}`);
  b.disabled = Boolean(s.reviewed);
  b.addEventListener("click", () => markReviewed(s, b));
  li.setAttribute("aria-labelledby", title.id);
  li.append(title, img, dl, desc, details, b);
  return li;
}

async function markReviewed(s, b) {
  const reviewer = $("reviewer").value.trim();
  if (!reviewer) { say("Bitte zuerst Ihren Namen eingeben."); $("reviewer").focus(); return; }
  b.disabled = true;
  try {
    await api("POST", `/v1/lexicon/${encodeURIComponent(s.gloss)}/review`, { reviewer, comment: "" });
    s.reviewed = true;
    const li = card(s);
    b.closest("li").replaceWith(li);
    li.querySelector("button.mark-reviewed").focus();
    count(signs.filter((x) => matchesFilters(x)).length);
    say(`${s.gloss} ist als geprüft markiert (von ${reviewer}).`);
  } catch (err) {
    b.disabled = false;
    say(`${s.gloss} nicht markiert: ${err.message}`);
  }
}

function matchesFilters(s) {
  const q = $("search").value.trim().toLowerCase();
  const kind = $("kind-filter").value;
  const rev = $("review-filter").value;
  if (kind && s.kind !== kind) return false;
  if (rev && Boolean(s.reviewed) !== (rev === "yes")) return false;
  const hay = [s.gloss, ...(s.lemmas || []), s.description || "", s.source || ""].join(" ").toLowerCase();
  return q.split(/\s+/).every((part) => hay.includes(part));
}

function count(hits) {
  const reviewed = signs.filter((s) => s.reviewed).length;
  $("count").textContent = `${hits} von ${signs.length} Gebärden` +
    (hits > MAX_SHOWN ? `, die ersten ${MAX_SHOWN} angezeigt` : "") + `; ${reviewed} geprüft.`;
}

function show() {
  const hits = signs.filter(matchesFilters);
  $("signs").replaceChildren(...hits.slice(0, MAX_SHOWN).map(card));
  count(hits.length);
}

async function init() {
  rememberKeyAndName("reviewer", NAME_STORE);
  for (const id of ["search", "kind-filter", "review-filter"]) $(id).addEventListener("input", show);
  try {
    const { data } = await api("GET", "/v1/lexicon");
    signs = (data.signs || []).slice().sort((a, b) => a.gloss.localeCompare(b.gloss, "de"));
    show();
  } catch (err) {
    $("count").textContent = `Lexikon nicht geladen: ${err.message}`;
  }
}

document.addEventListener("DOMContentLoaded", init);
