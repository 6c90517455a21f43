#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), installs lien with `pip install .`, and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh run
"$PYTHON" -m pip install --no-build-isolation -q -C build-dir=build/release .
lien demo --out lien-demo
