using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Trading.Gateway.Tests.Support;

/// <summary>What tests read from the framework's <see cref="FakeLoggerProvider"/>: each record formatted with its exception text, so a secret anywhere in a log is found.</summary>
public static class CapturedLogs
{
    public static ILoggerFactory CreateFactory(this FakeLoggerProvider logs) =>
        LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

    public static IReadOnlyList<string> Lines(this FakeLoggerProvider logs) =>
        [.. logs.Collector.GetSnapshot().Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}")];

    public static string All(this FakeLoggerProvider logs) => string.Join("\n", logs.Lines());
}
