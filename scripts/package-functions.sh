#!/usr/bin/env bash
# Publishes the Azure Functions app (Release) and zips it for a Flex Consumption one-deploy.
# Usage: bash scripts/package-functions.sh [output.zip]      (default: artifacts/trading-functions.zip)
# Deploy the zip with:  az functionapp deployment source config-zip --resource-group <rg> --name <app> --src <zip>
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need dotnet "the .NET 10 SDK"

ZIP=${1:-artifacts/trading-functions.zip}
case "$ZIP" in /*) ;; *) ZIP="$ROOT/$ZIP" ;; esac
PUBLISH="$ROOT/artifacts/functions-publish"
rm -rf "$PUBLISH" "$ZIP"
mkdir -p "$(dirname "$ZIP")"

dotnet publish src/TradingFunctions/TradingFunctions.csproj --configuration Release --output "$PUBLISH" -nologo -clp:ErrorsOnly

# What the Functions host needs at the root of the package; local settings never ship.
for file in host.json functions.metadata worker.config.json extensions.json TradingFunctions.dll; do
  [ -f "$PUBLISH/$file" ] || { echo "error: the publish output has no $file at its root ($PUBLISH)." >&2; exit 1; }
done
[ ! -e "$PUBLISH/local.settings.json" ] || { echo "error: local.settings.json must not be in the package." >&2; exit 1; }

# host.json at the root of the zip (one-deploy rejects a package nested in a folder).
if command -v zip >/dev/null 2>&1; then
  (cd "$PUBLISH" && zip -q -r -X "$ZIP" .)
elif command -v python3 >/dev/null 2>&1; then
  python3 -c 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])' "$ZIP" "$PUBLISH"
else
  echo "error: neither 'zip' nor 'python3' was found on PATH. Install zip and run this again." >&2; exit 2
fi

echo "Functions package: $ZIP ($(du -h "$ZIP" | cut -f1), $(find "$PUBLISH" -type f | wc -l) files; publish folder $PUBLISH)"
echo "Deploy (Flex Consumption one-deploy): az functionapp deployment source config-zip --resource-group <rg> --name <app> --src $ZIP"
