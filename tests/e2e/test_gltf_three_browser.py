"""three.js (the pinned web/node_modules/three, its GLTFLoader and AnimationMixer) in headless
Chromium reads our avatar and motion files as we mean them: the skinned vertices it computes
(SkinnedMesh.getVertexPosition, morph targets and bones applied) at frame times equal
Avatar.deform of the same PoseTrack frames, and a screenshot shows the avatar lit and coloured.
The page here is a bare harness, not the player (api/static/player/)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from browser import headless_browser  # noqa: E402
from signavatar.avatar.rig import Avatar  # noqa: E402
from signavatar.exports.gltf_avatar import avatar_glb  # noqa: E402
from signavatar.exports.gltf_motion import motion_glb  # noqa: E402
from signavatar.gloss_to_pose.sequencer import Sequencer  # noqa: E402
from signavatar.lexicon import Lexicon  # noqa: E402
from signavatar.text_to_gloss import parse_gloss_string  # noqa: E402
from signavatar.types import PoseTrack  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (scripts/setup-system.sh)")

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports": {"three": "./three/build/three.module.js",
  "three/addons/": "./three/examples/jsm/"}}</script></head><body style="margin:0">
<script type="module">
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
const loader = new GLTFLoader();
const avatar = await loader.loadAsync('avatar.glb');
const motion = await loader.loadAsync('motion.glb');
const ex = avatar.asset.extras.signavatar;
const meshes = [];
avatar.scene.getObjectByName('avatar_body').traverse(o => { if (o.isSkinnedMesh) meshes.push(o); });
const clip = motion.animations[0];
const tracks = [];  // the weights track names the node avatar_body: one copy per primitive's mesh
for (const t of clip.tracks) {
  if (!t.name.endsWith('.morphTargetInfluences')) { tracks.push(t); continue; }
  for (const m of meshes) { const c = t.clone(); c.name = m.uuid + '.morphTargetInfluences'; tracks.push(c); }
}
const mixer = new THREE.AnimationMixer(avatar.scene);
mixer.clipAction(new THREE.AnimationClip('clip', clip.duration, tracks)).play();
const scene = new THREE.Scene();
scene.background = new THREE.Color().setRGB(...ex.background.map(c => c / 255), THREE.SRGBColorSpace);
scene.add(avatar.scene);
scene.add(new THREE.AmbientLight(0xffffff, ex.ambient * Math.PI));
for (const [d, i] of ex.lights) {
  const light = new THREE.DirectionalLight(0xffffff, i * Math.PI); light.position.set(...d); scene.add(light);
}
const c = ex.camera, cam = new THREE.PerspectiveCamera(c.yfov_deg, 1, c.znear, c.zfar);
cam.position.set(c.target[0], c.target[1], c.target[2] + c.distance); cam.lookAt(...c.target);
const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
renderer.setSize(384, 384); document.body.appendChild(renderer.domElement);
window.meshes = meshes.map(m => [m.geometry.attributes.position.count, m.material.vertexColors, m.material.side]);
window.morphNames = Object.keys(meshes[0].morphTargetDictionary);
window.poseAt = (t) => {
  mixer.setTime(t); avatar.scene.updateMatrixWorld(true);
  const m = meshes[0], v = new THREE.Vector3(), n = m.geometry.attributes.position.count, out = [];
  for (let i = 0; i < n; i++) { m.getVertexPosition(i, v); out.push(v.x, v.y, v.z); }
  renderer.render(scene, cam);
  return out;
};
window.ready = true;
</script></body></html>
"""


@pytest.fixture(scope="module")
def site(avatar: Avatar, lexicon: Lexicon, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, PoseTrack]]:
    root = tmp_path_factory.mktemp("three-site")
    (root / "three").symlink_to(REPO / "web" / "node_modules" / "three")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    sk = avatar.skeleton
    track = Sequencer(sk, lexicon, sk.skeleton_id).track(parse_gloss_string("fs-MEIER", lexicon), fps=25, speed=1.0)
    (root / "avatar.glb").write_bytes(avatar_glb(avatar))
    (root / "motion.glb").write_bytes(motion_glb(track, avatar))
    with socket_port() as port:
        server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=root,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(url + "/index.html", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the static server did not start"
                time.sleep(0.1)
        yield url, track
    finally:
        server.terminate()
        server.wait(timeout=10)


class socket_port:
    """A free TCP port on 127.0.0.1 (closed again before the server binds it)."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        port: int = self.sock.getsockname()[1]
        return port

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def test_three_js_skins_the_avatar_as_the_video_does(avatar: Avatar, site: tuple[str, PoseTrack]) -> None:
    url, track = site
    errors: list[str] = []
    with headless_browser("gltf-three") as b:
        page = b.new_page(400, 400)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "/index.html")
        page.wait_for_function("window.ready === true", timeout=60_000)
        assert not errors, errors
        # both primitives (skin single-sided, hair double-sided) with vertex colours and 9 named morphs
        assert page.evaluate("window.meshes") == [[len(avatar.vertices), True, 0], [len(avatar.vertices), True, 2]]
        assert len(page.evaluate("window.morphNames")) == 9
        world_r, world_p = avatar.skeleton.forward(track.rotations, track.root)
        worst = 0.0
        for f in range(0, track.num_frames, 9):
            got = np.asarray(page.evaluate(f"window.poseAt({f / 25})")).reshape(-1, 3)
            want, _ = avatar.deform(world_r[f], world_p[f], track.face[f])
            worst = max(worst, float(np.linalg.norm(got - want, axis=1).max()))
        assert worst < 0.0012, f"three.js differs from Avatar.deform by {worst * 1000:.2f} mm"
        page.evaluate(f"window.poseAt({track.num_frames // 2 / 25})")
        shot = b.shots / "avatar-three.png"
        page.locator("canvas").screenshot(path=str(shot))
    rgb = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    background = np.array([236, 239, 243])
    avatar_px = np.abs(rgb - background).sum(axis=2) > 30
    assert 0.15 < avatar_px.mean() < 0.6  # the avatar fills a good part of the frame, framed as the video
    skin = rgb[avatar_px]
    assert (skin[:, 0] > skin[:, 2] + 40).mean() > 0.05  # skin tones (vertex colours), not a white figure
