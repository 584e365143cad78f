namespace Trading.Cli.Configuration;

/// <summary>An error the user can fix (bad option, bad setting, missing tool); printed as one message, exit code 2, no stack trace.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException()
        : this("Invalid usage.")
    {
    }

    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
