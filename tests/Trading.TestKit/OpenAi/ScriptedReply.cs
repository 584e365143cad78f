namespace Trading.TestKit.OpenAi;

/// <summary>Token counts the loopback server reports in a usage block.</summary>
/// <param name="PromptTokens">prompt_tokens.</param>
/// <param name="CompletionTokens">completion_tokens.</param>
/// <param name="CachedTokens">prompt_tokens_details.cached_tokens.</param>
/// <param name="ReasoningTokens">completion_tokens_details.reasoning_tokens.</param>
public sealed record LoopbackUsage(int PromptTokens, int CompletionTokens, int CachedTokens = 0, int ReasoningTokens = 0);

/// <summary>What the server does with one request.</summary>
public enum ReplyKind
{
    /// <summary>A chat completion (or embeddings) with usage.</summary>
    Success,

    /// <summary>An HTTP error with an OpenAI error body.</summary>
    Error,

    /// <summary>Abort the connection without a response.</summary>
    ConnectionReset,

    /// <summary>A 200 whose body is not JSON.</summary>
    MalformedBody,
}

/// <summary>One scripted reply of the loopback OpenAI server.</summary>
public sealed record ScriptedReply
{
    /// <summary>Kind of reply.</summary>
    public ReplyKind Kind { get; init; } = ReplyKind.Success;

    /// <summary>Wait before replying.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Assistant message content for a chat success.</summary>
    public string Content { get; init; } = "{}";

    /// <summary>Usage block; null omits it.</summary>
    public LoopbackUsage? Usage { get; init; } = new(100, 20);

    /// <summary>HTTP status for <see cref="ReplyKind.Error"/>.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Retry-After header in seconds, when set.</summary>
    public double? RetryAfterSeconds { get; init; }

    /// <summary>OpenAI error code (e.g. "context_length_exceeded").</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Error message.</summary>
    public string ErrorMessage { get; init; } = "scripted error";

    /// <summary>A chat success answering <paramref name="content"/>.</summary>
    public static ScriptedReply Json(string content, LoopbackUsage? usage = null) =>
        new() { Content = content, Usage = usage ?? new LoopbackUsage(100, 20) };

    /// <summary>A chat success without a usage block.</summary>
    public static ScriptedReply JsonWithoutUsage(string content) => new() { Content = content, Usage = null };

    /// <summary>429 with Retry-After.</summary>
    public static ScriptedReply RateLimited(double retryAfterSeconds) =>
        new() { Kind = ReplyKind.Error, Status = 429, RetryAfterSeconds = retryAfterSeconds, ErrorCode = "rate_limit_exceeded", ErrorMessage = "Rate limit reached" };

    /// <summary>An HTTP error.</summary>
    public static ScriptedReply Failure(int status, string? code = null, string message = "scripted error") =>
        new() { Kind = ReplyKind.Error, Status = status, ErrorCode = code, ErrorMessage = message };

    /// <summary>500.</summary>
    public static ScriptedReply ServerError() => Failure(500, "server_error", "The server had an error");

    /// <summary>503.</summary>
    public static ScriptedReply Unavailable() => Failure(503, "service_unavailable", "The engine is currently overloaded");

    /// <summary>401.</summary>
    public static ScriptedReply Unauthorized() => Failure(401, "invalid_api_key", "Incorrect API key provided");

    /// <summary>400 context_length_exceeded.</summary>
    public static ScriptedReply ContextLengthExceeded() =>
        Failure(400, "context_length_exceeded", "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.");

    /// <summary>Abort the TCP connection.</summary>
    public static ScriptedReply Reset() => new() { Kind = ReplyKind.ConnectionReset };

    /// <summary>200 with a body that is not JSON.</summary>
    public static ScriptedReply Malformed() => new() { Kind = ReplyKind.MalformedBody };

    /// <summary>A success after <paramref name="delay"/>.</summary>
    public static ScriptedReply Slow(TimeSpan delay, string content = "{}") => new() { Delay = delay, Content = content };
}

/// <summary>A request the loopback server received.</summary>
/// <param name="Path">Request path.</param>
/// <param name="Model">The "model" field.</param>
/// <param name="Body">Raw JSON body.</param>
/// <param name="BearerToken">The bearer token sent (tests check the key reached the server and nowhere else).</param>
public sealed record LoopbackRequest(string Path, string? Model, string Body, string? BearerToken);
