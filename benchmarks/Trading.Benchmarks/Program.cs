using BenchmarkDotNet.Running;
using Trading.Benchmarks.Paired;

// Run one group, e.g.: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- --filter '*Condor*'
// Interleaved A/B against one server: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- paired gateway
if (args.Length > 0 && args[0] == "paired")
    return await PairedRun.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(PairedRun).Assembly).Run(args);
return 0;
