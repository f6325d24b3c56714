// Validate a glTF/GLB file with the Khronos glTF validator (web/node_modules/gltf-validator,
// installed by scripts/setup.sh) and print its JSON report on stdout.
// usage: node scripts/validate_gltf.mjs FILE.glb
// exit status: 0 no errors, 1 the file has errors (see the report), 2 bad usage or validator missing.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";

const path = process.argv[2];
if (!path || process.argv.length > 3) {
  console.error("usage: node scripts/validate_gltf.mjs FILE.glb");
  process.exit(2);
}
let validator;
try {
  validator = createRequire(new URL("../web/package.json", import.meta.url))("gltf-validator");
} catch (error) {
  console.error(`gltf-validator is not installed in web/node_modules (run scripts/setup.sh): ${error.message}`);
  process.exit(2);
}
let bytes;
try {
  bytes = new Uint8Array(readFileSync(path));
} catch (error) {
  console.error(`cannot read ${path}: ${error.message}`);
  process.exit(2);
}
const report = await validator.validateBytes(bytes, { uri: basename(path), maxIssues: 0 });
console.log(JSON.stringify(report, null, 2));
process.exit(report.issues.numErrors > 0 ? 1 : 0);
