// The 3D player of /embed/{id}?player=3d (api/player3d.py, api/templates/player3d.html).
//
// Loads the avatar (.glb, once: its URL is immutable) and the clip's motion (.glb) from this server,
// plays the motion with three.js's AnimationMixer and draws each frame the way the server renders its
// video (signavatar/pose_to_frames/renderer.py), so both look the same: per-vertex (Gouraud) light
// from the same three lights and ambient on the skinned normal, the albedo as given (the glb's
// COLOR_0 is linear by glTF's rule: converted back to sRGB here), no tone mapping and no output
// colour conversion, the same background and camera. Controls, keys, captions and the gloss line
// work as in the video embed (api/templates/embed.js). When WebGL 2 is missing or a file does not
// load, the page shows the clip's video instead (the <template id="fallback">), with a note.
//
// Viewers can turn the camera around the avatar's vertical axis through the camera's target (yaw,
// at most TURN_MAX degrees either way, same distance and height): by dragging on the canvas, with
// the buttons beside the playback controls, or the keys "," "." (turn) and "0" (reset). Yaw 0 is
// exactly the server's camera (what the video shows).
//
// Test hook: window.signavatarPlayer = {ready, seek(t), play(), pause(), setSpeed(x), time(),
// duration, playing(), snapshot(width, height), mode(), turn(deg), yaw()}; ready resolves to "3d"
// or "video" (after a fallback); mode() also says "video" after a later one (the WebGL context
// lost); turn(deg) sets the yaw in degrees (negative: the camera moves to the viewer's left, "nach
// links"; clamped to ±TURN_MAX), yaw() reads it.

const $ = (id) => document.getElementById(id);
const main = $("player");
const RATES = [0.5, 0.75, 1, 1.25, 1.5];
const MAX_PIXELS = 2048; // the drawing buffer's widest side on screen
const TURN_MAX = 60; // degrees the camera turns at most, either way
const TURN_STEP = 15; // degrees per button press or key
const DRAG_DEG_PER_PX = 0.5; // degrees per CSS pixel dragged across the canvas
// What the avatar's glb says in asset.extras.signavatar; these are renderer.py's values, used when
// an older file lacks them.
const LOOK = {
  camera: { target: [0, 0.47, 0], distance: 2.4, yfov_deg: 21, znear: 0.05, zfar: 6 },
  lights: [[[0.35, 0.45, 1.0], 0.62], [[-0.6, 0.1, 0.8], 0.25], [[0.0, 1.0, 0.2], 0.12]],
  ambient: 0.3,
  background: [236, 239, 243],
};
const NO_WEBGL = "Ihr Browser kann hier kein WebGL 2 darstellen";
const NO_FILES = "der Avatar oder seine Bewegung konnten nicht geladen werden";
const LOST = "der Browser hat die 3D-Darstellung beendet";

// colour = clamp(albedo * (ambient + sum_i intensity_i * max(0, n . dir_i))), per vertex, as
// renderer.py `shade`; skinning and morph targets by three's own shader chunks.
const VERTEX = /* glsl */ `
#include <common>
#include <morphtarget_pars_vertex>
#include <skinning_pars_vertex>
uniform vec3 lightDir[3];
uniform float lightIntensity[3];
uniform float ambient;
varying vec3 vLit;
vec3 linearToSrgb(vec3 c) {
  return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(vec3(0.0031308), c));
}
void main() {
  #include <beginnormal_vertex>
  #include <morphinstance_vertex>
  #include <morphnormal_vertex>
  #include <skinbase_vertex>
  #include <skinnormal_vertex>
  #include <begin_vertex>
  #include <morphtarget_vertex>
  #include <skinning_vertex>
  #include <project_vertex>
  vec3 n = normalize(mat3(modelMatrix) * objectNormal);
  float light = ambient;
  for (int i = 0; i < 3; i++) { light += lightIntensity[i] * max(dot(n, lightDir[i]), 0.0); }
  vLit = clamp(linearToSrgb(clamp(color.rgb, 0.0, 1.0)) * light, 0.0, 1.0);
}`;
const FRAGMENT = /* glsl */ `
varying vec3 vLit;
void main() { gl_FragColor = vec4(vLit, 1.0); }`;

let resolveReady;
const ready = new Promise((resolve) => { resolveReady = resolve; });
let api = null; // set once the avatar plays
let mode = "loading"; // "3d" once drawn, "video" after a fallback
window.signavatarPlayer = {
  ready,
  seek: (t) => api && api.seek(t),
  play: () => api && api.play(),
  pause: () => api && api.pause(),
  setSpeed: (x) => api && api.setSpeed(x),
  time: () => (api ? api.time() : 0),
  playing: () => Boolean(api && api.playing()),
  snapshot: () => (api ? api.snapshot() : null),
  mode: () => mode,
  turn: (deg) => api && api.turnTo(deg),
  yaw: () => (api ? api.yaw() : 0),
  get duration() { return api ? api.duration : NaN; },
};

function say(text) { $("status").textContent = text; }

// In an <iframe>: tell the host page how tall the player is (as embed.js does; the snippet listens).
let posted = 0;
function postHeight() {
  if (!main || window.parent === window) { return; }
  const h = Math.ceil(main.getBoundingClientRect().height);
  if (h === posted) { return; }
  posted = h;
  window.parent.postMessage({ type: "signavatar:height", id: main.dataset.clip, height: h }, "*");
}

// Marks the sign whose [start, end) holds time t as current (class + aria-current), as embed.js does.
function glossMarker(spans) {
  let shown = null;
  return (t) => {
    const span = spans.find((s) => t >= s.start && t < s.end) || null;
    if (span === shown) { return; }
    if (shown) { shown.el.classList.remove("current"); shown.el.removeAttribute("aria-current"); }
    if (span) { span.el.classList.add("current"); span.el.setAttribute("aria-current", "true"); }
    shown = span;
  };
}

// Choosing a sign (click, Enter, space) calls go(span).
function onChoose(spans, go) {
  for (const s of spans) {
    s.el.addEventListener("click", () => go(s));
    s.el.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(s); } });
  }
}

function fallback(reason, at = 0) {
  if (mode === "video") { return; }
  mode = "video";
  api = null;
  $("stage").hidden = true;
  $("controls").hidden = true;
  $("keys").hidden = true;
  const note = $("note");
  note.textContent = `Der 3D-Avatar kann nicht gezeigt werden (${reason}). Sie sehen stattdessen das Video.`;
  note.hidden = false;
  $("stage").after($("fallback").content.cloneNode(true));
  const video = $("video");
  if (video) { // the gloss line follows the video (its native controls do the rest)
    const spans = glossSpans([]);
    const mark = glossMarker(spans);
    const follow = () => mark(video.currentTime);
    ["timeupdate", "seeked", "pause", "ended"].forEach((e) => video.addEventListener(e, follow));
    onChoose(spans, (s) => { video.currentTime = s.start; follow(); say(`Gebärde ${s.el.textContent}`); });
    if (at > 0) { video.currentTime = at; } // where the 3D player was
  }
  postHeight();
  resolveReady("video");
}

// WebVTT cues [{start, end, text}] of the captions file ("" or a broken file: no cues).
function parseVtt(text) {
  const stamp = (s) => s.trim().split(":").reduce((acc, part) => acc * 60 + parseFloat(part), 0);
  const unescape = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const cues = [];
  for (const block of text.replace(/\r/g, "").split(/\n\n+/)) {
    const lines = block.split("\n");
    const at = lines.findIndex((line) => line.includes("-->"));
    if (at < 0) { continue; }
    const [from, to] = lines[at].split("-->");
    const start = stamp(from), end = stamp(to.trim().split(/\s+/)[0]);
    if (Number.isFinite(start) && Number.isFinite(end)) {
      cues.push({ start, end, text: unescape(lines.slice(at + 1).join(" ").trim()) });
    }
  }
  return cues;
}

async function fetchCues(url) {
  try {
    const r = await fetch(url);
    return r.ok ? parseVtt(await r.text()) : [];
  } catch (e) {
    return [];
  }
}

// The gloss line's spans (api/embed.py gloss_line), or spans made from the motion's glosses when the
// page has none (a clip without captions).
function glossSpans(glosses) {
  const line = $("glosses");
  let spans = Array.from(line.querySelectorAll(".gloss[data-start]"));
  if (!spans.length && glosses.length) {
    line.textContent = "";
    glosses.forEach((g, i) => {
      const span = document.createElement("span");
      span.className = "gloss";
      span.dataset.start = g.start.toFixed(3);
      span.dataset.end = g.end.toFixed(3);
      span.tabIndex = 0;
      span.setAttribute("role", "button");
      span.setAttribute("aria-describedby", "gloss-help");
      span.textContent = g.text || g.gloss;
      if (i) { line.append(" "); }
      line.append(span);
    });
    spans = Array.from(line.querySelectorAll(".gloss[data-start]"));
  }
  return spans.map((el) => ({ el, start: parseFloat(el.dataset.start), end: parseFloat(el.dataset.end) }));
}

function shaderMaterial(THREE, source, look) {
  const lights = look.lights.map(([d]) => new THREE.Vector3(d[0], d[1], d[2]).normalize());
  return new THREE.ShaderMaterial({
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
    vertexColors: true,
    side: source.side === THREE.DoubleSide ? THREE.DoubleSide : THREE.FrontSide,
    uniforms: {
      lightDir: { value: lights },
      lightIntensity: { value: look.lights.map(([, i]) => i) },
      ambient: { value: look.ambient },
    },
  });
}

// The motion's morph weights target "avatar_body.morphTargetInfluences"; in the avatar that node
// is a group of two meshes (skin, hair): one track per mesh, bound by its uuid.
function retarget(clip, meshes) {
  const tracks = [];
  for (const track of clip.tracks) {
    if (!track.name.endsWith(".morphTargetInfluences")) { tracks.push(track); continue; }
    for (const mesh of meshes) {
      const copy = track.clone();
      copy.name = `${mesh.uuid}.morphTargetInfluences`;
      tracks.push(copy);
    }
  }
  clip.tracks = tracks;
  return clip;
}

async function start() {
  const canvas = $("canvas");
  // the clip's background (options.background): a colour, "transparent", or "" (the avatar file's)
  const transparent = main.dataset.background === "transparent";
  const gl = canvas.getContext("webgl2", { antialias: true, alpha: transparent, preserveDrawingBuffer: false });
  if (!gl) { fallback(NO_WEBGL); return; }
  let THREE, GLTFLoader, avatar, motion, cues;
  try {
    [THREE, { GLTFLoader }] = await Promise.all([import("three"), import("three/addons/loaders/GLTFLoader.js")]);
    const loader = new GLTFLoader();
    const cuesPending = fetchCues(main.dataset.captions);
    const motionPending = loader.loadAsync(main.dataset.motion);
    // the clip's own avatar version, linked by the page; else (none, or no longer served) the current one
    const current = async () => loader.loadAsync((await (await fetch(main.dataset.avatar)).json()).url);
    const avatarPending = main.dataset.avatarGlb ? loader.loadAsync(main.dataset.avatarGlb).catch(current) : current();
    [avatar, motion, cues] = await Promise.all([avatarPending, motionPending, cuesPending]);
  } catch (e) {
    console.error("3D player:", e);
    fallback(NO_FILES);
    return;
  }
  const extras = (gltf) => (gltf.asset && gltf.asset.extras && gltf.asset.extras.signavatar) || {};
  const look = { ...LOOK, ...extras(avatar) };
  const meta = extras(motion);

  // The server's frame buffer holds the shaded colours as they are: no colour management here.
  THREE.ColorManagement.enabled = false;
  const renderer = new THREE.WebGLRenderer({ canvas, context: gl, antialias: true });
  renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
  renderer.toneMapping = THREE.NoToneMapping;
  // The canvas's width and height attributes are the clip's size: the camera's aspect, and the
  // size snapshot() draws at (the server's frame). On screen the avatar is drawn at the size it is
  // shown (CSS pixels x devicePixelRatio), sharper than the video when the page is larger.
  const clipWidth = canvas.width, clipHeight = canvas.height;
  renderer.setPixelRatio(1);
  const own = (main.dataset.background || "").split(",").map(Number);
  const [r, g, b] = own.length === 3 && own.every((v) => v >= 0 && v <= 255) ? own : look.background;
  renderer.setClearColor(new THREE.Color(r / 255, g / 255, b / 255), transparent ? 0 : 1);
  if (transparent) { $("stage").classList.add("transparent"); }
  const cam = look.camera;
  const camera = new THREE.PerspectiveCamera(cam.yfov_deg, clipWidth / clipHeight, cam.znear, cam.zfar);
  // yaw: degrees the camera stands turned around the vertical axis through cam.target; 0 is the
  // server's camera (eye = target + (0, 0, distance), looking along -Z), exactly: no lookAt rounding
  let yaw = 0;
  function placeCamera() {
    const a = (yaw * Math.PI) / 180;
    camera.position.set(cam.target[0] + cam.distance * Math.sin(a), cam.target[1],
      cam.target[2] + cam.distance * Math.cos(a));
    camera.rotation.set(0, a, 0);
    camera.updateMatrixWorld();
  }
  placeCamera();
  const scene = new THREE.Scene();
  scene.add(avatar.scene);
  const meshes = [];
  avatar.scene.traverse((o) => {
    if (!o.isMesh) { return; }
    o.material = shaderMaterial(THREE, o.material, look);
    o.frustumCulled = false; // the bounding sphere is the rest pose's; the arms leave it
    if (o.morphTargetInfluences) { meshes.push(o); }
  });
  const clip = retarget(motion.animations[0], meshes);
  const mixer = new THREE.AnimationMixer(avatar.scene);
  const action = mixer.clipAction(clip);
  action.setLoop(THREE.LoopOnce, 1);
  action.clampWhenFinished = true;
  action.play();
  const duration = clip.duration;
  const spans = glossSpans(meta.glosses || []);
  const mark = glossMarker(spans);
  let playing = false, last = null, shownCue = null, captionsOn = true;

  const time = () => action.time;
  function draw() {
    const t = time();
    mark(t);
    const cue = captionsOn ? cues.find((c) => t >= c.start && t < c.end) || null : null;
    if (cue !== shownCue) {
      $("captions").textContent = cue ? cue.text : "";
      $("captions").hidden = !cue;
      shownCue = cue;
    }
    renderer.render(scene, camera);
  }
  function seek(t) {
    action.time = Math.max(0, Math.min(duration, Number(t) || 0));
    mixer.update(0);
    draw();
  }
  function syncPlay() { $("play").textContent = playing ? "Pause" : "Start"; }
  function play() {
    if (time() >= duration) { seek(0); }
    action.paused = false;
    playing = true;
    last = null; // the next frame's timestamp starts the clock
    syncPlay();
  }
  function pause() { playing = false; syncPlay(); }
  function setSpeed(x) {
    mixer.timeScale = x;
    $("speed").value = String(x);
    say(`Tempo ${String(x).replace(".", ",")}×`);
  }
  function stepSpeed(dir) {
    let i = RATES.indexOf(mixer.timeScale);
    if (i < 0) { i = 2; }
    setSpeed(RATES[Math.max(0, Math.min(RATES.length - 1, i + dir))]);
  }
  function captions(on) {
    captionsOn = on;
    $("cc").setAttribute("aria-pressed", on ? "true" : "false");
    say(on ? "Untertitel an" : "Untertitel aus");
    draw();
  }
  // Turning: positive yaw moves the camera to the viewer's right around the avatar, so the view
  // turns "nach rechts" (the avatar's left side comes into view).
  function sayView(atLimit = false) {
    say(yaw === 0 ? "Ansicht von vorn" : `Ansicht ${Math.abs(yaw)}° nach ${yaw < 0 ? "links" : "rechts"}`
      + (atLimit ? " (weiter nicht)" : ""));
  }
  function turnTo(deg, announce = true) {
    const wanted = Math.round(Number(deg) || 0);
    yaw = Math.max(-TURN_MAX, Math.min(TURN_MAX, wanted));
    placeCamera();
    draw();
    if (announce) { sayView(wanted !== yaw); }
  }
  mixer.addEventListener("finished", () => { playing = false; syncPlay(); say("Ende"); });
  function tick(now) {
    if (mode === "video") { return; } // fell back: the video plays now
    if (playing) {
      // A frame's timestamp can precede the click that started playing: never a negative step (it
      // would run the clip back past its start, which ends it). A hidden tab's long gap is no jump.
      const step = last === null ? 0 : Math.max(0, Math.min(0.25, (now - last) / 1000));
      last = now;
      mixer.update(step);
      draw();
    }
    requestAnimationFrame(tick);
  }

  $("play").addEventListener("click", () => (playing ? pause() : play()));
  $("back").addEventListener("click", () => seek(time() - 2));
  $("fwd").addEventListener("click", () => seek(time() + 2));
  $("speed").addEventListener("change", () => setSpeed(parseFloat($("speed").value)));
  $("cc").addEventListener("click", () => captions($("cc").getAttribute("aria-pressed") !== "true"));
  onChoose(spans, (s) => { seek(s.start); say(`Gebärde ${s.el.textContent}`); });
  $("turn-left").addEventListener("click", () => turnTo(yaw - TURN_STEP));
  $("turn-right").addEventListener("click", () => turnTo(yaw + TURN_STEP));
  $("turn-reset").addEventListener("click", () => turnTo(0));
  // Dragging sideways across the canvas turns the view (mouse, pen, touch: CSS touch-action pan-y
  // leaves vertical swipes to scroll the page)
  let drag = null;
  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) { return; }
    drag = { id: e.pointerId, x: e.clientX, from: yaw };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drag || e.pointerId !== drag.id) { return; }
    turnTo(drag.from - (e.clientX - drag.x) * DRAG_DEG_PER_PX, false);
  });
  const endDrag = (e) => {
    if (!drag || e.pointerId !== drag.id) { return; }
    drag = null;
    sayView(); // where it stopped
  };
  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", endDrag);
  window.addEventListener("keydown", (e) => {
    if (mode !== "3d" || e.altKey || e.ctrlKey || e.metaKey) { return; }
    const tag = e.target && e.target.tagName;
    if (tag === "SELECT" || tag === "INPUT" || tag === "TEXTAREA") { return; }
    const k = e.key;
    const role = e.target && e.target.getAttribute ? e.target.getAttribute("role") : null;
    if (k === " " && (tag === "BUTTON" || role === "button")) { return; } // a focused button is pressed with space
    if (k === " " || k === "k" || k === "K") { if (playing) { pause(); } else { play(); } }
    else if (k === "ArrowLeft") { seek(time() - 2); }
    else if (k === "ArrowRight") { seek(time() + 2); }
    else if (k === "+" || k === "=") { stepSpeed(1); }
    else if (k === "-" || k === "_") { stepSpeed(-1); }
    else if (k === "c" || k === "C") { captions($("cc").getAttribute("aria-pressed") !== "true"); }
    else if (k === ",") { turnTo(yaw - TURN_STEP); }
    else if (k === ".") { turnTo(yaw + TURN_STEP); }
    else if (k === "0") { turnTo(0); }
    else { return; }
    e.preventDefault();
  }, true);

  api = {
    seek, play, pause, setSpeed, time, duration, turnTo,
    yaw: () => yaw,
    playing: () => playing,
    snapshot: (width = clipWidth, height = clipHeight) => {
      const shown = [canvas.width, canvas.height];
      renderer.setSize(width, height, false);
      draw();
      const png = canvas.toDataURL("image/png");
      renderer.setSize(shown[0], shown[1], false);
      draw();
      return png;
    },
  };
  function fit() {
    const shown = (canvas.clientWidth || clipWidth) * (window.devicePixelRatio || 1);
    const scale = Math.min(MAX_PIXELS / Math.max(clipWidth, clipHeight), shown / clipWidth);
    const width = Math.max(1, Math.round(clipWidth * scale)), height = Math.max(1, Math.round(clipHeight * scale));
    if (width !== canvas.width || height !== canvas.height) { renderer.setSize(width, height, false); draw(); }
  }
  fit();
  if (window.ResizeObserver) { new ResizeObserver(fit).observe(canvas); }
  const startAt = parseFloat(new URLSearchParams(window.location.search).get("t") || "");
  seek(startAt > 0 ? startAt : 0);
  $("loading").hidden = true;
  $("controls").hidden = false;
  $("keys").hidden = false;
  syncPlay();
  canvas.addEventListener("webglcontextlost", (e) => {
    e.preventDefault();
    const at = time();
    playing = false;
    fallback(LOST, at);
  });
  mode = "3d";
  requestAnimationFrame(tick);
  postHeight();
  resolveReady("3d");
}

window.addEventListener("resize", postHeight);
if (window.ResizeObserver && main) { new ResizeObserver(postHeight).observe(main); }
start().catch((e) => { console.error("3D player:", e); fallback(NO_FILES); });
