// The parts of three.js the 3D player uses (api/static/player/player.js imports "three" and
// "three/addons/loaders/GLTFLoader.js"; the page's import map sends both here once this is built).
// scripts/setup.sh bundles and minifies it with esbuild into web/dist/three-player.min.js: ~160 kB
// gzipped instead of the ~460 kB of three.js's own files (BENCHMARKS.md, issue 24). A name player.js
// uses must be exported here (tests/api/test_player_assets.py checks it).
export {
  AnimationMixer, Color, ColorManagement, DoubleSide, FrontSide, LinearSRGBColorSpace, LoopOnce, NoToneMapping,
  PerspectiveCamera, Scene, ShaderMaterial, Vector3, WebGLRenderer,
} from "three";
export { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
