(function () {
  "use strict";
  var v = document.getElementById("video");
  if (!v) { return; }
  var $ = function (id) { return document.getElementById(id); };
  var play = $("play"), speed = $("speed"), cc = $("cc"), status = $("status");
  var rates = [0.5, 0.75, 1, 1.25, 1.5];
  $("controls").hidden = false;
  $("keys").hidden = false;
  function say(text) { status.textContent = text; }
  function track() { return v.textTracks && v.textTracks.length ? v.textTracks[0] : null; }
  function syncPlay() { play.textContent = v.paused ? "Start" : "Pause"; }
  function toggle() { if (v.paused) { var p = v.play(); if (p && p.catch) { p.catch(function () {}); } } else { v.pause(); } }
  function seek(seconds) {
    var end = isFinite(v.duration) ? v.duration : v.currentTime + seconds;
    v.currentTime = Math.max(0, Math.min(end, v.currentTime + seconds));
  }
  function setRate(rate) { v.playbackRate = rate; speed.value = String(rate); say("Tempo " + String(rate).replace(".", ",") + "×"); }
  function stepRate(dir) {
    var i = rates.indexOf(v.playbackRate);
    if (i < 0) { i = 2; }
    setRate(rates[Math.max(0, Math.min(rates.length - 1, i + dir))]);
  }
  function syncCaptions() { var t = track(); cc.setAttribute("aria-pressed", t && t.mode === "showing" ? "true" : "false"); }
  function captions(on) { var t = track(); if (t) { t.mode = on ? "showing" : "hidden"; } syncCaptions(); say(on ? "Untertitel an" : "Untertitel aus"); }
  play.addEventListener("click", toggle);
  $("back").addEventListener("click", function () { seek(-2); });
  $("fwd").addEventListener("click", function () { seek(2); });
  speed.addEventListener("change", function () { setRate(parseFloat(speed.value)); });
  cc.addEventListener("click", function () { captions(cc.getAttribute("aria-pressed") !== "true"); });
  v.addEventListener("play", syncPlay);
  v.addEventListener("pause", syncPlay);
  v.addEventListener("ratechange", function () { if (rates.indexOf(v.playbackRate) >= 0) { speed.value = String(v.playbackRate); } });
  if (v.textTracks) { v.textTracks.addEventListener("change", syncCaptions); }
  // Capture phase: our keys win over the native controls' own handling (no double toggles).
  window.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var tag = e.target && e.target.tagName;
    if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") { return; }
    var k = e.key;
    if (k === " " && tag === "BUTTON") { return; }  // a focused button is pressed with space
    if (k === " " || k === "k" || k === "K") { toggle(); }
    else if (k === "ArrowLeft") { seek(-2); }
    else if (k === "ArrowRight") { seek(2); }
    else if (k === "+" || k === "=") { stepRate(1); }
    else if (k === "-" || k === "_") { stepRate(-1); }
    else if (k === "c" || k === "C") { captions(cc.getAttribute("aria-pressed") !== "true"); }
    else { return; }
    e.preventDefault();
  }, true);
  // ?t=1.5 starts at second 1.5 (a link to one sign of a longer clip).
  var start = parseFloat(new URLSearchParams(window.location.search).get("t") || "");
  function jump() { if (start > 0) { v.currentTime = start; } }
  if (v.readyState >= 1) { jump(); } else { v.addEventListener("loadedmetadata", jump, { once: true }); }
  syncPlay();
}());
