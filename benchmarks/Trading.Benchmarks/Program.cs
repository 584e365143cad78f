using BenchmarkDotNet.Running;

// Run one group, e.g.: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- --filter '*Condor*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
