#!/usr/bin/env bash
# Builds everything that can be built here (see the SKIPPED line when the Functions app cannot be restored).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need dotnet "the .NET 10 SDK"
select_build_target
dotnet build "$BUILD_TARGET" -nologo -clp:ErrorsOnly "$@"
