using System.Text.Json;
using Microsoft.Extensions.Logging;
using Trading.Core.Markets;
using Trading.Markets.Simulation;

namespace Trading.Pipeline.State;

/// <summary>
/// The simulated broker with its account kept in Table Storage (control table, row "simulated-broker/account"), so cash,
/// positions and orders outlive the process, as the position book does: a second <c>trading run</c>, the <c>serve</c> host
/// and every Functions instance see one paper account. Each call loads the stored account, runs on it, and saves it back
/// only if it changed, conditional on the version loaded; when another process saved in between, the call is redone on
/// the newer account (placing is idempotent by client order id, so a redone placement is still one order).
/// </summary>
public sealed class StoredSimulatedBroker : IBroker, IDisposable
{
    /// <summary>
    /// How many of the newest closed orders and settlements are kept (open orders always are): months of condors, well
    /// inside the 240,000 characters one state row holds (a closed four-leg order is under 1,000).
    /// </summary>
    public const int KeptHistory = 100;

    private const string Partition = "simulated-broker";
    private const string Row = "account";
    private const int MaxConflicts = 20;
    private static readonly JsonSerializerOptions Json = StateJson.Options;

    private readonly SimulatedBroker _broker;
    private readonly StateTable _table;
    private readonly SimulatedBrokerState _opening;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _announced;

    /// <summary>Wraps <paramref name="broker"/>, whose current state is the opening account when nothing is stored yet.</summary>
    public StoredSimulatedBroker(SimulatedBroker broker, PipelineTables tables, ILogger<StoredSimulatedBroker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _table = tables.Control;
        _opening = broker.ExportState();
        _logger = logger;
    }

    public bool IsSimulated => true;

    public Task<BrokerAccount> GetAccountAsync(CancellationToken cancellationToken) =>
        OnStoredAccountAsync(b => b.GetAccountAsync(cancellationToken), cancellationToken);

    public Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken) =>
        OnStoredAccountAsync(b => b.GetPositionsAsync(cancellationToken), cancellationToken);

    public Task<BrokerOrder> PlaceOrderAsync(MultiLegOrder order, CancellationToken cancellationToken) =>
        OnStoredAccountAsync(b => b.PlaceOrderAsync(order, cancellationToken), cancellationToken);

    public Task<BrokerOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        OnStoredAccountAsync(b => b.GetOrderAsync(orderId, cancellationToken), cancellationToken);

    public Task<BrokerOrder?> GetOrderByClientIdAsync(string clientOrderId, CancellationToken cancellationToken) =>
        OnStoredAccountAsync(b => b.GetOrderByClientIdAsync(clientOrderId, cancellationToken), cancellationToken);

    public Task CancelOrderAsync(string orderId, CancellationToken cancellationToken) =>
        OnStoredAccountAsync(async b =>
        {
            await b.CancelOrderAsync(orderId, cancellationToken);
            return true;
        }, cancellationToken);

    private async Task<T> OnStoredAccountAsync<T>(Func<SimulatedBroker, Task<T>> call, CancellationToken cancellationToken)
    {
        // One call at a time in this process (the broker holds one account); the version check covers other processes.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < MaxConflicts; attempt++)
            {
                var stored = await _table.GetAsync<SimulatedBrokerState>(Partition, Row, cancellationToken);
                var before = stored?.Value ?? _opening;
                Announce(stored is not null, before);
                _broker.ImportState(before);

                T result;
                try
                {
                    result = await call(_broker);
                }
                catch (OrderRejectedException)
                {
                    // The broker brought the account up to date (fills, expiries, the day's opening equity) before it
                    // refused: keep that if nobody wrote meanwhile (else the next call redoes it), and pass the refusal on.
                    await TrySaveAsync(stored, before, cancellationToken);
                    throw;
                }

                if (await TrySaveAsync(stored, before, cancellationToken))
                {
                    return result;
                }

                // Another process saved in between: redo the call on its account, after a short spread wait so that
                // contenders do not collide in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(1 + Random.Shared.Next(5 + (attempt * 10))), cancellationToken);
            }

            throw new InvalidOperationException(
                $"The simulated account in table '{_table.Name}' kept changing under this call ({MaxConflicts} write conflicts); try again.");
        }
        finally
        {
            _gate.Release();
        }
    }

    // Saves the broker's account unless it equals what was loaded; false when another writer got there first.
    private async Task<bool> TrySaveAsync(StateEntry<SimulatedBrokerState>? stored, SimulatedBrokerState before, CancellationToken cancellationToken)
    {
        var after = Compact(_broker.ExportState());
        if (Same(before, after))
        {
            return true;
        }

        return stored is null
            ? await _table.TryAddAsync(Partition, Row, after, cancellationToken)
            : await _table.TryReplaceAsync(Partition, Row, after, stored.ETag, cancellationToken);
    }

    /// <summary>Keeps open orders and the latest <see cref="KeptHistory"/> closed orders and settlements, so the row stays bounded.</summary>
    public static SimulatedBrokerState Compact(SimulatedBrokerState state)
    {
        var closed = state.Orders.Where(o => o.Status != "new").ToList();
        if (closed.Count > KeptHistory)
        {
            var keep = closed.OrderByDescending(o => o.SubmittedAt).Take(KeptHistory).ToHashSet();
            state.Orders = [.. state.Orders.Where(o => o.Status == "new" || keep.Contains(o))];
        }

        if (state.Settlements.Count > KeptHistory)
        {
            state.Settlements = state.Settlements[^KeptHistory..];
        }

        return state;
    }

    private static bool Same(SimulatedBrokerState a, SimulatedBrokerState b) =>
        JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json);

    private void Announce(bool restored, SimulatedBrokerState state)
    {
        if (_announced || _logger is null)
        {
            return;
        }

        _announced = true;
        if (restored)
        {
            _logger.LogInformation(
                "Simulated broker: account restored from table {Table} (cash {Cash}, {Positions} position(s)).",
                _table.Name, state.Cash, state.Positions.Count);
        }
        else
        {
            _logger.LogInformation("Simulated broker: new account in table {Table} (cash {Cash}).", _table.Name, state.Cash);
        }
    }

    public void Dispose() => _gate.Dispose();
}
