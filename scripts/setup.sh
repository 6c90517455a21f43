# Installs what lien needs on a Debian 12 machine (run as root), idempotently: only what is missing.
# Sourced by scripts/demo.sh ("run": build + runtime needs) and scripts/test.sh ("test": everything).
# C++ dependencies come from Debian's -dev packages, Python ones from PyPI; nothing is downloaded at build time.
set -euo pipefail

LIEN_SETUP_KIND=${1:-run}
export DEBIAN_FRONTEND=noninteractive PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

apt_build=(g++ make pkg-config libboost-graph-dev libboost-date-time-dev libeigen3-dev libsimdjson-dev catch2)
apt_test=(clang libclang-rt-14-dev abigail-tools valgrind chromium)
wanted=("${apt_build[@]}")
if [ "$LIEN_SETUP_KIND" = test ]; then wanted+=("${apt_test[@]}"); fi
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
# Build requirements (pyproject's [build-system]) plus, for tests, the `test` dependency group.
reqs=$("$PYTHON" - "$LIEN_SETUP_KIND" <<'PY'
import sys, tomllib
with open("pyproject.toml", "rb") as f:
    p = tomllib.load(f)
reqs = list(p["build-system"]["requires"]) + ["cmake>=3.25", "ninja"] + list(p["project"]["dependencies"])
reqs += p["project"]["optional-dependencies"]["plot"] + p["project"]["optional-dependencies"]["ml"]
if sys.argv[1] == "test":
    reqs += p["dependency-groups"]["test"]
print("\n".join(reqs))
PY
)
mapfile -t reqs <<<"$reqs"
"$PYTHON" -m pip install -q "${reqs[@]}"
