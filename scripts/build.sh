#!/usr/bin/env bash
# Builds the whole solution, the Azure Functions app included.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need dotnet "the .NET 10 SDK"
dotnet build TradingFunctions.sln -nologo -clp:ErrorsOnly "$@"
