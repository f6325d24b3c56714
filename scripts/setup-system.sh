#!/usr/bin/env bash
# Installs the Debian packages signavatar needs (ffmpeg, Mesa EGL/OSMesa; chromium and a font for the
# headless browser tests: tests/e2e/test_embed_browser.py runs it directly, tests/e2e/test_editor_browser.py
# and benchmarks/preview_latency.py drive it through Playwright (tests/browser.py, executable_path=
# /usr/bin/chromium), so neither chromium-driver nor a Playwright-downloaded browser is needed);
# redis-server: the broker of the Celery scale-out (signavatar worker); tests/distributed starts its own
# on loopback, nothing needs the system service; nodejs: tests/api/test_editor_pages.py checks that the
# editor's scripts parse (node --check); npm: installs the pinned browser packages of web/ (three.js for
# the 3D player, the Khronos glTF validator for the tests); espeak-ng: German phonemes for mouthing (gloss_to_pose/german_phonemes.py).
# Runs as root on a fresh machine; uses sudo when not root; skips what is there.
set -euo pipefail
PKGS=(ffmpeg libegl1 libegl-mesa0 libgl1-mesa-dri libosmesa6 libgles2 chromium fonts-dejavu-core redis-server nodejs espeak-ng)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs comes without npm (package npm); NodeSource's nodejs includes it and conflicts with
# Debian's npm: ask for npm only when no npm command will be there.
if ! command -v npm >/dev/null 2>&1 && ! dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -q nodesource; then
  missing+=(npm)
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
