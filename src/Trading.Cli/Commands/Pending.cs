using Trading.Cli.Configuration;

namespace Trading.Cli.Commands;

// Placeholders until the pipeline branch lands its runner, HTTP handlers and services.
internal static class StatusExecution
{
    public static Task<int> ExecuteAsync(CliContext context, bool json, TextWriter output, CancellationToken cancellationToken) =>
        throw new CliUsageException("trading status needs the pipeline's status handler, which has not landed on this branch yet.");
}

internal static class LessonsExecution
{
    public static Task<int> ExecuteAsync(CliContext context, bool drafts, bool json, TextWriter output, CancellationToken cancellationToken) =>
        throw new CliUsageException("trading lessons needs the lessons store, which has not landed on this branch yet.");
}
