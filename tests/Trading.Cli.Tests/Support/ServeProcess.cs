using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Trading.Cli.Tests.Support;

/// <summary>
/// The built <c>trading serve</c> as a child process on a free loopback port: started, asked over HTTP, killed. Its standard
/// output and error are drained all along (a full pipe would block it) and kept for failure messages.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process) => _process = process;

    /// <summary>Where it listens (known once it printed it).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Everything it printed so far, both streams interleaved.</summary>
    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <c>trading serve --urls http://127.0.0.1:0</c> plus <paramref name="args"/> and waits until it listens.</summary>
    public static async Task<ServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[TradingProgram.Dll(), "serve", "--urls", "http://127.0.0.1:0", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var serve = new ServeProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        serve._process.OutputDataReceived += (_, e) => serve.Received(e.Data);
        serve._process.ErrorDataReceived += (_, e) => serve.Received(e.Data);
        serve._process.Exited += (_, _) => serve._listening.TrySetException(new InvalidOperationException("serve exited before it listened:\n" + serve.Log));
        serve._process.Start();
        serve._process.BeginOutputReadLine();
        serve._process.BeginErrorReadLine();
        try
        {
            serve.BaseAddress = await serve._listening.Task.WaitAsync(timeout);
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }

        return serve;
    }

    /// <summary>Kills the process and everything it started, at once (no graceful stop: a crash).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"^Serving the trading API on (http://\S+?)/? ")]
    private static partial Regex ListeningLine();
}
