namespace Trading.Markets.Alpaca;

/// <summary>Alpaca refused the credentials (HTTP 401): a configuration problem, never retried. Names the variables, not their values.</summary>
public sealed class AlpacaConfigurationException : Exception
{
    public AlpacaConfigurationException()
        : this("Alpaca rejected the API keys.")
    {
    }

    public AlpacaConfigurationException(string message)
        : base(message)
    {
    }

    public AlpacaConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An Alpaca API error that is not an order rejection: HTTP status, Alpaca's numeric code and message.</summary>
public sealed class AlpacaApiException : Exception
{
    public AlpacaApiException(int status, long? code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public AlpacaApiException()
        : this(0, null, "Alpaca request failed.")
    {
    }

    public AlpacaApiException(string message)
        : this(0, null, message)
    {
    }

    public AlpacaApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>HTTP status (0 when no response arrived).</summary>
    public int Status { get; }

    /// <summary>Alpaca's error code from the body, when present.</summary>
    public long? Code { get; }
}
