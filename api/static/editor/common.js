// Shared by the editor pages: element lookup, remembered fields, the live status line, and API
// calls with the editor key (SIGNAVATAR_EDITOR_KEY: approving, rejecting and reviewing need it).
"use strict";

const KEY_STORE = "signavatar-editor-key";
const $ = (id) => document.getElementById(id);

// A field that keeps its value across page loads: the editor key for the browser session
// (sessionStorage), the editor's name for good (localStorage).
function remembered(id, storage, storeKey) {
  const field = $(id);
  field.value = storage.getItem(storeKey) || "";
  field.addEventListener("input", () => storage.setItem(storeKey, field.value.trim()));
  return field;
}

function rememberKeyAndName(nameId, nameStore) {
  remembered("editor-key", window.sessionStorage, KEY_STORE);
  remembered(nameId, window.localStorage, nameStore);
}

function say(message) {
  // Re-set so that screen readers announce a repeated message too.
  const el = $("status");
  el.textContent = "";
  window.setTimeout(() => { el.textContent = message; }, 30);
}

function detailText(data, status) {
  const d = data && data.detail;
  if (typeof d === "string") return d;
  if (Array.isArray(d)) return d.map((e) => e.msg || JSON.stringify(e)).join("; ");
  return `HTTP ${status}`;
}

// The service's limits (README "Sicherheit"/Security) in German; the other errors keep their detail.
function limitMessage(r) {
  const wait = parseInt(r.headers.get("Retry-After") || "", 10);
  const later = Number.isFinite(wait) ? `in ${wait} s` : "gleich";
  switch (r.status) {
    case 403: return r.headers.get("WWW-Authenticate") ? null
      : "Von dieser Seite aus darf nichts geändert werden (SIGNAVATAR_WRITE_ORIGINS): bitte den Editor des Dienstes selbst öffnen.";
    case 408: return "Die Anfrage kam zu langsam beim Dienst an: bitte erneut senden.";
    case 413: case 431: return "Die Anfrage ist zu groß: bitte kürzeren Text senden.";
    case 421: return "Der Dienst antwortet unter dieser Adresse nicht (SIGNAVATAR_ALLOWED_HOSTS).";
    case 429: return `Zu viele Anfragen oder die Warteschlange ist voll: bitte ${later} erneut versuchen.`;
    case 503: return `Der Dienst ist gerade ausgelastet: bitte ${later} erneut versuchen.`;
    case 507: return "Der Speicher des Dienstes ist voll: bitte die Betreuung des Dienstes informieren.";
    default: return null;
  }
}

// An Error with the answer's status and detail, for pages that say known cases in their own words.
function apiError(message, status, detail) {
  const err = new Error(message);
  err.status = status;
  err.detail = detail;
  return err;
}

// body: a plain object (sent as JSON) or FormData (sent as multipart/form-data, a file upload).
async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const key = $("editor-key").value.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined || form ? body : JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch (_) { data = null; }
  const detail = detailText(data, r.status);
  if (r.status === 401) {
    $("editor-key").focus();
    throw apiError("Redaktionsschlüssel fehlt oder ist falsch: bitte oben eingeben.", r.status, detail);
  }
  if (r.status === 403 && /editor key|EDITOR_KEY/.test(detail)) {
    $("editor-key").focus();
    throw apiError("Dafür ist der Redaktionsschlüssel nötig (nicht der API-Schlüssel): bitte oben eingeben.",
      r.status, detail);
  }
  const german = limitMessage(r);
  if (german) throw apiError(german, r.status, detail);
  if (!r.ok) throw apiError(detail, r.status, detail);
  return { status: r.status, data };
}
