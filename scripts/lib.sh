# Shared by scripts/build.sh and scripts/test.sh. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need() { # command, what to install
  command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' was not found on PATH. Install $2 and run this again." >&2; exit 2; }
}

# The Azure Functions app references packages that only the public NuGet registry serves.
# Probe a restore; on failure build everything else and say so plainly, once.
FUNCTIONS_PROJECT=src/TradingFunctions/TradingFunctions.csproj
select_build_target() {
  if dotnet restore "$FUNCTIONS_PROJECT" >/tmp/tradingfunctions-restore.$$.log 2>&1; then
    BUILD_TARGET=TradingFunctions.sln
    echo "note: src/TradingFunctions restored; building the whole solution including the Azure Functions app."
  else
    BUILD_TARGET=TradingFunctions.Offline.slnf
    local missing
    missing=$(grep -oE 'Unable to find package [A-Za-z0-9.]+' /tmp/tradingfunctions-restore.$$.log | head -1 | sed 's/Unable to find package //' || true)
    echo "SKIPPED: src/TradingFunctions (the Azure Functions app) was not built or tested: its packages do not restore from this machine's NuGet source (first missing: ${missing:-see 'dotnet restore $FUNCTIONS_PROJECT'}). Everything else is built and tested; the app's logic is tested through Trading.Pipeline."
  fi
  rm -f /tmp/tradingfunctions-restore.$$.log
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
