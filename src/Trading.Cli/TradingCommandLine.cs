using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Trading.Cli.Commands;
using Trading.Cli.Configuration;

namespace Trading.Cli;

/// <summary>The <c>trading</c> command tree: run, serve, backtest, status, lessons, models, mcp.</summary>
public static class TradingCommandLine
{
    /// <summary>Exit code for a run that completed, whatever it decided.</summary>
    public const int Success = 0;

    /// <summary>Exit code for a failure while working (storage unreachable, a stage crashed).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for something the user must fix before trying again (options, settings, missing tools).</summary>
    public const int UsageError = 2;

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand(
            "Autonomous SPY iron-condor paper trading, on any machine. Without keys it uses a simulated market and broker and an "
            + "offline rules-based council, and starts Azurite for storage when nothing is listening.");
        root.Add(RunCommand.Create(context));
        root.Add(ServeCommand.Create(context));
        root.Add(BacktestCommand.Create(context));
        root.Add(StatusCommand.Create(context));
        root.Add(LessonsCommand.Create(context));
        root.Add(ModelsCommand.Create(context));
        root.Add(McpCommand.Create(context));
        root.Add(StorageCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliContext context, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = Create(context);
        // "trading help" and "trading help run" mean what users expect: the help of the tool, or of that command.
        if (args is ["help", .. var rest])
        {
            args = [.. rest, "--help"];
        }

        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("error: " + parseError.Message);
            }

            await error.WriteLineAsync("Run 'trading --help' (or 'trading <command> --help') for the options.");
            return UsageError;
        }

        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return UsageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled.");
            return Failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return Failure;
        }
    }

    /// <summary>
    /// Parses a <c>--at</c> value: ISO 8601 with an offset (<c>2026-03-02T14:45Z</c>) as given; without an offset it is
    /// exchange time (America/New_York), the way traders say "9:45".
    /// </summary>
    public static DateTimeOffset? ParseMoment(ArgumentResult result, TimeZoneInfo exchangeZone)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(exchangeZone);
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = result.Tokens[0].Value;
        if (TryParseMoment(text, exchangeZone, out var moment))
        {
            return moment;
        }

        result.AddError($"'{text}' is not a time. Use ISO 8601, e.g. 2026-03-02T09:45 (New York time) or 2026-03-02T14:45Z.");
        return null;
    }

    /// <summary>See <see cref="ParseMoment"/>.</summary>
    public static bool TryParseMoment(string text, TimeZoneInfo exchangeZone, out DateTimeOffset moment)
    {
        ArgumentNullException.ThrowIfNull(exchangeZone);
        moment = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d{2}:?\d{2}$");
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out moment);
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        moment = new DateTimeOffset(unspecified, exchangeZone.GetUtcOffset(unspecified));
        return true;
    }

    /// <summary>Parses a date option (yyyy-MM-dd).</summary>
    public static DateOnly ParseDate(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        result.AddError($"'{text}' is not a date. Use yyyy-MM-dd, e.g. 2025-01-02.");
        return default;
    }
}
