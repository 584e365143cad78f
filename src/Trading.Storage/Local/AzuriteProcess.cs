using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Trading.Storage.Tables;

namespace Trading.Storage.Local;

/// <summary>
/// A local Azurite (table service on <see cref="Port"/>, blob on the next port, queue on the one after: what the Durable
/// Task engine needs beside the tables) started from the repository's pinned npm package, for the CLI and benchmarks when no
/// storage is running. Runs <c>npm ci</c> once if Azurite is not installed yet. Disposing stops the process.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteProcess(Process process, StringBuilder output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
        ConnectionString = TableConnectionString.ForAzurite(port);
    }

    public int Port { get; }

    /// <summary>The development-account connection string for this instance (the key is Azurite's published one).</summary>
    public string ConnectionString { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts Azurite on 127.0.0.1: tables on <paramref name="port"/>, blobs on port + 1, queues on port + 2. <paramref name="port"/>
    /// null picks a free run of three; <paramref name="location"/> null keeps
    /// data in memory, otherwise in that folder. <paramref name="notices"/> (default stderr) gets the one-line install notice.
    /// </summary>
    public static async Task<AzuriteProcess> StartAsync(
        int? port = null, string? location = null, string? repositoryRoot = null, TextWriter? notices = null, CancellationToken ct = default)
    {
        var root = repositoryRoot ?? FindRepositoryRoot(AppContext.BaseDirectory)
            ?? FindRepositoryRoot(Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("Could not find the repository root (a folder whose package.json lists azurite) above the app or the current folder.");
        var azurite = Path.Combine(root, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        if (!File.Exists(azurite))
        {
            await (notices ?? Console.Error).WriteLineAsync("Installing Azurite (npm ci, one time)...").ConfigureAwait(false);
            await RunNpmCiAsync(root, ct).ConfigureAwait(false);
        }

        var chosenPort = port ?? FreePort();
        var start = new ProcessStartInfo(azurite)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(chosenPort))
        {
            start.ArgumentList.Add(argument);
        }

        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new AzuriteProcess(process, output, chosenPort);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!await IsListeningAsync(chosenPort, ct).ConfigureAwait(false) || !await IsListeningAsync(chosenPort + 2, ct).ConfigureAwait(false))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException(
                        $"Azurite did not start listening on 127.0.0.1:{chosenPort} ({(process.HasExited ? "it exited" : "timed out after 30 s")}). Its output:\n{instance.Output}");
                }

                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await instance.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return instance;
    }

    /// <summary>
    /// Starts Azurite detached from this process (its own session, output appended to <paramref name="logFile"/>), so it
    /// outlives the command that started it; returns its process id once it listens. Stop it with SIGINT (it then writes
    /// its data to <paramref name="location"/>). Unix only (uses <c>setsid</c>).
    /// </summary>
    public static async Task<int> StartDetachedAsync(
        int port, string location, string logFile, string? repositoryRoot = null, TextWriter? notices = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentException.ThrowIfNullOrWhiteSpace(logFile);
        var root = repositoryRoot ?? FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Directory.GetCurrentDirectory())
            ?? throw new InvalidOperationException("Could not find the repository root (a folder whose package.json lists azurite) above the app or the current folder.");
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            await (notices ?? Console.Error).WriteLineAsync("Installing Azurite (npm ci, one time)...").ConfigureAwait(false);
            await RunNpmCiAsync(root, ct).ConfigureAwait(false);
        }

        Directory.CreateDirectory(location);
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = root, UseShellExecute = false };
        // sh -c 'log=$1; shift; exec setsid "$@" >>"$log" 2>&1 </dev/null' sh LOG AZURITE ARGS...: no shell quoting of paths.
        foreach (var argument in new[] { "-c", "log=$1; shift; exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null", "sh", logFile, azurite })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in Arguments(port))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--location");
        start.ArgumentList.Add(location);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await IsListeningAsync(port, ct).ConfigureAwait(false) || !await IsListeningAsync(port + 2, ct).ConfigureAwait(false))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, ct).ConfigureAwait(false) : string.Empty;
                throw new InvalidOperationException(
                    $"Azurite did not start listening on 127.0.0.1:{port} ({(process.HasExited ? "it exited" : "timed out after 30 s")}). The end of its log:\n{log[Math.Max(0, log.Length - 2000)..]}");
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        return process.Id;
    }

    /// <summary>The listening arguments: tables on <paramref name="port"/>, blobs on the next port, queues on the one after.</summary>
    private static string[] Arguments(int port)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return
        [
            "--tableHost", "127.0.0.1", "--tablePort", port.ToString(c),
            "--blobHost", "127.0.0.1", "--blobPort", (port + 1).ToString(c),
            "--queueHost", "127.0.0.1", "--queuePort", (port + 2).ToString(c),
            "--skipApiVersionCheck", "--disableTelemetry",
        ];
    }

    /// <summary>What Azurite printed so far (for diagnostics).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> whose package.json mentions azurite.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var package = Path.Combine(dir.FullName, "package.json");
            if (File.Exists(package) && File.ReadAllText(package).Contains("\"azurite\"", StringComparison.Ordinal))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken ct = default)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static async Task RunNpmCiAsync(string root, CancellationToken ct)
    {
        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            npm.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(npm) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("Azurite is not installed and 'npm' was not found on PATH. Install Node.js 20 or later (it provides npm) and run this again.");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci' failed in {root} (exit code {process.ExitCode}): {await stderr.ConfigureAwait(false)}");
            }
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 64 * 1024)
            {
                output.AppendLine(line);
            }
        }
    }

    /// <summary>A loopback port whose next two ports are free as well (Azurite's table, blob and queue services).</summary>
    public static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port <= 65533 && IsFree(port + 1) && IsFree(port + 2) || attempt >= 50)
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
