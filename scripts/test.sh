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

# Three free loopback ports in a row: tables on PORT, blobs on PORT+1, queues on PORT+2 (the Durable Task engine needs all three).
PORT=$(node -e '
const net=require("net");
const free=p=>new Promise(r=>{const s=net.createServer();s.once("error",()=>r(false));s.listen(p,"127.0.0.1",()=>s.close(()=>r(true)));});
(async()=>{for(;;){const s=net.createServer();await new Promise(r=>s.listen(0,"127.0.0.1",r));const p=s.address().port;await new Promise(r=>s.close(r));
if(p<65533&&await free(p+1)&&await free(p+2)){console.log(p);return;}}})();')
AZURITE_LOG=$(mktemp -t azurite-test.XXXXXX.log)
node_modules/.bin/azurite --tableHost 127.0.0.1 --tablePort "$PORT" --blobHost 127.0.0.1 --blobPort $((PORT + 1)) \
  --queueHost 127.0.0.1 --queuePort $((PORT + 2)) --inMemoryPersistence --skipApiVersionCheck --disableTelemetry >"$AZURITE_LOG" 2>&1 &
AZURITE_PID=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$((PORT + 2))") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 "$AZURITE_PID" 2>/dev/null || { echo "error: Azurite failed to start:" >&2; cat "$AZURITE_LOG" >&2; exit 1; }
  sleep 0.1
done
echo "Azurite listening on 127.0.0.1: tables $PORT, blobs $((PORT + 1)), queues $((PORT + 2)) (in-memory, pid $AZURITE_PID)"

# Azurite's well-known development account; not a secret.
export TRADING_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$((PORT + 1))/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((PORT + 2))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$PORT/devstoreaccount1;"

if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then TARGET=$1; shift; else TARGET=TradingFunctions.sln; fi
dotnet build "$TARGET" -nologo -clp:ErrorsOnly
dotnet test "$TARGET" --no-build -nologo "$@"
