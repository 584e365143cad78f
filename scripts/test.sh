#!/usr/bin/env bash
# The test command: builds, starts Azurite (in memory, free loopback port), runs every test, stops Azurite.
# Usage: bash scripts/test.sh [project-or-solution] [extra 'dotnet test' arguments]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need dotnet "the .NET 10 SDK"
ensure_node_tools

AZURITE_PID=""
stop_azurite() {
  if [ -n "$AZURITE_PID" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$AZURITE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}
trap stop_azurite EXIT
trap 'stop_azurite; exit 130' INT
trap 'stop_azurite; exit 143' TERM HUP

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')
AZURITE_LOG=$(mktemp -t azurite-test.XXXXXX.log)
node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$PORT" --inMemoryPersistence --skipApiVersionCheck --disableTelemetry >"$AZURITE_LOG" 2>&1 &
AZURITE_PID=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 "$AZURITE_PID" 2>/dev/null || { echo "error: Azurite failed to start:" >&2; cat "$AZURITE_LOG" >&2; exit 1; }
  sleep 0.1
done
echo "Azurite (tables) listening on 127.0.0.1:$PORT (in-memory, pid $AZURITE_PID)"

# Azurite's well-known development account; not a secret.
export TRADING_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$PORT/devstoreaccount1;"

if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then TARGET=$1; shift; else TARGET=TradingFunctions.sln; fi
dotnet build "$TARGET" -nologo -clp:ErrorsOnly
dotnet test "$TARGET" --no-build -nologo "$@"
