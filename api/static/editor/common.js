// Shared by the editor pages: element lookup, remembered fields, the live status line, and API
// calls with the key.
"use strict";

const KEY_STORE = "signavatar-api-key";
const $ = (id) => document.getElementById(id);

// A field that keeps its value across page loads: the API key for the browser session
// (sessionStorage), the editor's name for good (localStorage).
function remembered(id, storage, storeKey) {
  const field = $(id);
  field.value = storage.getItem(storeKey) || "";
  field.addEventListener("input", () => storage.setItem(storeKey, field.value.trim()));
  return field;
}

function rememberKeyAndName(nameId, nameStore) {
  remembered("api-key", window.sessionStorage, KEY_STORE);
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
  const key = $("api-key").value.trim();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch (_) { data = null; }
  if (r.status === 401) {
    $("api-key").focus();
    throw new Error("API-Schlüssel fehlt oder ist falsch: bitte oben eingeben.");
  }
  if (!r.ok) throw new Error(detailText(data, r.status));
  return { status: r.status, data };
}
