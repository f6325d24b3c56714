// The lexicon review page (/editor/lexikon): every sign plays as a looping clip (normal or slowed),
// with its German description, the words it serves and where approved clips use it; a reviewer
// approves it, rejects it with a reason or proposes a fix, and may upload a recording of a signer as
// a new revision. Plain JS, no build step, no external URL. Clips and details load only for the cards
// in view (500 signs).
"use strict";

const NAME_STORE = "signavatar-reviewer-name";
const STATES = {
  unreviewed: "ungeprüft", approved: "freigegeben", rejected: "abgelehnt", proposed: "Korrektur vorgeschlagen",
};
const KINDS = { lexical: "Gebärde", letter: "Buchstabe (Fingeralphabet)", number: "Zahl" };
const HANDS = { one: "eine Hand", two: "zwei Hände" };
const SOURCES = { "hand-authored": "von Hand erstellt", recorded: "Aufnahme", captured: "Videoaufnahme" };
const SLOW_SPEED = "0.5";
const POLL_MS = 1000;
const POLL_LIMIT_MS = 5 * 60 * 1000;
const UPLOAD_ROUTE = "/v1/lexicon/{gloss}/recordings";
// the licences the service records under (api/sign_recording_api.py LICENCES) and how the page names them
const LICENCES = [["CC-BY-4.0", "CC BY 4.0"], ["CC-BY-SA-4.0", "CC BY-SA 4.0"], ["CC0-1.0", "CC0 1.0"],
  ["Eigentum der Stadt", "Eigentum der Stadt"]];

let signs = [];
let uploads = true; // false when this service takes no recordings (the route is not there)
let observer = null;
let serial = 0;

const q = (gloss) => encodeURIComponent(gloss);
const stateOf = (s) => (s.review && s.review.state) || (s.reviewed ? "approved" : "unreviewed");
const autoplay = () => $("autoplay").checked;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function uid(prefix) {
  serial += 1;
  return `${prefix}-${serial}`;
}

function term(dl, name, value, cls) {
  const dd = el("dd", { text: value || "–" });
  if (cls) dd.className = cls;
  dl.append(el("dt", { text: name }), dd);
  return dd;
}

function clipUrl(s, slow) {
  const version = s.form ? `&v=${encodeURIComponent(s.form)}` : "";
  return `/v1/lexicon/${q(s.gloss)}/clip.mp4?speed=${slow ? SLOW_SPEED : "1.0"}${version}`;
}

// ---- the clip -------------------------------------------------------------------------------

function clipFigure(s) {
  const video = el("video", { class: "sign-clip", width: 288, height: 288, preload: "none" });
  video.muted = true;
  video.loop = true;
  video.playsInline = true;
  video.setAttribute("muted", "");
  video.setAttribute("playsinline", "");
  video.setAttribute("aria-label", `Gebärde ${s.gloss} als Video in Schleife`);
  const note = el("figcaption", { class: "help" });
  const play = el("button", { type: "button", class: "play", text: "Abspielen" });
  play.setAttribute("aria-label", `Video ${s.gloss} abspielen`);
  const slowId = uid("slow");
  const slow = el("input", { type: "checkbox", id: slowId, class: "slow" });
  const controls = el("div", { class: "clip-controls" }, play,
    el("span", { class: "check" }, slow, el("label", { for: slowId, text: "langsam (halbe Geschwindigkeit)" })));
  const showPlaying = () => {
    const playing = !video.paused;
    play.textContent = playing ? "Anhalten" : "Abspielen";
    play.setAttribute("aria-label", `Video ${s.gloss} ${playing ? "anhalten" : "abspielen"}`);
  };
  video.addEventListener("play", showPlaying);
  video.addEventListener("pause", showPlaying);
  video.addEventListener("error", () => {
    if (video.getAttribute("src")) note.textContent = "Video nicht verfügbar.";
  });
  video.addEventListener("loadeddata", () => { note.textContent = ""; });
  play.addEventListener("click", () => {
    if (!video.getAttribute("src")) {
      video.dataset.wantPlay = "1";
      note.textContent = "Video wird geladen …";
      queueClip(video, s, slow.checked, true);
    } else if (video.paused) {
      startVideo(video);
    } else {
      video.pause();
      showPlaying(); // at once: the pause event comes later
    }
  });
  slow.addEventListener("change", () => {
    video.dataset.wantPlay = "1";
    queueClip(video, s, slow.checked, true);
    say(`${s.gloss}: ${slow.checked ? "langsam (halbe Geschwindigkeit)" : "normale Geschwindigkeit"}.`);
  });
  return el("figure", { class: "clip" }, video, controls, note);
}

// At most MAX_LOADING clips load at once, the ones asked for by a click first: the service renders
// one at a time, and the browser's few connections to it are needed by the page's own requests too.
const MAX_LOADING = 2;
const clipQueue = []; // {video, s, slow}
const loadingClips = new Set();

function queueClip(video, s, slow, first) {
  settle(video);
  dropQueued(video);
  if (first) clipQueue.unshift({ video, s, slow });
  else clipQueue.push({ video, s, slow });
  pumpClips();
}

function dropQueued(video) {
  const i = clipQueue.findIndex((job) => job.video === video);
  if (i >= 0) clipQueue.splice(i, 1);
}

// The clip of `video` has loaded, failed or is replaced: its place is free.
function settle(video) {
  if (video.clipDone) {
    video.removeEventListener("loadeddata", video.clipDone);
    video.removeEventListener("error", video.clipDone);
    video.clipDone = null;
  }
  if (loadingClips.delete(video)) pumpClips();
}

function pumpClips() {
  while (loadingClips.size < MAX_LOADING && clipQueue.length) {
    const { video, s, slow } = clipQueue.shift();
    if (!video.isConnected) continue;
    loadingClips.add(video);
    video.clipDone = () => settle(video);
    video.addEventListener("loadeddata", video.clipDone);
    video.addEventListener("error", video.clipDone);
    loadClip(video, s, slow);
    if (video.dataset.wantPlay === "1") startVideo(video);
  }
}

// The list is drawn anew: the clips of the old cards stop loading.
function dropAllClips() {
  clipQueue.length = 0;
  for (const video of loadingClips) {
    video.removeAttribute("src");
    video.load();
  }
  loadingClips.clear();
}

function loadClip(video, s, slow) {
  video.preload = "auto";
  video.dataset.speed = slow ? SLOW_SPEED : "1.0";
  video.src = clipUrl(s, slow);
  video.load();
}

function startVideo(video) {
  const p = video.play();
  if (p && p.catch) p.catch(() => {}); // a pause before it started, or the clip failed (the error event says so)
}

// ---- the card -------------------------------------------------------------------------------

function card(s) {
  const li = el("li", { class: "sign" });
  li.dataset.gloss = s.gloss;
  const title = el("h2", { id: uid("sign"), text: s.gloss });
  li.setAttribute("aria-labelledby", title.id);
  const dl = el("dl");
  term(dl, "Wörter", (s.lemmas || []).join(", "), "words");
  const description = term(dl, "Beschreibung", s.description_de || s.description, "description");
  if (!s.description_de && s.description) description.lang = "en"; // no German one yet: read it as English
  term(dl, "Art", KINDS[s.kind] || s.kind);
  term(dl, "Hände", HANDS[s.hands] || (s.hands ? String(s.hands) : ""));
  term(dl, "Quelle", (SOURCES[s.source] || s.source) + (s.revision ? ` (Version ${s.revision})` : ""), "source");
  term(dl, "Prüfstatus", "", "state");
  const used = el("div", { class: "used-in" }, el("h3", { text: "Verwendet in" }),
    el("p", { class: "help used-in-list", text: "wird geladen, sobald sichtbar …" }));
  const last = el("p", { class: "last-review help" });
  li.append(title, clipFigure(s), dl, last, used, reviewActions(s, li));
  if (uploads) li.append(uploadPanel(s, li));
  showState(li, s);
  return li;
}

function showState(li, s) {
  const state = stateOf(s);
  li.dataset.state = state;
  li.classList.toggle("reviewed", state === "approved");
  li.classList.toggle("rejected", state === "rejected");
  li.classList.toggle("proposed", state === "proposed");
  const dd = li.querySelector("dd.state");
  dd.textContent = STATES[state] || state;
  // Approved: the button says so and does nothing (aria-disabled keeps the focus on it); a new
  // revision starts unreviewed, approvable again.
  const approve = li.querySelector("button.approve");
  const done = state === "approved";
  approve.setAttribute("aria-disabled", String(done));
  approve.textContent = done ? "Freigegeben ✓" : "Freigeben";
  approve.setAttribute("aria-label", done ? `${s.gloss} freigegeben` : `${s.gloss} freigeben`);
  dd.className = `state ${state === "approved" ? "ok" : state === "unreviewed" ? "warn" : "bad"}`;
}

// Details for a card in view: where approved clips use the sign, the latest review's words.
async function loadDetails(li, s) {
  const list = li.querySelector(".used-in-list");
  list.textContent = "lädt …";
  try {
    const { data } = await api("GET", `/v1/lexicon/${q(s.gloss)}`);
    showUsedIn(li, data.used_in);
    showLastReview(li, data.reviews || []);
  } catch (err) {
    list.textContent = `Nicht geladen: ${err.message}`;
  }
}

function showUsedIn(li, usedIn) {
  const old = li.querySelector(".used-in-list");
  if (!Array.isArray(usedIn)) {
    old.replaceWith(el("p", { class: "help used-in-list", text: "Keine Angabe (der Dienst nennt die Clips nicht)." }));
    return;
  }
  if (!usedIn.length) {
    old.replaceWith(el("p", { class: "help used-in-list", text: "in keinem freigegebenen Clip" }));
    return;
  }
  const ul = el("ul", { class: "used-in-list" });
  for (const u of usedIn) {
    const glosses = Array.isArray(u.glosses) ? u.glosses.join(" ") : String(u.glosses || "");
    const a = el("a", { href: `/embed/${encodeURIComponent(u.clip_id)}`, text: u.text || glosses || u.clip_id });
    ul.append(el("li", {}, a, u.text && glosses ? el("span", { class: "help", text: ` (${glosses})` }) : ""));
  }
  old.replaceWith(ul);
}

function showLastReview(li, reviews) {
  const p = li.querySelector(".last-review");
  const r = reviews[reviews.length - 1];
  if (!r) { p.textContent = ""; return; }
  const words = r.reason || r.proposal || r.comment || r.note || "";
  const who = r.editor || r.reviewer || "";
  const when = r.time ? new Date(r.time).toLocaleString("de-DE") : "";
  const what = STATES[r.action] || (r.action === "reviewed" ? "freigegeben" : r.action);
  p.textContent = `Zuletzt ${what}${who ? ` von ${who}` : ""}${when ? ` am ${when}` : ""}${words ? `: „${words}“` : "."}`;
}

// ---- review ---------------------------------------------------------------------------------

function reviewActions(s, li) {
  const approve = el("button", { type: "button", class: "primary approve", text: "Freigeben" });
  approve.setAttribute("aria-label", `${s.gloss} freigeben`);
  const reject = el("button", { type: "button", class: "reject", text: "Ablehnen" });
  reject.setAttribute("aria-label", `${s.gloss} ablehnen`);
  const propose = el("button", { type: "button", class: "propose", text: "Korrektur vorschlagen" });
  propose.setAttribute("aria-label", `Korrektur für ${s.gloss} vorschlagen`);
  const slot = el("div", { class: "review-slot" });
  approve.addEventListener("click", () => {
    if (stateOf(s) === "approved") say(`${s.gloss} ist bereits freigegeben.`);
    else review(s, li, "approved", "", approve);
  });
  reject.addEventListener("click", () => openReviewForm(s, li, slot, "rejected", reject));
  propose.addEventListener("click", () => openReviewForm(s, li, slot, "proposed", propose));
  return el("div", { class: "review" }, el("div", { class: "actions" }, approve, reject, propose), slot);
}

function openReviewForm(s, li, slot, action, opener) {
  const rejecting = action === "rejected";
  const id = uid(rejecting ? "reason" : "proposal");
  const text = el("textarea", { id, rows: 3, class: rejecting ? "reason" : "proposal", "aria-required": "true" });
  const send = el("button", { type: "submit", class: "primary", text: rejecting ? "Ablehnung senden" : "Vorschlag senden" });
  const cancel = el("button", { type: "button", text: "Abbrechen" });
  const label = rejecting ? "Grund der Ablehnung (Pflicht)" : "Korrektur in Worten (Pflicht): was soll anders sein?";
  const form = el("form", { class: `review-form ${action}`, novalidate: "" },
    el("label", { for: id, text: label }), text, el("div", { class: "actions" }, send, cancel));
  const close = () => { slot.replaceChildren(); opener.focus(); };
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); close(); } });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const words = text.value.trim();
    if (!words) {
      text.setAttribute("aria-invalid", "true");
      text.focus();
      say(rejecting ? `Bitte einen Grund angeben, warum ${s.gloss} abgelehnt wird.`
        : `Bitte die Korrektur für ${s.gloss} in Worten beschreiben.`);
      return;
    }
    text.removeAttribute("aria-invalid");
    if (await review(s, li, action, words, send)) close();
  });
  slot.replaceChildren(form);
  text.focus();
}

async function review(s, li, action, words, button) {
  const reviewer = $("reviewer").value.trim();
  if (!reviewer) { say("Bitte zuerst Ihren Namen eingeben."); $("reviewer").focus(); return false; }
  // Without "action" the service takes it as an approval (the older service knows only that).
  const body = action === "rejected" ? { reviewer, action, reason: words }
    : action === "proposed" ? { reviewer, action, proposal: words } : { reviewer, comment: "" };
  button.disabled = true;
  try {
    const { data } = await api("POST", `/v1/lexicon/${q(s.gloss)}/review`, body);
    s.review = data.review && data.review.state ? data.review : { state: action, time: data.time };
    s.reviewed = stateOf(s) === "approved";
    showState(li, s);
    count(signs.filter(matchesFilters).length);
    say(`${s.gloss}: ${STATES[stateOf(s)]} (von ${reviewer}).`);
    loadDetails(li, s);
    return true;
  } catch (err) {
    say(`${s.gloss} nicht gespeichert: ${err.message}`);
    return false;
  } finally {
    const lost = !document.activeElement || document.activeElement === document.body;
    button.disabled = false;
    if (lost) button.focus(); // disabling it while sending took the focus away
  }
}

// ---- a recording as a new revision --------------------------------------------------------------

function field(labelText, input, help) {
  const wrap = el("div", { class: "field" }, el("label", { for: input.id, text: labelText }), input);
  if (help) {
    const h = el("p", { class: "help", id: uid("help"), text: help });
    input.setAttribute("aria-describedby", h.id);
    wrap.append(h);
  }
  return wrap;
}

function uploadPanel(s, li) {
  const details = el("details", { class: "upload" }, el("summary", { text: "Aufnahme hochladen" }));
  details.addEventListener("toggle", () => {
    if (details.open && details.children.length === 1) details.append(uploadForm(s, li));
    li.classList.toggle("wide-card", details.open); // room for the recording beside the avatar
  });
  return details;
}

function uploadForm(s, li) {
  const file = el("input", { type: "file", id: uid("file"), class: "up-file",
    accept: "video/mp4,video/webm,video/quicktime,.mp4,.webm,.mov" });
  const signer = el("input", { type: "text", id: uid("signer"), class: "up-signer", autocomplete: "off" });
  const licence = el("select", { id: uid("licence"), class: "up-licence" },
    el("option", { value: "", text: "– bitte wählen –" }),
    ...LICENCES.map(([value, text]) => el("option", { value, text })));
  const consentId = uid("consent");
  const consent = el("input", { type: "checkbox", id: consentId, class: "up-consent" });
  const send = el("button", { type: "submit", class: "primary up-send", text: "Hochladen" });
  const status = el("p", { class: "up-status", role: "status", "aria-live": "polite" });
  const result = el("div", { class: "up-result", hidden: true });
  const form = el("form", { class: "upload-form", novalidate: "" },
    field("Video der gebärdenden Person", file, "MP4, WebM oder MOV, höchstens 10 s und 30 MB; von vorn, beide Hände im Bild."),
    field("Gebärdende Person", signer, "Name, wie er in der Versionsgeschichte stehen soll."),
    field("Lizenz", licence, "Unter dieser Lizenz wird die Aufnahme gespeichert und mit dem Lexikon weitergegeben."),
    el("div", { class: "check" }, consent, el("label", { for: consentId,
      text: "Die gebärdende Person hat eingewilligt, dass diese Aufnahme für den Avatar verwendet und unter der genannten Lizenz weitergegeben wird." })),
    el("div", { class: "actions" }, send), status);
  form.addEventListener("submit", (e) => { e.preventDefault(); upload(s, li, form, result); });
  return el("div", {}, form, result);
}

function uploadProblem(form) {
  const missing = [
    [form.querySelector(".up-file"), (i) => i.files.length > 0, "Bitte ein Video auswählen."],
    [form.querySelector(".up-signer"), (i) => i.value.trim(), "Bitte den Namen der gebärdenden Person angeben."],
    [form.querySelector(".up-licence"), (i) => i.value.trim(), "Bitte die Lizenz angeben."],
    [form.querySelector(".up-consent"), (i) => i.checked, "Ohne Einwilligung der gebärdenden Person kann nichts hochgeladen werden."],
  ];
  for (const [input] of missing) input.removeAttribute("aria-invalid");
  for (const [input, ok, message] of missing) {
    if (!ok(input)) { input.setAttribute("aria-invalid", "true"); input.focus(); return message; }
  }
  return "";
}

// The service's answers to an upload in German, where we know the case (its detail is English).
function uploadError(err) {
  const d = err.detail || "";
  if (err.status === 413 || /too large|larger than|\bMB\b/i.test(d)) return "Die Datei ist zu groß (höchstens 30 MB).";
  if (/consent/i.test(d)) return "Ohne Einwilligung der gebärdenden Person kann nichts hochgeladen werden.";
  if (/the limit is [\d.]+ s\b/i.test(d)) return "Das Video ist zu lang (höchstens 10 s).";
  if (/lasts [\d.]+ s: record the whole sign/i.test(d)) {
    return "Das Video ist zu kurz: bitte die ganze Gebärde aufnehmen, von der Ruhe bis zur Ruhe.";
  }
  if (/\bpixels\b/i.test(d)) return "Bildgröße passt nicht: bitte mit Seitenlängen von 200 bis 1920 Pixeln aufnehmen (720p oder 1080p).";
  if (/frames per second/i.test(d)) return "Bildrate passt nicht: bitte mit 25 bis 60 Bildern pro Sekunde aufnehmen.";
  if (/file is empty/i.test(d)) return "Die Datei ist leer: bitte das Video erneut auswählen.";
  if (/type|format|container|codec|not a video|MP4, WebM or MOV/i.test(d)) return "Das ist kein Video, das der Dienst liest: bitte MP4, WebM oder MOV.";
  return err.message;
}

function noUploads() {
  uploads = false;
  for (const d of document.querySelectorAll("details.upload")) d.remove();
}

async function upload(s, li, form, result) {
  const status = form.querySelector(".up-status");
  const problem = uploadProblem(form);
  if (problem) { status.textContent = problem; return; } // .up-status is a live region of its own
  const data = new FormData();
  data.append("file", form.querySelector(".up-file").files[0]);
  data.append("signer", form.querySelector(".up-signer").value.trim());
  data.append("licence", form.querySelector(".up-licence").value.trim());
  data.append("consent", "true");
  const send = form.querySelector(".up-send");
  send.disabled = true;
  result.hidden = true;
  status.textContent = "Wird hochgeladen …";
  try {
    const { data: job } = await api("POST", UPLOAD_ROUTE.replace("{gloss}", q(s.gloss)), data);
    const done = await poll(job.status_url || `/v1/lexicon/recordings/${encodeURIComponent(job.job)}`, status);
    await showRecording(s, li, job.job, done, result, form.querySelector(".up-signer").value.trim());
    status.textContent = "Ausgewertet: links die Aufnahme, rechts der Avatar. Bitte vergleichen und dann speichern.";
  } catch (err) {
    if (err.status === 404 && err.detail === "Not Found") {
      noUploads();
      say("Dieser Dienst nimmt keine Aufnahmen an (die Funktion fehlt).");
      return;
    }
    status.textContent = `Nicht hochgeladen: ${uploadError(err)}`;
  } finally {
    send.disabled = false;
  }
}

async function poll(url, status) {
  const until = Date.now() + POLL_LIMIT_MS;
  const words = { queued: "In der Warteschlange …", running: "Die Bewegung wird aus dem Video gelesen …" };
  for (;;) {
    const { data } = await api("GET", url);
    if (data.status === "done") return data;
    if (data.status === "failed") {
      throw apiError(`Die Aufnahme konnte nicht ausgewertet werden: ${data.error || "unbekannter Fehler"}`, 0, "");
    }
    status.textContent = words[data.status] || `Status: ${data.status}`;
    if (Date.now() > until) throw apiError("Die Auswertung dauert zu lange: bitte später erneut versuchen.", 0, "");
    await new Promise((resolve) => window.setTimeout(resolve, POLL_MS));
  }
}

// A recording's video or preview, fetched with the editor key (a signer's video may be for editors
// only, and a <video> element sends no key): an object URL the page revokes when it shows another.
async function keyedMedia(path) {
  const headers = {};
  const key = $("editor-key").value.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  const r = await fetch(path, { headers });
  if (!r.ok) throw apiError(`Video nicht geladen (HTTP ${r.status}).`, r.status, "");
  return URL.createObjectURL(await r.blob());
}

async function showRecording(s, li, job, done, result, signer) {
  const base = `/v1/lexicon/recordings/${encodeURIComponent(job)}`;
  const [videoUrl, previewUrl] = await Promise.all([
    keyedMedia(done.video_url || `${base}/video`), keyedMedia(done.preview_url || `${base}/preview.mp4`)]);
  for (const old of result.querySelectorAll("video")) URL.revokeObjectURL(old.src);
  const recorded = el("video", { class: "up-video", controls: true, loop: true, preload: "auto", src: videoUrl });
  recorded.muted = true;
  recorded.setAttribute("aria-label", `Hochgeladene Aufnahme für ${s.gloss}`);
  const avatar = el("video", { class: "up-preview", controls: true, loop: true, preload: "auto", src: previewUrl });
  avatar.muted = true;
  avatar.setAttribute("aria-label", `Der Avatar führt die aufgenommene Gebärde ${s.gloss} aus`);
  const reason = el("input", { type: "text", id: uid("reason"), class: "up-reason", value: `Aufnahme von ${signer}` });
  const save = el("button", { type: "button", class: "primary up-save", text: "Als neue Version speichern" });
  save.addEventListener("click", () => saveRecording(s, li, job, reason, save));
  result.replaceChildren(
    el("div", { class: "side-by-side" },
      el("figure", {}, recorded, el("figcaption", { text: "Aufnahme" })),
      el("figure", {}, avatar, el("figcaption", { text: "Avatar (Vorschau)" }))),
    field("Grund der neuen Version", reason), el("div", { class: "actions" }, save));
  result.hidden = false;
  startVideo(recorded);
  startVideo(avatar);
  save.focus();
}

async function saveRecording(s, li, job, reason, save) {
  const editor = $("reviewer").value.trim();
  if (!editor) { say("Bitte zuerst Ihren Namen eingeben."); $("reviewer").focus(); return; }
  if (!reason.value.trim()) { reason.setAttribute("aria-invalid", "true"); reason.focus(); say("Bitte einen Grund angeben."); return; }
  save.disabled = true;
  try {
    const { data } = await api("POST", `/v1/lexicon/recordings/${encodeURIComponent(job)}/save`,
      { editor, reason: reason.value.trim() });
    const fresh = (await api("GET", `/v1/lexicon/${q(s.gloss)}`)).data;
    for (const key of ["lemmas", "source", "description", "description_de", "revision", "form", "reviewed", "review"]) {
      if (key in fresh) s[key] = fresh[key];
    }
    if (!fresh.review) s.review = { state: "unreviewed" };
    const replacement = card(s);
    li.replaceWith(replacement);
    if (observer) observer.observe(replacement);
    replacement.querySelector("h2").setAttribute("tabindex", "-1");
    replacement.querySelector("h2").focus();
    say(`${s.gloss}: Aufnahme als Version ${data.revision} gespeichert; die Gebärde ist jetzt ungeprüft.`);
  } catch (err) {
    save.disabled = false;
    say(`${s.gloss}: nicht gespeichert: ${err.message}`);
  }
}

// ---- the list -------------------------------------------------------------------------------

function matchesFilters(s) {
  const query = $("search").value.trim().toLowerCase();
  const kind = $("kind-filter").value;
  const state = $("review-filter").value;
  if (kind && s.kind !== kind) return false;
  if (state && stateOf(s) !== state) return false;
  const hay = [s.gloss, ...(s.lemmas || []), s.description || "", s.description_de || ""].join(" ").toLowerCase();
  return query.split(/\s+/).every((part) => hay.includes(part));
}

function count(hits) {
  const by = {};
  for (const s of signs) by[stateOf(s)] = (by[stateOf(s)] || 0) + 1;
  const parts = Object.keys(STATES).filter((k) => by[k]).map((k) => `${by[k]} ${STATES[k]}`);
  $("count").textContent = `${hits} von ${signs.length} Gebärden angezeigt; ${parts.join(", ")}.`;
}

function onView(entries) {
  for (const entry of entries) {
    const li = entry.target;
    const s = signs.find((x) => x.gloss === li.dataset.gloss);
    const video = li.querySelector("video.sign-clip");
    if (!s || !video) continue;
    if (entry.isIntersecting) {
      if (!li.dataset.seen) {
        li.dataset.seen = "1";
        loadDetails(li, s);
      }
      if (autoplay()) {
        video.dataset.wantPlay = "1";
        if (video.getAttribute("src")) startVideo(video);
        else if (!loadingClips.has(video)) queueClip(video, s, li.querySelector("input.slow").checked, false);
      }
    } else {
      dropQueued(video); // scrolled past before its turn: not loaded at all
      if (!video.paused) video.pause();
    }
  }
}

function show() {
  const hits = signs.filter(matchesFilters);
  if (observer) observer.disconnect();
  dropAllClips();
  const cards = hits.map(card);
  $("signs").replaceChildren(...cards);
  if (observer) for (const li of cards) observer.observe(li);
  count(hits.length);
}

// Whether this service takes recordings: its OpenAPI schema names the route (another service
// version may not have it yet); an upload answered 404 hides the panels too.
async function checkUploads() {
  try {
    const r = await fetch("/openapi.json", { headers: { Accept: "application/json" } });
    if (!r.ok) return;
    const schema = await r.json();
    uploads = Boolean(schema.paths && schema.paths[UPLOAD_ROUTE]);
  } catch (_) {
    // unknown: keep the panels, an upload answered 404 hides them
  }
}

async function init() {
  rememberKeyAndName("reviewer", NAME_STORE);
  $("autoplay").checked = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  $("autoplay").addEventListener("change", () => {
    if (!autoplay()) {
      clipQueue.length = 0;
      for (const v of document.querySelectorAll("video.sign-clip")) { v.dataset.wantPlay = ""; v.pause(); }
    }
    if (autoplay() && observer) { observer.disconnect(); for (const li of $("signs").children) observer.observe(li); }
  });
  for (const id of ["search", "kind-filter", "review-filter"]) $(id).addEventListener("input", show);
  if ("IntersectionObserver" in window) observer = new IntersectionObserver(onView, { rootMargin: "200px 0px" });
  await checkUploads();
  try {
    const { data } = await api("GET", "/v1/lexicon");
    signs = (data.signs || []).slice().sort((a, b) => a.gloss.localeCompare(b.gloss, "de"));
    show();
  } catch (err) {
    $("count").textContent = `Lexikon nicht geladen: ${err.message}`;
  }
}

document.addEventListener("DOMContentLoaded", init);
