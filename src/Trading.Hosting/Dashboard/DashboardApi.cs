using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Hosting.Http;

namespace Trading.Hosting.Dashboard;

/// <summary>
/// The dashboard's JSON endpoints, one per panel (GET /api/dashboard/{panel}), as plain functions of (panel, query) →
/// <see cref="ApiResponse"/> shared by both hosts. Same rules as the rest of /api: the key is checked by the host, bad input
/// (an unknown panel or parameter, a value out of range) is 400 with a message, and a source that cannot be read is 503 naming it.
/// </summary>
public sealed class DashboardApi
{
    /// <summary>The panels, in the order the page shows them.</summary>
    public static IReadOnlyList<string> Panels { get; } = ["account", "positions", "runs", "spend", "models", "strategy"];

    /// <summary>Default window of the spend and model panels, in days.</summary>
    public const int DefaultDays = 30;

    /// <summary>Default number of runs listed.</summary>
    public const int DefaultRunLimit = 50;

    // The function key may arrive as ?code=; it is the host's, not a panel parameter.
    private const string KeyParameter = "code";

    private readonly AccountQuery _account;
    private readonly PositionsQuery _positions;
    private readonly RunsQuery _runs;
    private readonly LlmSpendQuery _spend;
    private readonly ModelComparisonQuery _models;
    private readonly StrategyQuery _strategy;
    private readonly ILogger _logger;

    public DashboardApi(
        AccountQuery account, PositionsQuery positions, RunsQuery runs, LlmSpendQuery spend, ModelComparisonQuery models, StrategyQuery strategy,
        ILogger<DashboardApi>? logger = null)
    {
        _account = account ?? throw new ArgumentNullException(nameof(account));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _spend = spend ?? throw new ArgumentNullException(nameof(spend));
        _models = models ?? throw new ArgumentNullException(nameof(models));
        _strategy = strategy ?? throw new ArgumentNullException(nameof(strategy));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>GET /api/dashboard/{panel}?… from a request's query string (a parameter given twice is 400).</summary>
    public Task<ApiResponse> GetPanelAsync(string? panel, IQueryCollection query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var twice = query.FirstOrDefault(q => q.Value.Count > 1).Key;
        return twice is not null
            ? Task.FromResult(ApiResponse.Error(400, $"Parameter '{Printable(twice)}' appears twice."))
            : GetPanelAsync(panel, query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal), cancellationToken);
    }

    /// <summary>GET /api/dashboard/{panel}?…: the panel's JSON.</summary>
    public async Task<ApiResponse> GetPanelAsync(string? panel, IReadOnlyDictionary<string, string?> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var name = panel?.Trim().ToLowerInvariant();
        if (name is null || !Panels.Contains(name))
            return ApiResponse.Error(404, $"No dashboard panel '{Printable(panel)}'; panels: {string.Join(", ", Panels)}.");

        var allowed = name switch
        {
            "runs" => new[] { "outcome", "limit" },
            "spend" or "models" => ["days"],
            _ => [],
        };
        foreach (var parameter in query.Keys)
        {
            if (!allowed.Contains(parameter, StringComparer.Ordinal) && !string.Equals(parameter, KeyParameter, StringComparison.Ordinal))
            {
                return ApiResponse.Error(400, allowed.Length == 0
                    ? $"Unknown parameter '{Printable(parameter)}'; the {name} panel takes none."
                    : $"Unknown parameter '{Printable(parameter)}'; the {name} panel takes: {string.Join(", ", allowed)}.");
            }
        }

        if (!TryInt(query, "days", DefaultDays, 1, CallWindow.MaxDays, out var days, out var error)
            || !TryInt(query, "limit", DefaultRunLimit, 1, RunsQuery.MaxLimit, out var limit, out error))
            return ApiResponse.Error(400, error);

        var outcome = query.GetValueOrDefault("outcome");
        if (string.IsNullOrEmpty(outcome))
            outcome = null;
        else if (!RunsQuery.Outcomes.Contains(outcome, StringComparer.Ordinal))
            return ApiResponse.Error(400, $"Unknown outcome '{Printable(outcome)}'; one of: {string.Join(", ", RunsQuery.Outcomes)}.");

        try
        {
            object body = name switch
            {
                "account" => await _account.ReadAsync(cancellationToken),
                "positions" => await _positions.ReadAsync(cancellationToken),
                "runs" => await _runs.ReadAsync(outcome, limit, cancellationToken),
                "spend" => await _spend.ReadAsync(days, cancellationToken),
                "models" => await _models.ReadAsync(days, cancellationToken),
                _ => await _strategy.ReadAsync(cancellationToken),
            };
            return ApiResponse.Of(200, body);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage or the broker failed: say which panel and why in one line (no stack trace, nothing from the request).
            var why = e.Message.Split('\n', 2)[0].Trim();
            _logger.LogWarning("Dashboard panel {Panel} unavailable: {Error}: {Message}", name, e.GetType().Name, why);
            return ApiResponse.Error(503, $"The {name} panel could not be read: {e.GetType().Name}: {(why.Length <= 200 ? why : why[..200] + "…")}");
        }
    }

    private static bool TryInt(IReadOnlyDictionary<string, string?> query, string name, int fallback, int min, int max, out int value, out string error)
    {
        error = string.Empty;
        value = fallback;
        if (!query.TryGetValue(name, out var text) || string.IsNullOrEmpty(text))
            return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        error = string.Create(CultureInfo.InvariantCulture, $"'{name}' must be a whole number from {min} to {max}; got '{Printable(text)}'.");
        return false;
    }

    private static string Printable(string? text) =>
        text is null ? string.Empty : new string(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
