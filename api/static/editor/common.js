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

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const key = $("editor-key").value.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch (_) { data = null; }
  if (r.status === 401) {
    $("editor-key").focus();
    throw new Error("Redaktionsschlüssel fehlt oder ist falsch: bitte oben eingeben.");
  }
  if (r.status === 403 && /editor key|EDITOR_KEY/.test(detailText(data, r.status))) {
    $("editor-key").focus();
    throw new Error("Dafür ist der Redaktionsschlüssel nötig (nicht der API-Schlüssel): bitte oben eingeben.");
  }
  if (!r.ok) throw new Error(detailText(data, r.status));
  return { status: r.status, data };
}
