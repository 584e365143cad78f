using System.Threading.Channels;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Trading.Cli.Mcp;

/// <summary>
/// Sends progress notifications for one tool call in order, and has sent them all before the call answers: over stateless
/// HTTP the notifications travel on the call's own response stream, so one still queued when the result is written would be
/// lost. Nothing is sent when the caller asked for no progress (no progress token). A failed send never fails the call.
/// </summary>
public sealed class ProgressRelay : IAsyncDisposable
{
    private readonly Channel<ProgressNotificationValue> _queue = Channel.CreateUnbounded<ProgressNotificationValue>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public ProgressRelay(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _pump = request.Params?.ProgressToken is { } token ? PumpAsync(request.Server, token, cancellationToken) : Task.CompletedTask;
        Enabled = request.Params?.ProgressToken is not null;
    }

    /// <summary>True when the caller asked for progress.</summary>
    public bool Enabled { get; }

    /// <summary>Queues one notification (non-blocking: the work reporting it is not slowed by the transport).</summary>
    public void Report(ProgressNotificationValue value)
    {
        if (Enabled)
        {
            _queue.Writer.TryWrite(value);
        }
    }

    /// <summary>Waits until every queued notification has been sent.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync(McpServer server, ProgressToken token, CancellationToken cancellationToken)
    {
        await foreach (var value in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await server.NotifyProgressAsync(token, value, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The client went away or cancelled: the remaining notifications have nowhere to go; the call ends on its own.
            }
        }
    }
}
