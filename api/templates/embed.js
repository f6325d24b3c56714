(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  // In an <iframe>: tell the host page how tall the player is (the snippet's embed_script listens).
  var main = $("player"), posted = 0;
  function postHeight() {
    if (!main || window.parent === window) { return; }
    var h = Math.ceil(main.getBoundingClientRect().height);
    if (h === posted) { return; }
    posted = h;
    window.parent.postMessage({ type: "signavatar:height", id: main.getAttribute("data-clip"), height: h }, "*");
  }
  window.addEventListener("load", postHeight);
  window.addEventListener("resize", postHeight);
  if (window.ResizeObserver && main) { new ResizeObserver(postHeight).observe(main); }
  postHeight();
  var v = $("video");
  if (!v) { return; }
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
    var role = e.target && e.target.getAttribute ? e.target.getAttribute("role") : null;
    if (k === " " && (tag === "BUTTON" || role === "button")) { return; }  // a focused button (or gloss) is pressed with space
    if (k === " " || k === "k" || k === "K") { toggle(); }
    else if (k === "ArrowLeft") { seek(-2); }
    else if (k === "ArrowRight") { seek(2); }
    else if (k === "+" || k === "=") { stepRate(1); }
    else if (k === "-" || k === "_") { stepRate(-1); }
    else if (k === "c" || k === "C") { captions(cc.getAttribute("aria-pressed") !== "true"); }
    else { return; }
    e.preventDefault();
  }, true);
  // The gloss line (api/embed.py gloss_line): the sign whose [start, end) holds the playing time is
  // marked current; choosing a sign seeks to its start. Same markup and rules as the 3D player.
  var glosses = Array.prototype.slice.call(document.querySelectorAll("#glosses .gloss[data-start]"));
  var shown = null, frame = 0;
  function mark() {
    var t = v.currentTime, now = null;
    for (var i = 0; i < glosses.length; i++) {
      var g = glosses[i];
      if (t >= parseFloat(g.getAttribute("data-start")) && t < parseFloat(g.getAttribute("data-end"))) { now = g; break; }
    }
    if (now === shown) { return; }
    if (shown) { shown.classList.remove("current"); shown.removeAttribute("aria-current"); }
    if (now) { now.classList.add("current"); now.setAttribute("aria-current", "true"); }
    shown = now;
  }
  function follow() { mark(); frame = v.paused || v.ended ? 0 : window.requestAnimationFrame(follow); }
  function goTo(g) {
    v.currentTime = parseFloat(g.getAttribute("data-start"));
    mark();
    say("Gebärde " + g.textContent);
  }
  if (glosses.length) {
    ["timeupdate", "seeked", "seeking", "pause", "ended", "loadedmetadata"].forEach(function (e) { v.addEventListener(e, mark); });
    v.addEventListener("play", function () { if (!frame) { frame = window.requestAnimationFrame(follow); } });
    glosses.forEach(function (g) {
      g.addEventListener("click", function () { goTo(g); });
      g.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); goTo(g); }
      });
    });
    mark();
  }
  // ?t=1.5 starts at second 1.5 (a link to one sign of a longer clip).
  var start = parseFloat(new URLSearchParams(window.location.search).get("t") || "");
  function jump() { if (start > 0) { v.currentTime = start; } }
  if (v.readyState >= 1) { jump(); } else { v.addEventListener("loadedmetadata", jump, { once: true }); }
  syncPlay();
}());
