using System.Collections.Concurrent;
using System.Globalization;
using Azure.Data.Tables;

namespace Trading.Pipeline.State;

/// <summary>Table names of the pipeline's state. Section "PipelineTables".</summary>
public sealed class PipelineTablesOptions
{
    public const string SectionName = "PipelineTables";

    /// <summary>Prepended to every table name (letters and digits); lets several deployments or test runs share an account.</summary>
    public string TablePrefix { get; set; } = string.Empty;

    public IEnumerable<string> Validate()
    {
        if (TablePrefix.Length > 30 || !TablePrefix.All(char.IsAsciiLetterOrDigit) || (TablePrefix.Length > 0 && !char.IsAsciiLetter(TablePrefix[0])))
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{SectionName}:TablePrefix must be at most 30 letters or digits starting with a letter; got '{TablePrefix}'.");
        }
    }
}

/// <summary>The pipeline's tables: in Table Storage (created on first use), or in process memory.</summary>
public sealed class PipelineTables
{
    private readonly Func<string, bool, StateTable> _create;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, StateTable> _tables = new(StringComparer.Ordinal);

    /// <summary>The tables in Table Storage.</summary>
    public PipelineTables(TableServiceClient service, PipelineTablesOptions options)
        : this((name, immutable) => new TableStateTable(service, name, immutable), options)
    {
        ArgumentNullException.ThrowIfNull(service);
    }

    private PipelineTables(Func<string, bool, StateTable> create, PipelineTablesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _create = create;
        _prefix = options.TablePrefix;
    }

    /// <summary>Tables in process memory (backtests, <c>Storage:InMemory=true</c>): nothing survives the process.</summary>
    public static PipelineTables InMemory(PipelineTablesOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new PipelineTables((name, immutable) => new InMemoryStateTable(name, time, immutable), options);
    }

    /// <summary>Run journals.</summary>
    public StateTable Journal => Get("runjournal");

    /// <summary>Open and closed condors.</summary>
    public StateTable Positions => Get("positions", immutableDocuments: true);

    /// <summary>Trade memory: one outcome per closed position.</summary>
    public StateTable TradeOutcomes => Get("tradeoutcomes");

    /// <summary>Thompson sampler state per strategy variant.</summary>
    public StateTable Sampler => Get("samplerstate");

    /// <summary>The daily 30-day at-the-money implied volatility, for the IV rank.</summary>
    public StateTable VolatilityHistory => Get("volhistory");

    /// <summary>The halt switch and its history.</summary>
    public StateTable Control => Get("tradingcontrol");

    private StateTable Get(string name, bool immutableDocuments = false) =>
        _tables.GetOrAdd(_prefix + name, n => _create(n, immutableDocuments));
}
