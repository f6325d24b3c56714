// The editor page (/editor): German text -> gloss chips -> skeleton preview -> video -> review.
// Plain JS, no build step, no external URL. API: README "Editor" and "HTTP".
"use strict";

const NAME_STORE = "signavatar-editor-name";
const PREVIEW_DEBOUNCE_MS = 150;
const POLL_MS = 1000;
const MAX_RESULTS = 60;
const KIND_LABELS = { lexicon: "Lexikon", fingerspell: "Fingeralphabet", number: "Zahl", unknown: "unbekannt" };
const REVIEW_LABELS = { draft: "Entwurf (nicht freigegeben)", approved: "freigegeben", rejected: "abgelehnt" };
// Mouth gestures (signavatar/gloss_to_pose/mouthing.py MOUTH_GESTURES) and how the page names them.
const MOUTH_GESTURES = { pf: "pf", mm: "mm", sch: "sch", ts: "ts", none: "keins" };
// One word as the gloss string takes it (GLOSS{word}: text_to_gloss/mouthing_override.py).
const MOUTHING_WORD = /^[a-zäöüß]+(?:-[a-zäöüß]+)*$/;
const MAX_MOUTHING_CHARS = 40;

const state = {
  chips: [],            // [{gloss, kind, words: [], nonmanual: [], mouthing, shownMouthing, mouthingSource, caption,
                        //   sense}] (sense: GET /v1/gloss's {lemma, label, options: [{glosses, label, chosen}]}
                        //   for a sign the sense layer chose, else null)
                        // in DGS order; mouthing: the editor's choice (null: the default), shownMouthing
                        // and mouthingSource: what the service says the sign mouths (null until it has)
  sourceText: "",       // the German sentence the chips translate
  editAt: 0,            // performance.now() of the last edit (for data-preview-ms)
  previewSeq: 0,        // the newest preview request; older answers are dropped
  previewTimer: 0,
  clip: null,           // {id, glosses, status, review_state}
  embedSeq: 0,          // the newest embed-code request; older answers are dropped
  viewSeq: 0,           // the newest 3D-preview request; older answers are dropped
  lexicon: null,        // [{gloss, kind, lemmas, description, ...}] once loaded
  replaceAt: null,      // chip index being replaced; -1 = append a new gloss
  mouthingAt: null,     // chip index whose mouthing is being changed
};

// ---------- API ----------

// ---------- text -> chips ----------

async function analyse() {
  const text = $("text").value.trim();
  if (!text) {
    say("Bitte zuerst einen deutschen Satz eingeben.");
    $("text").focus();
    return;
  }
  say("Übersetze …");
  try {
    const { data } = await api("GET", `/v1/gloss?text=${encodeURIComponent(text)}`);
    const tokens = data.tokens || data.glosses || [];
    state.sourceText = text;
    state.chips = tokens.map(chipOf);
    const unknown = state.chips.filter((c) => c.kind === "unknown").map((c) => c.gloss);
    let msg = `${state.chips.length} Glossen: ${glossString()}.`;
    if (unknown.length) msg += ` ${unknown.length} unbekannt (${unknown.join(", ")}): bitte ersetzen oder buchstabieren.`;
    if (data.warnings && data.warnings.length) msg += ` Hinweise: ${data.warnings.join(" ")}`;
    edited(msg);
  } catch (err) {
    say(`Übersetzen fehlgeschlagen: ${err.message}`);
  }
}

function chipOf(t) {
  // A token of GET /v1/gloss as a chip; a mouthing the service says an editor chose (an approved
  // correction from the translation memory) stays the chip's own choice.
  const source = t.mouthing_source || null;
  return {
    gloss: t.gloss, kind: t.kind || "lexicon", words: t.words || [], nonmanual: t.nonmanual || [],
    mouthing: source === "editor" ? t.mouthing : null, shownMouthing: t.mouthing || null, mouthingSource: source,
    caption: t.caption || null, sense: t.sense || null,
  };
}

function captionOf(c) {
  // What viewers read in the captions for this gloss (the service's `caption`: fs-MEIER -> M-E-I-E-R),
  // or null where it is the gloss itself or not known yet (a chip edited here, until the preview answers).
  return c.caption && c.caption !== c.gloss ? c.caption : null;
}

function glossString() {
  // GLOSS{mouthing} where the editor chose one (glosses/GLOSS_CONVENTIONS.md)
  return state.chips.map((c) => (c.mouthing ? `${c.gloss}{${c.mouthing}}` : c.gloss)).join(" ");
}

function mouthingName(m) {
  if (!m) return "wird ermittelt …";
  if (m === "none") return "keins";
  return m in MOUTH_GESTURES ? `${m} (Mundgestik)` : m;
}

function chipMouthing(c) {
  // what the chip says of its mouthing: the editor's choice at once, else the service's answer
  const shown = c.mouthing || c.shownMouthing;
  const changed = c.mouthing ? " (geändert)" : "";
  return `Mundbild: ${mouthingName(shown)}${changed}`;
}

function edited(message) {
  if (state.mouthingAt !== null) closeMouthing(false);  // its chip may have moved or gone
  state.editAt = performance.now();
  renderChips();
  updateReviewButtons();
  schedulePreview();
  if (message) say(message);
}

function senseText(c) {
  // "Bedeutung: erhalten → BEKOMMEN (Synonym)": which sense of the word the translation took
  const chosen = c.sense.options.find((o) => o.chosen);
  return `Bedeutung: ${c.sense.lemma} → ${chosen ? chosen.glosses : c.gloss} (${c.sense.label})`;
}

function chipLabel(c, i) {
  const words = c.words.length ? `, aus „${c.words.join(" ")}“` : "";
  const caption = captionOf(c) ? `, im Untertitel: ${captionOf(c)}` : "";
  const sense = c.sense ? `, ${senseText(c)}` : "";
  return `${i + 1}. ${c.gloss}${caption}, ${KIND_LABELS[c.kind] || c.kind}${words}${sense}, ${chipMouthing(c)}`;
}

function senseChoice(c, i) {
  // the word's senses from glosses/senses.json as a labelled select: choosing one replaces this gloss
  const wrap = document.createElement("span");
  wrap.className = "chip-sense";
  const text = document.createElement("span");
  text.className = "chip-sense-text";
  text.textContent = senseText(c);
  wrap.append(text);
  if (c.sense.options.length < 2) return wrap;
  const id = `sense-${i}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = `Andere Bedeutung von „${c.sense.lemma}“:`;
  const select = document.createElement("select");
  select.id = id;
  select.className = "chip-sense-choice";
  c.sense.options.forEach((o, k) => {
    const opt = document.createElement("option");
    opt.value = String(k);
    opt.textContent = `${o.glosses} – ${o.label}`;
    opt.selected = o.chosen;
    select.append(opt);
  });
  wrap.append(label, select);
  return wrap;
}

function senseGroup(i) {
  // the chips one sense gave (werktags -> MONTAG BIS FREITAG): neighbours from the same words and entry
  const c = state.chips[i];
  const same = (d) => d && d.sense && d.sense.lemma === c.sense.lemma && d.words.join(" ") === c.words.join(" ");
  let start = i;
  let end = i;
  while (start > 0 && same(state.chips[start - 1])) start -= 1;
  while (end < state.chips.length - 1 && same(state.chips[end + 1])) end += 1;
  return [start, end];
}

function chooseSense(i, k) {
  // replace the chips of this word's sense by the chosen sense's signs; the gloss string follows
  const c = state.chips[i];
  const option = c.sense.options[k];
  if (!option || option.chosen) return;
  const [start, end] = senseGroup(i);
  const old = state.chips.slice(start, end + 1).map((d) => d.gloss).join(" ");
  const sense = { ...c.sense, label: option.label, options: c.sense.options.map((o, n) => ({ ...o, chosen: n === k })) };
  const chips = option.glosses.split(" ").map((gloss) => ({
    gloss, kind: gloss.startsWith("fs-") ? "fingerspell" : "lexicon", words: c.words, nonmanual: c.nonmanual,
    mouthing: null, shownMouthing: null, mouthingSource: null, caption: null, sense,
  }));
  state.chips.splice(start, end - start + 1, ...chips);
  edited(`„${c.words.join(" ")}“: ${option.glosses} (${option.label}) statt ${old}.`);
  focusChip(start, "chip-sense-choice");
}

function button(cls, text, label) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = text;
  if (label) b.setAttribute("aria-label", label);
  return b;
}

function renderChips() {
  const list = $("chips");
  const active = document.activeElement;
  const focusLi = active && active.closest ? active.closest("li.chip") : null;
  const focusIndex = focusLi ? Number(focusLi.dataset.index) : -1;
  const focusClass = focusLi && active !== focusLi ? active.className : "";
  list.replaceChildren();
  state.chips.forEach((c, i) => {
    const li = document.createElement("li");
    li.className = `chip kind-${c.kind}`;
    li.dataset.gloss = c.gloss;
    li.dataset.kind = c.kind;
    li.dataset.index = String(i);
    li.dataset.mouthing = c.mouthing || "";
    li.tabIndex = 0;
    li.setAttribute("aria-label", chipLabel(c, i));
    const head = document.createElement("span");
    head.className = "chip-head";
    const g = document.createElement("span");
    g.className = "chip-gloss";
    // a spelled word reads as viewers will see it (M-E-I-E-R), its gloss notation (fs-MEIER) beside
    g.textContent = captionOf(c) || c.gloss;
    head.append(g);
    if (captionOf(c)) {
      const n = document.createElement("span");
      n.className = "chip-notation";
      n.textContent = c.gloss;
      n.title = "Glosse (Schreibweise für die Bearbeitung)";
      head.append(n);
    }
    const k = document.createElement("span");
    k.className = `kind kind-${c.kind}`;
    k.textContent = (c.kind === "unknown" ? "⚠ " : "") + (KIND_LABELS[c.kind] || c.kind);
    head.append(k);
    li.append(head);
    if (c.words.length) {
      const w = document.createElement("span");
      w.className = "chip-words";
      w.textContent = `„${c.words.join(" ")}“`;
      li.append(w);
    }
    if (c.sense) li.append(senseChoice(c, i));
    const m = document.createElement("span");
    m.className = `chip-mouthing${c.mouthing ? " changed" : ""}`;
    m.textContent = chipMouthing(c);
    li.append(m);
    const tools = document.createElement("span");
    tools.className = "chip-tools";
    tools.append(
      button("chip-left", "←", `${c.gloss} nach links`),
      button("chip-right", "→", `${c.gloss} nach rechts`),
      button("chip-replace", "Ersetzen", `Ersetzen: ${c.gloss}`),
      button("chip-fingerspell", "Buchstabieren", `Buchstabieren: ${c.gloss}`),
      button("chip-mouthing-edit", "Mundbild ändern", `Mundbild ändern: ${c.gloss}`),
      button("chip-delete", "Löschen", `Löschen: ${c.gloss}`),
    );
    li.append(tools);
    list.append(li);
  });
  $("chips-empty").hidden = state.chips.length > 0;
  if (focusIndex >= 0) focusChip(Math.min(focusIndex, state.chips.length - 1), focusClass);
}

function focusChip(i, cls) {
  if (i < 0 || !state.chips.length) { $("add-gloss").focus(); return; }
  const li = $("chips").children[i];
  const target = cls ? li.querySelector(`.${cls.split(" ")[0]}`) : null;
  (target || li).focus();
}

function moveChip(i, delta) {
  const j = i + delta;
  const c = state.chips[i];
  if (j < 0 || j >= state.chips.length) {
    say(`${c.gloss} steht schon ganz ${delta < 0 ? "links" : "rechts"}.`);
    return;
  }
  state.chips.splice(i, 1);
  state.chips.splice(j, 0, c);
  edited(`${c.gloss} ist jetzt an Stelle ${j + 1} von ${state.chips.length}.`);
  const li = $("chips").children[j];
  const btn = li.querySelector(delta < 0 ? ".chip-left" : ".chip-right");
  (document.activeElement && document.activeElement.classList.contains("chip") ? li : btn).focus();
}

function deleteChip(i) {
  const [c] = state.chips.splice(i, 1);
  edited(`${c.gloss} gelöscht. ${state.chips.length} Glossen übrig.`);
  focusChip(Math.min(i, state.chips.length - 1));
}

function spellLetters(word) {
  // Upper case letter by letter: "ß".toUpperCase() would be "SS", but the alphabet has its own ß.
  return Array.from(word.replace(/^fs-/i, ""))
    .filter((ch) => /[A-Za-zÄÖÜäöüß]/.test(ch))
    .map((ch) => (ch === "ß" ? ch : ch.toUpperCase()))
    .join("");
}

function fingerspellChip(i) {
  const c = state.chips[i];
  if (c.kind === "fingerspell") { say(`${c.gloss} wird schon buchstabiert.`); return; }
  const letters = spellLetters(c.words.length ? c.words.join("") : c.gloss);
  if (!letters) { say(`${c.gloss} hat keine Buchstaben zum Buchstabieren.`); return; }
  // an editor's mouthing stays (it is the word's); the default one becomes the spelled word's
  state.chips[i] = { ...c, gloss: `fs-${letters}`, kind: "fingerspell", shownMouthing: c.mouthing, mouthingSource: null,
    caption: null, sense: null };
  // the letter by letter reading (SCH is one letter) comes with the service's answer, on the chip
  edited(`${c.gloss} wird jetzt buchstabiert: fs-${letters}.`);
  focusChip(i, "chip-fingerspell");
}

function addFingerspelled() {
  const letters = spellLetters($("fs-word").value);
  if (!letters) {
    say("Bitte ein Wort mit Buchstaben (A–Z, Ä, Ö, Ü, ß) eingeben.");
    $("fs-word").focus();
    return;
  }
  state.chips.push({ gloss: `fs-${letters}`, kind: "fingerspell", words: [$("fs-word").value.trim()], nonmanual: [],
    mouthing: null, shownMouthing: null, mouthingSource: null, caption: null });
  $("fs-word").value = "";
  edited(`fs-${letters} angefügt (Stelle ${state.chips.length}).`);
}

function onChipClick(event) {
  const b = event.target.closest("button");
  const li = event.target.closest("li.chip");
  if (!b || !li) return;
  const i = Number(li.dataset.index);
  if (b.classList.contains("chip-left")) moveChip(i, -1);
  else if (b.classList.contains("chip-right")) moveChip(i, 1);
  else if (b.classList.contains("chip-delete")) deleteChip(i);
  else if (b.classList.contains("chip-replace")) openReplace(i);
  else if (b.classList.contains("chip-fingerspell")) fingerspellChip(i);
  else if (b.classList.contains("chip-mouthing-edit")) openMouthing(i);
}

function onChipKey(event) {
  const li = event.target.closest("li.chip");
  if (!li) return;
  const i = Number(li.dataset.index);
  if (event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
    event.preventDefault();
    moveChip(i, event.key === "ArrowLeft" ? -1 : 1);
  } else if (event.target === li && (event.key === "Delete" || event.key === "Backspace")) {
    event.preventDefault();
    deleteChip(i);
  }
}

// ---------- lexicon search (replace / add) ----------

async function loadLexicon() {
  if (state.lexicon) return state.lexicon;
  const { data } = await api("GET", "/v1/lexicon");
  const order = { lexical: 0, number: 1, letter: 2 };
  state.lexicon = (data.signs || []).slice().sort(
    (a, b) => (order[a.kind] ?? 0) - (order[b.kind] ?? 0) || a.gloss.localeCompare(b.gloss, "de"),
  );
  return state.lexicon;
}

async function openReplace(i) {
  if (state.mouthingAt !== null) closeMouthing(false);
  state.replaceAt = i;
  const panel = $("replace-panel");
  $("replace-title").textContent = i >= 0 ? `${state.chips[i].gloss} ersetzen durch …` : "Glosse hinzufügen";
  panel.hidden = false;
  const search = $("lexicon-search");
  search.value = "";
  search.focus();
  try {
    await loadLexicon();
    showResults();
  } catch (err) {
    $("lexicon-count").textContent = `Lexikon nicht geladen: ${err.message}`;
  }
}

function closeReplace() {
  const i = state.replaceAt;
  $("replace-panel").hidden = true;
  state.replaceAt = null;
  if (i !== null && i >= 0 && i < state.chips.length) focusChip(i, "chip-replace");
  else $("add-gloss").focus();
}

function matches(sign, q) {
  if (!q) return true;
  const hay = [sign.gloss, ...(sign.lemmas || []), sign.description || ""].join(" ").toLowerCase();
  return q.split(/\s+/).every((part) => hay.includes(part));
}

function showResults() {
  const q = $("lexicon-search").value.trim().toLowerCase();
  const all = (state.lexicon || []).filter((s) => matches(s, q));
  const list = $("lexicon-results");
  list.replaceChildren();
  for (const s of all.slice(0, MAX_RESULTS)) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.gloss = s.gloss;
    const lemmas = (s.lemmas || []).join(", ");
    b.textContent = lemmas ? `${s.gloss} – ${lemmas}` : s.gloss;
    li.append(b);
    list.append(li);
  }
  $("lexicon-count").textContent = all.length > MAX_RESULTS
    ? `${all.length} Treffer, die ersten ${MAX_RESULTS} angezeigt: Suche verfeinern.`
    : `${all.length} Treffer.`;
}

function chooseSign(gloss) {
  const sign = (state.lexicon || []).find((s) => s.gloss === gloss);
  const kind = sign && sign.kind === "number" && /^\d+$/.test(gloss) ? "number" : "lexicon";
  const i = state.replaceAt;
  let msg;
  if (i !== null && i >= 0) {
    const old = state.chips[i];
    // another sign: its own default mouthing, not the one chosen for the old sign
    state.chips[i] = { ...old, gloss, kind, mouthing: null, shownMouthing: null, mouthingSource: null, sense: null };
    msg = `${old.gloss} durch ${gloss} ersetzt.`;
    if (old.mouthing) msg += ` Das Mundbild „${mouthingName(old.mouthing)}“ gilt nicht mehr: Standard.`;
  } else {
    state.chips.push({ gloss, kind, words: [], nonmanual: [], mouthing: null, shownMouthing: null, mouthingSource: null });
    msg = `${gloss} angefügt (Stelle ${state.chips.length}).`;
  }
  state.replaceAt = i !== null && i >= 0 ? i : state.chips.length - 1;
  edited(msg);
  closeReplace();
}

// ---------- mouthing (Mundbild) ----------

function openMouthing(i) {
  if (state.replaceAt !== null) closeReplace();
  state.mouthingAt = i;
  const c = state.chips[i];
  $("mouthing-title").textContent = `Mundbild ändern: ${c.gloss}`;
  $("mouthing-current").textContent = `Jetzt: ${mouthingName(c.mouthing || c.shownMouthing)}` +
    (c.mouthing ? " (von Ihnen gewählt)." : " (Standard).");
  const word = $("mouthing-word");
  word.value = c.mouthing && !(c.mouthing in MOUTH_GESTURES) ? c.mouthing : "";
  markWord(true);
  for (const b of $("mouthing-panel").querySelectorAll(".mouthing-gesture")) {
    b.setAttribute("aria-pressed", String(b.dataset.mouthing === c.mouthing));
  }
  $("mouthing-default").disabled = !c.mouthing;
  $("mouthing-panel").hidden = false;
  word.focus();
}

function closeMouthing(refocus = true) {
  const i = state.mouthingAt;
  $("mouthing-panel").hidden = true;
  state.mouthingAt = null;
  if (refocus && i !== null && i < state.chips.length) focusChip(i, "chip-mouthing-edit");
}

function markWord(ok) {
  const word = $("mouthing-word");
  if (ok) word.removeAttribute("aria-invalid");
  else word.setAttribute("aria-invalid", "true");
}

function setMouthing(mouthing) {
  // mouthing: a word or a gesture name; null: back to the default
  const i = state.mouthingAt;
  if (i === null || i >= state.chips.length) return;
  const c = state.chips[i];
  state.chips[i] = { ...c, mouthing, shownMouthing: mouthing, mouthingSource: mouthing ? "editor" : null };
  const msg = mouthing
    ? `Mundbild von ${c.gloss}: ${mouthingName(mouthing)}.`
    : `Mundbild von ${c.gloss}: wieder der Standard.`;
  closeMouthing(false);
  edited(msg);
  focusChip(i, "chip-mouthing-edit");
}

function applyMouthingWord() {
  const raw = $("mouthing-word").value.trim();
  const word = raw.toLowerCase();
  let problem = "";
  if (!word) problem = "Bitte ein Wort eingeben oder eine Mundgestik wählen.";
  else if (word.length > MAX_MOUTHING_CHARS) problem = `Höchstens ${MAX_MOUTHING_CHARS} Zeichen: bitte ein Wort.`;
  else if (!MOUTHING_WORD.test(word)) {
    problem = `„${raw}“ ist kein einzelnes Wort: nur Buchstaben (a–z, ä, ö, ü, ß) und Bindestrich, ohne Leerzeichen.`;
  }
  if (problem) {
    markWord(false);
    say(problem);
    $("mouthing-word").focus();
    return;
  }
  setMouthing(word);
}

// ---------- skeleton preview ----------

const anim = { data: null, box: null, start: 0, last: -1, shown: 0, first: true, stale: false, raf: 0 };

function schedulePreview() {
  // the attributes describe the preview of the current chips: reset them on every edit
  const canvas = $("preview");
  anim.stale = true;  // the running loop keeps drawing the old preview but no longer counts it
  canvas.dataset.framesShown = "0";
  delete canvas.dataset.previewMs;
  window.clearTimeout(state.previewTimer);
  state.previewTimer = window.setTimeout(runPreview, PREVIEW_DEBOUNCE_MS);
}

async function runPreview() {
  const seq = ++state.previewSeq;
  const editAt = state.editAt;
  const canvas = $("preview");
  if (!state.chips.length) { stopPreview("Keine Glossen."); return; }
  const unknown = state.chips.filter((c) => c.kind === "unknown").map((c) => c.gloss);
  if (unknown.length) { stopPreview(`Unbekannt: ${unknown.join(", ")} – ersetzen oder buchstabieren.`); return; }
  try {
    const { data } = await api("POST", "/v1/preview", { glosses: glossString() });
    if (seq !== state.previewSeq) return;  // a newer edit is on its way
    syncTokens(data.tokens || data.glosses || []);
    startPreview(data, editAt);
  } catch (err) {
    if (seq !== state.previewSeq) return;
    stopPreview("Keine Vorschau.");
    say(`Vorschau fehlgeschlagen: ${err.message}`);
  }
  canvas.dataset.previewSeq = String(seq);
}

function syncTokens(tokens) {
  // The service knows best where each gloss's motion comes from (e.g. a lexicon gloss typed in) and
  // what each sign mouths by default (the lexicon's mouthing).
  if (tokens.length !== state.chips.length) return;
  let changed = false;
  tokens.forEach((t, i) => {
    const c = state.chips[i];
    if (t.gloss !== c.gloss) return;
    if (t.kind && t.kind !== c.kind) { c.kind = t.kind; changed = true; }
    if (t.caption && t.caption !== c.caption) { c.caption = t.caption; changed = true; }
    if (t.mouthing && (t.mouthing !== c.shownMouthing || t.mouthing_source !== c.mouthingSource)) {
      c.shownMouthing = t.mouthing;
      c.mouthingSource = t.mouthing_source || null;
      changed = true;
    }
  });
  if (changed) renderChips();
}

function frameTokens(labels, tokens) {
  // The token signed in each frame (-1 in rests): the frames' labels name the glosses in order.
  const out = [];
  let next = 0, prev = "", current = -1;
  for (const label of labels) {
    if (label !== prev) {
      current = -1;
      const j = label ? tokens.findIndex((t, k) => k >= next && t.gloss === label) : -1;
      if (j >= 0) { current = j; next = j + 1; }
      prev = label;
    }
    out.push(current);
  }
  return out;
}

function stopPreview(message) {
  window.cancelAnimationFrame(anim.raf);
  anim.data = null;
  const canvas = $("preview");
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#f4f4f4";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#333";
  ctx.font = "16px sans-serif";
  ctx.fillText(message, 12, 28, canvas.width - 24);
  canvas.dataset.framesShown = "0";
  $("preview-info").textContent = message;
}

function bounds(frames) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const f of frames) for (const p of f) {
    x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]); y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]);
  }
  return { x0, x1, y0, y1 };
}

function startPreview(data, editAt) {
  window.cancelAnimationFrame(anim.raf);
  const frames = data.frames || [];
  if (!frames.length) { stopPreview("Keine Bewegung."); return; }
  const names = data.joints || [];
  const tokens = data.tokens || data.glosses || [];
  const labels = data.labels || [];
  anim.data = {
    frames, parents: data.parents || [], fps: data.fps || 12.5, names, labels, tokens,
    frameToken: frameTokens(labels, tokens),
    hand: names.map((n) => (/^(wrist|metacarpal|finger)/.test(n) ? (n.endsWith(".L") ? "L" : "R") : "")),
    tips: names.map((n) => /^finger\d-3/.test(n)),
    head: names.indexOf("head"),
    eyes: [names.indexOf("eye.L"), names.indexOf("eye.R")].filter((i) => i >= 0),
  };
  anim.box = bounds(frames);
  anim.start = performance.now();
  anim.last = -1;
  anim.shown = 0;
  anim.first = true;
  anim.stale = false;
  anim.editAt = editAt;
  const secs = (frames.length / anim.data.fps).toFixed(1);
  // each sign as viewers will read it, the gloss notation beside where that differs (fs-MEIER)
  const signs = tokens.map((t) => {
    const shown = t.caption && t.caption !== t.gloss ? `${t.caption} (${t.gloss}, ` : `${t.gloss} (`;
    return `${shown}Mundbild: ${mouthingName(t.mouthing)})`;
  }).join(", ");
  $("preview-info").textContent =
    `Skelett-Vorschau: ${signs} – ${secs} s, läuft in Schleife. Rechte Hand orange, linke Hand blau.`;
  anim.raf = window.requestAnimationFrame(tick);
}

function tick(now) {
  const d = anim.data;
  if (!d) return;
  const i = Math.floor(((now - anim.start) / 1000) * d.fps) % d.frames.length;
  if (i !== anim.last) {
    const token = d.tokens[d.frameToken[i]];
    // the frame's sign as the captions will show it (M-E-I-E-R, not the notation fs-MEIER)
    const label = token ? token.caption || token.gloss : d.labels[i] || "";
    drawFrame(d.frames[Math.max(0, i)], label, token ? token.mouthing : "");
    anim.last = i;
    if (anim.stale) { anim.raf = window.requestAnimationFrame(tick); return; }
    anim.shown += 1;
    const canvas = $("preview");
    if (anim.first) {
      anim.first = false;
      canvas.dataset.previewMs = String(Math.round(performance.now() - anim.editAt));
    }
    canvas.dataset.framesShown = String(anim.shown);
  }
  anim.raf = window.requestAnimationFrame(tick);
}

function drawFrame(points, label, mouthing) {
  // Front view: the viewer faces the signer, so the signer's left (+X) is on the screen's right.
  const canvas = $("preview");
  const ctx = canvas.getContext("2d");
  const { width: w, height: h } = canvas;
  const b = anim.box;
  const pad = 0.08;
  const scale = Math.min(w / (b.x1 - b.x0 + 2 * pad), h / (b.y1 - b.y0 + 2 * pad));
  const cx = w / 2 - ((b.x0 + b.x1) / 2) * scale;
  const cy = h / 2 + ((b.y0 + b.y1) / 2) * scale;
  const sx = (p) => cx + p[0] * scale;
  const sy = (p) => cy - p[1] * scale;
  const d = anim.data;
  ctx.fillStyle = "#fbfbfb";
  ctx.fillRect(0, 0, w, h);
  ctx.lineCap = "round";
  const colour = { "": "#555", R: "#c2410c", L: "#1d4ed8" };
  for (const pass of ["", "hand"]) {  // hands last, on top
    points.forEach((p, j) => {
      const parent = d.parents[j];
      if (parent === undefined || parent < 0) return;
      const hand = d.hand[j];
      if ((pass === "hand") !== Boolean(hand)) return;
      ctx.strokeStyle = colour[hand];
      ctx.lineWidth = hand ? 3.5 : 5;
      ctx.beginPath();
      ctx.moveTo(sx(points[parent]), sy(points[parent]));
      ctx.lineTo(sx(p), sy(p));
      ctx.stroke();
    });
  }
  points.forEach((p, j) => {
    if (!d.tips[j]) return;
    ctx.fillStyle = colour[d.hand[j]];
    ctx.beginPath();
    ctx.arc(sx(p), sy(p), 4, 0, 2 * Math.PI);
    ctx.fill();
  });
  if (d.eyes.length === 2) {
    const e = d.eyes.map((k) => points[k]);
    const mid = [(e[0][0] + e[1][0]) / 2, (e[0][1] + e[1][1]) / 2];
    ctx.strokeStyle = "#555";
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.ellipse(sx(mid), sy(mid) + 0.02 * scale, 0.075 * scale, 0.1 * scale, 0, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.fillStyle = "#555";
    for (const p of e) { ctx.beginPath(); ctx.arc(sx(p), sy(p), 3, 0, 2 * Math.PI); ctx.fill(); }
  }
  canvas.dataset.caption = label;  // what the frame says it signs, for a reader of the page and its tests
  if (label) {  // the sign of this frame as the captions name it, and what the mouth shows with it
    ctx.fillStyle = "#1a1a1a";
    ctx.font = "bold 20px sans-serif";
    ctx.fillText(label, 12, 30, w - 24);
    if (mouthing) {
      ctx.font = "16px sans-serif";
      ctx.fillText(`Mundbild: ${mouthingName(mouthing)}`, 12, 54, w - 24);
    }
  }
}

// ---------- full render ----------

async function renderClip() {
  if (!state.chips.length) { say("Keine Glossen: erst übersetzen."); $("text").focus(); return; }
  const glosses = glossString();
  $("render").disabled = true;
  say("Video wird angefordert …");
  try {
    const body = { glosses, options: {} };
    if (state.sourceText) body.source_text = state.sourceText;
    let { data } = await api("POST", "/v1/clips", body);
    state.clip = { id: data.id, glosses, status: data.status, review_state: data.review_state || "draft" };
    updateReviewButtons();
    showEmbedCode();
    const started = performance.now();
    while (data.status !== "done" && data.status !== "failed") {
      say(data.status === "queued" ? "Video wartet auf die Erstellung …" : "Video wird erstellt …");
      await new Promise((r) => window.setTimeout(r, POLL_MS));
      ({ data } = await api("GET", `/v1/clips/${data.id}`));
    }
    if (data.status === "failed") throw new Error(data.detail || "die Erstellung ist gescheitert");
    state.clip = { id: data.id, glosses, status: "done", review_state: data.review_state || "draft" };
    showVideo(data);
    showEmbedCode();  // a clip rendered and approved before has its code at once
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    say(`Video fertig (${secs} s). Status: ${REVIEW_LABELS[state.clip.review_state] || state.clip.review_state}.`);
    await loadReviews();
  } catch (err) {
    say(`Video nicht erstellt: ${err.message}`);
  } finally {
    $("render").disabled = false;
    updateReviewButtons();
  }
}

function showVideo(data) {
  const video = $("video");
  const urls = data.urls || {};
  video.replaceChildren();
  video.poster = urls.poster || "";
  video.src = urls.video || `/v1/clips/${data.id}/video`;
  if (urls.subtitles) {
    const track = document.createElement("track");
    Object.assign(track, { kind: "captions", srclang: "de", label: "Glossen", src: urls.subtitles, default: true });
    video.append(track);
  }
  $("view-choice").hidden = false;
  showView();
  $("clip-info").textContent = `Video ${data.id}: ${data.gloss_string || state.clip.glosses}` +
    (data.duration ? `, ${Number(data.duration).toFixed(1)} s` : "");
}

// ---------- video or 3D player ----------

// The player chosen by a radio group ("view-player": how the editor shows the clip; "embed-player":
// the player the embed code names): "video" or "3d".
function chosenPlayer(group) {
  const checked = document.querySelector(`input[name='${group}']:checked`);
  return checked ? checked.value : "video";
}

// The rendered clip as video, or in the 3D player (an <iframe> of GET /editor/clips/{id}/player3d,
// a draft labelled as such). The iframe cannot send the editor key: the address carries a
// short-lived ticket from GET /editor/clips/{id}/player3d/link, which needs the key.
async function showView() {
  const c = state.clip;
  const video = $("video"), frame = $("player3d-frame");
  const seq = ++state.viewSeq;
  if (!c || c.status !== "done") { video.hidden = true; frame.hidden = true; return; }
  if (chosenPlayer("view-player") !== "3d") {
    frame.hidden = true;
    frame.removeAttribute("src");  // stops the 3D player drawing
    video.hidden = false;
    return;
  }
  video.pause();
  video.hidden = true;
  try {
    const { data } = await api("GET", `/editor/clips/${c.id}/player3d/link`);
    if (seq !== state.viewSeq) return;  // another clip or view was chosen meanwhile
    frame.src = data.url;
    frame.hidden = false;
    say(c.review_state === "approved" ? "3D-Player geladen." : "3D-Player geladen (Entwurf, nicht freigegeben).");
  } catch (err) {
    if (seq !== state.viewSeq) return;
    say(`3D-Player nicht geladen: ${err.message}`);
  }
}

// The 3D player says how tall it is (player.js postHeight): the iframe follows, as the embed snippet's script does.
window.addEventListener("message", (e) => {
  const frame = $("player3d-frame");
  const d = e.data;
  if (e.origin !== window.location.origin || !frame || e.source !== frame.contentWindow) return;
  if (!d || d.type !== "signavatar:height") return;
  frame.style.height = `${Math.max(80, Math.min(4000, Math.ceil(Number(d.height)) || 0))}px`;
});

// ---------- review ----------

function updateReviewButtons() {
  const c = state.clip;
  const current = c && c.status === "done" && c.glosses === glossString();
  $("approve").disabled = !current;
  $("reject").disabled = !current;
  const el = $("review-state");
  if (!c) el.textContent = "Noch kein Video erstellt.";
  else if (c.status !== "done") el.textContent = "Video wird erstellt …";
  else if (!current) el.textContent = "Glossen geändert: erst ein neues Video erstellen, dann freigeben.";
  else el.textContent = `Prüfstatus: ${REVIEW_LABELS[c.review_state] || c.review_state}.`;
}

function editorName() {
  const name = $("editor-name").value.trim();
  if (!name) { say("Bitte Ihren Namen eingeben."); $("editor-name").focus(); }
  return name;
}

async function review(action) {
  const c = state.clip;
  const editor = editorName();
  if (!c || !editor) return;
  let body;
  if (action === "approve") {
    body = { editor, comment: $("comment").value.trim() };
  } else {
    const reason = $("reason").value.trim();
    if (!reason) { say("Bitte einen Grund für die Ablehnung eingeben."); $("reason").focus(); return; }
    body = { editor, reason };
  }
  try {
    const { data } = await api("POST", `/v1/clips/${c.id}/${action}`, body);
    c.review_state = data.review_state || (action === "approve" ? "approved" : "rejected");
    const link = $("embed-link");
    if (c.review_state === "approved") {
      link.href = `/embed/${c.id}`;
      link.hidden = false;
      say(`Freigegeben von ${editor}. Die Glossen sind für diesen Satz gespeichert; das Video ist jetzt einbettbar.`);
    } else {
      link.hidden = true;
      say(`Abgelehnt von ${editor}. Der Grund ist im Prüfprotokoll gespeichert.`);
    }
    updateReviewButtons();
    showEmbedCode();
    if (chosenPlayer("view-player") === "3d") showView();  // the 3D player's label follows the review state
    await loadReviews();
  } catch (err) {
    say(`${action === "approve" ? "Freigabe" : "Ablehnung"} fehlgeschlagen: ${err.message}`);
  }
}

async function loadReviews() {
  const list = $("reviews");
  const c = state.clip;
  if (!c) return;
  try {
    const { data } = await api("GET", `/v1/clips/${c.id}/reviews`);
    list.replaceChildren();
    for (const e of data.entries || []) {
      const li = document.createElement("li");
      const when = e.time ? new Date(e.time).toLocaleString("de-DE") : "";
      const what = e.action === "approve" || e.action === "approved" ? "freigegeben" : "abgelehnt";
      const note = e.comment || e.reason || "";
      li.textContent = `${when}: ${what} von ${e.editor}${note ? ` – „${note}“` : ""}`;
      list.append(li);
    }
    if (!list.children.length) list.innerHTML = "<li>Noch nicht geprüft (Entwurf).</li>";
  } catch (err) {
    list.innerHTML = "";
    const li = document.createElement("li");
    li.textContent = `Protokoll nicht geladen: ${err.message}`;
    list.append(li);
  }
}

// ---------- embed code ----------

function embedStatus(message) {
  const el = $("embed-code-status");
  el.textContent = "";
  window.setTimeout(() => { el.textContent = message; }, 30);  // announced again when repeated
}

// The approved clip's <iframe> (GET /embed/{id}/snippet) in a read-only field; before approval a note.
async function showEmbedCode() {
  const c = state.clip;
  const approved = Boolean(c) && c.status === "done" && c.review_state === "approved";
  const seq = ++state.embedSeq;
  $("embed-code-panel").hidden = !approved;
  $("embed-note").hidden = approved;
  $("embed-code").value = "";
  if (!approved) return;
  const player = chosenPlayer("embed-player");
  try {
    const { data } = await api("GET", `/embed/${c.id}/snippet?player=${encodeURIComponent(player)}`);
    if (seq !== state.embedSeq) return;  // another clip or player was chosen meanwhile
    const code = $("embed-with-script").checked ? `${data.embed_html}\n${data.embed_script}` : data.embed_html;
    $("embed-code").value = code;
    $("embed-code").dataset.player = player;
    embedStatus(`Einbettungscode für den ${player === "3d" ? "3D-Player" : "Video-Player"} bereit.`);
  } catch (err) {
    if (seq !== state.embedSeq) return;
    embedStatus(`Einbettungscode nicht geladen: ${err.message}`);
  }
}

async function copyEmbedCode() {
  const area = $("embed-code");
  if (!area.value) { embedStatus("Noch kein Einbettungscode."); return; }
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard API");
    await navigator.clipboard.writeText(area.value);
    embedStatus("Code kopiert: jetzt in die Webseite einfügen.");
  } catch (_) {
    // no clipboard API (not https, or refused): select the code for Strg+C
    area.focus();
    area.select();
    let copied = false;
    try { copied = document.execCommand("copy"); } catch (_) { copied = false; }
    embedStatus(copied ? "Code kopiert: jetzt in die Webseite einfügen."
      : "Code markiert: mit Strg+C (Mac: Befehlstaste+C) kopieren.");
  }
}

// ---------- batch ----------

function batchLines() {
  return $("batch-text").value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean).slice(0, 500);
}

function updateBatch() {
  const pick = $("batch-pick");
  const lines = batchLines();
  pick.replaceChildren();
  const first = document.createElement("option");
  first.value = "";
  first.textContent = lines.length ? `– ${lines.length} Sätze: einen wählen –` : "– erst Sätze einfügen –";
  pick.append(first);
  lines.forEach((line, i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = `${i + 1}. ${line.length > 90 ? `${line.slice(0, 89)}…` : line}`;
    pick.append(o);
  });
  pick.disabled = !lines.length;
}

function pickBatch() {
  const i = $("batch-pick").value;
  if (i === "") return;
  $("text").value = batchLines()[Number(i)];
  analyse();
}

// ---------- start ----------

function init() {
  rememberKeyAndName("editor-name", NAME_STORE);

  $("analyse").addEventListener("click", analyse);
  $("text").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); analyse(); }
  });
  $("chips").addEventListener("click", onChipClick);
  $("chips").addEventListener("keydown", onChipKey);
  $("chips").addEventListener("change", (e) => {
    const select = e.target.closest("select.chip-sense-choice");
    if (select) chooseSense(Number(select.closest("li.chip").dataset.index), Number(select.value));
  });
  $("add-gloss").addEventListener("click", () => openReplace(-1));
  $("add-fs").addEventListener("click", addFingerspelled);
  $("fs-word").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); addFingerspelled(); } });
  $("lexicon-search").addEventListener("input", showResults);
  $("lexicon-search").addEventListener("keydown", (e) => {
    const first = $("lexicon-results").querySelector("button");
    if (e.key === "Enter" && first) { e.preventDefault(); chooseSign(first.dataset.gloss); }
    if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
  });
  $("lexicon-results").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-gloss]");
    if (b) chooseSign(b.dataset.gloss);
  });
  $("lexicon-results").addEventListener("keydown", (e) => {
    const items = Array.from($("lexicon-results").querySelectorAll("button"));
    const i = items.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < items.length - 1) { e.preventDefault(); items[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? items[i - 1] : $("lexicon-search")).focus(); }
  });
  $("replace-panel").addEventListener("keydown", (e) => { if (e.key === "Escape") closeReplace(); });
  $("replace-cancel").addEventListener("click", closeReplace);
  $("mouthing-apply").addEventListener("click", applyMouthingWord);
  $("mouthing-word").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); applyMouthingWord(); }
  });
  $("mouthing-word").addEventListener("input", () => markWord(true));
  $("mouthing-panel").addEventListener("click", (e) => {
    const b = e.target.closest("button.mouthing-gesture");
    if (b) setMouthing(b.dataset.mouthing);
  });
  $("mouthing-panel").addEventListener("keydown", (e) => { if (e.key === "Escape") closeMouthing(); });
  $("mouthing-default").addEventListener("click", () => setMouthing(null));
  $("mouthing-cancel").addEventListener("click", () => closeMouthing());
  $("render").addEventListener("click", renderClip);
  $("approve").addEventListener("click", () => review("approve"));
  $("reject").addEventListener("click", () => review("reject"));
  for (const radio of document.querySelectorAll("input[name='embed-player']")) {
    radio.addEventListener("change", showEmbedCode);
  }
  $("embed-with-script").addEventListener("change", showEmbedCode);
  for (const radio of document.querySelectorAll("input[name='view-player']")) {
    radio.addEventListener("change", showView);
  }
  $("copy-embed").addEventListener("click", copyEmbedCode);
  $("batch-text").addEventListener("input", updateBatch);
  $("batch-pick").addEventListener("change", pickBatch);
  renderChips();
  updateReviewButtons();
  stopPreview("Noch keine Glossen.");
}

document.addEventListener("DOMContentLoaded", init);
