using Microsoft.Extensions.Configuration;
using Trading.Cli.Configuration;
using Trading.Storage.Local;
using Trading.Storage.Tables;

namespace Trading.Cli.Storage;

/// <summary>
/// Makes sure the configured storage (tables, and the blobs and queues of the Durable Task engine's task hub) is reachable for a local command. With no storage configured, each checkout has
/// Azurite storage of its own: a loopback port chosen once and remembered in <c>.trading/azurite-port</c>, data in
/// <c>.trading/azurite</c> — so two checkouts on one machine (or any other program on Azurite's default port) never read or
/// write each other's runs and positions. When the endpoint is on this machine and nothing listens there, it starts the
/// repository's pinned Azurite on that port: this checkout's own detached, kept running for later and overlapping commands
/// until <c>trading storage stop</c>; one at an explicitly configured loopback address stopped when disposed; a later <c>run --resume</c>, <c>status</c> or
/// <c>serve</c> of the same checkout finds the same storage.
/// </summary>
public sealed class LocalStorage : IAsyncDisposable
{
    /// <summary>The file under the checkout's <c>.trading/</c> folder that remembers its Azurite port.</summary>
    public const string PortFileName = "azurite-port";


    private readonly AzuriteProcess? _azurite;

    private LocalStorage(AzuriteProcess? azurite, IReadOnlyDictionary<string, string?> settings, string description)
    {
        _azurite = azurite;
        Settings = settings;
        Description = description;
    }

    /// <summary>Settings to add to the configuration (the connection string the CLI chose), empty when the configuration already says.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>One line for the user: where the tables are.</summary>
    public string Description { get; }

    /// <summary>True when this command started Azurite (and will stop it).</summary>
    public bool StartedAzurite => _azurite is not null;

    /// <summary>Resolves the storage and starts Azurite when needed.</summary>
    public static async Task<LocalStorage> EnsureAsync(IConfiguration configuration, string contentRoot, TextWriter notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(notices);
        // The same precedence as the pipeline's registration: a connection string, else AzureWebJobsStorage, else the
        // identity-based endpoint, else memory when asked; the CLI's own default (Azurite) only when none of them is set.
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var connection = configuration["Storage:ConnectionString"] is { Length: > 0 } explicitConnection
            ? explicitConnection
            : configuration["AzureWebJobsStorage"];
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (!string.IsNullOrWhiteSpace(configuration["Storage:TableServiceUri"]))
            {
                return new LocalStorage(null, settings, "Storage: " + configuration["Storage:TableServiceUri"] + " (identity-based).");
            }

            if (bool.TryParse(configuration["Storage:InMemory"], out var inMemory) && inMemory)
            {
                return new LocalStorage(null, settings, "Storage: in memory (Storage:InMemory=true); nothing is kept after exit.");
            }

            connection = CheckoutStorage(contentRoot);
            settings["Storage:ConnectionString"] = connection;
        }

        TableConnectionString parsed;
        try
        {
            parsed = TableConnectionString.Parse(connection);
        }
        catch (ArgumentException e)
        {
            // The message names the problem, never the key.
            throw new CliUsageException($"Storage:ConnectionString (or AzureWebJobsStorage) is not a valid storage connection string: {e.Message}");
        }

        var endpoint = parsed.TableEndpoint;
        if (!endpoint.IsLoopback)
        {
            return new LocalStorage(null, settings, $"Storage: tables at {endpoint.GetLeftPart(UriPartial.Authority)}.");
        }

        var mine = settings.Count > 0 ? " (this checkout's Azurite, data in .trading/azurite)" : string.Empty;
        if (await AzuriteProcess.IsListeningAsync(endpoint.Port, cancellationToken))
        {
            return new LocalStorage(null, settings, $"Storage: tables at {endpoint.GetLeftPart(UriPartial.Authority)}{mine}, already running.");
        }

        var location = Path.Combine(contentRoot, ".trading", "azurite");
        if (settings.Count > 0 && !OperatingSystem.IsWindows())
        {
            // This checkout's own Azurite outlives the command: a later or overlapping command (a second run, status,
            // serve) finds it listening. 'trading storage stop' stops it.
            try
            {
                // One starter at a time (commands started together): the others wait here, then find it listening.
                using var startLock = await LockAsync(Path.Combine(contentRoot, ".trading", "azurite.lock"), cancellationToken);
                if (await AzuriteProcess.IsListeningAsync(endpoint.Port, cancellationToken))
                {
                    return new LocalStorage(null, settings, $"Storage: tables at {endpoint.GetLeftPart(UriPartial.Authority)}{mine}, already running.");
                }

                var pid = await AzuriteProcess.StartDetachedAsync(
                    endpoint.Port, location, Path.Combine(contentRoot, ".trading", LogFileName), AzuriteProcess.FindRepositoryRoot(contentRoot), notices, cancellationToken);
                await File.WriteAllTextAsync(PidFile(contentRoot), pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + Environment.NewLine, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new CliUsageException(
                    $"Nothing listens on {endpoint.GetLeftPart(UriPartial.Authority)} and Azurite could not be started: {e.Message} "
                    + "Start a storage emulator there, or set Storage:ConnectionString to reachable storage.",
                    e);
            }

            return new LocalStorage(
                null,
                settings,
                $"Storage: started this checkout's Azurite on 127.0.0.1:{endpoint.Port} (data in {Path.GetRelativePath(Directory.GetCurrentDirectory(), location)}); it keeps running for later commands ('trading storage stop' stops it).");
        }

        AzuriteProcess azurite;
        try
        {
            azurite = await AzuriteProcess.StartAsync(endpoint.Port, location, AzuriteProcess.FindRepositoryRoot(contentRoot), notices, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new CliUsageException(
                $"Nothing listens on {endpoint.GetLeftPart(UriPartial.Authority)} and Azurite could not be started: {e.Message} "
                + "Start a storage emulator there, or set Storage:ConnectionString to reachable storage.",
                e);
        }

        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), location);
        return new LocalStorage(
            azurite,
            settings,
            $"Storage: started {(settings.Count > 0 ? "this checkout's " : string.Empty)}Azurite on 127.0.0.1:{endpoint.Port} (data in {relative}); it stops when this command exits.");
    }

    /// <summary>The file under <c>.trading/</c> that holds the process id of the Azurite a command started detached.</summary>
    public const string PidFileName = "azurite.pid";

    /// <summary>The file under <c>.trading/</c> that Azurite's output is appended to.</summary>
    public const string LogFileName = "azurite.log";

    private static string PidFile(string contentRoot) => Path.Combine(contentRoot, ".trading", PidFileName);

    /// <summary>One line about this checkout's Azurite: listening or not, and its process id when a command started it.</summary>
    public static async Task<(bool Listening, string Line)> StatusAsync(string contentRoot, CancellationToken cancellationToken)
    {
        var port = Port(CheckoutStorage(contentRoot));
        var listening = await AzuriteProcess.IsListeningAsync(port, cancellationToken);
        var pid = ReadPid(contentRoot);
        var line = listening
            ? $"Storage: this checkout's Azurite is running on 127.0.0.1:{port} (tables; blobs {port + 1}, queues {port + 2}){(pid is { } p ? $", process {p}" : string.Empty)}."
            : $"Storage: this checkout's Azurite is not running (port {port}); the next command that needs it starts it.";
        return (listening, line);
    }

    /// <summary>
    /// Stops this checkout's Azurite if a command started it (SIGINT, so it writes its data to disk; killed after 10 s).
    /// Returns the line to print.
    /// </summary>
    public static async Task<string> StopAsync(string contentRoot, CancellationToken cancellationToken)
    {
        var port = Port(CheckoutStorage(contentRoot));
        if (ReadPid(contentRoot) is not { } pid || !IsAlive(pid))
        {
            File.Delete(PidFile(contentRoot));
            return await AzuriteProcess.IsListeningAsync(port, cancellationToken)
                ? $"Storage: something listens on 127.0.0.1:{port}, but no 'trading' command started it (a 'trading serve' of this checkout stops its own on Ctrl+C); nothing stopped."
                : "Storage: this checkout's Azurite is not running; nothing to stop.";
        }

        await InterruptAsync(pid);
        if (IsAlive(pid))
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }

        File.Delete(PidFile(contentRoot));
        return $"Storage: stopped this checkout's Azurite (process {pid}, port {port}); its data stays in .trading/azurite.";
    }

    /// <summary>An exclusive lock on <paramref name="path"/> (released on dispose), waited for up to a minute.</summary>
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static int Port(string connectionString) => TableConnectionString.Parse(connectionString).TableEndpoint.Port;

    private static int? ReadPid(string contentRoot) =>
        File.Exists(PidFile(contentRoot))
        && int.TryParse(File.ReadAllText(PidFile(contentRoot)).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    /// <summary>
    /// The connection string of this checkout's own Azurite: the port remembered in <c>.trading/azurite-port</c>, or a free
    /// loopback port chosen now and remembered there.
    /// </summary>
    public static string CheckoutStorage(string contentRoot)
    {
        var folder = Path.Combine(contentRoot, ".trading");
        var file = Path.Combine(folder, PortFileName);
        int port;
        if (File.Exists(file))
        {
            var text = File.ReadAllText(file).Trim();
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1024 or > 65535)
            {
                throw new CliUsageException($"{Path.GetRelativePath(Directory.GetCurrentDirectory(), file)} should hold this checkout's Azurite port (1024-65535), not '{text}'. Fix it or delete it to choose a new port.");
            }
        }
        else
        {
            port = AzuriteProcess.FreePort();
            Directory.CreateDirectory(folder);
            File.WriteAllText(file, port.ToString(System.Globalization.CultureInfo.InvariantCulture) + Environment.NewLine);
        }

        return TableConnectionString.ForAzurite(port);
    }

    /// <summary>
    /// Stops the Azurite this command started. Azurite keeps tables in memory and writes them to disk periodically and when
    /// it shuts down on SIGINT; a hard kill would lose the last seconds (the stages a later <c>--resume</c> needs), so it is
    /// interrupted first and killed only if it does not exit.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_azurite is null)
        {
            return;
        }

        try
        {
            if (!OperatingSystem.IsWindows())
            {
                await InterruptAsync(_azurite.ProcessId);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No 'kill' program: fall through to the hard stop (the last few seconds of writes may be lost).
        }
        finally
        {
            await _azurite.DisposeAsync();
        }
    }

    private static async Task InterruptAsync(int processId)
    {
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill")
        {
            ArgumentList = { "-INT", processId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            UseShellExecute = false,
            RedirectStandardError = true,
        });
        if (kill is null)
        {
            return;
        }

        await kill.WaitForExitAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && IsAlive(processId))
        {
            await Task.Delay(100);
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
