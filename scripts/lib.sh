# Shared by scripts/build.sh and scripts/test.sh. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need() { # command, what to install
  command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' was not found on PATH. Install $2 and run this again." >&2; exit 2; }
}

# Install the pinned Azurite (package-lock.json) when node_modules is missing or stale.
ensure_node_tools() {
  need node "Node.js 20 or later (it provides node and npm)"
  need npm "Node.js 20 or later (it provides node and npm)"
  local stamp=node_modules/.trading-lock-hash want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -x node_modules/.bin/azurite-table ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing pinned dev tools (npm ci: azurite)..."
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" > "$stamp"
  fi
}
