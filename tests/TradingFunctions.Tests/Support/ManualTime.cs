namespace TradingFunctions.Tests.Support;

/// <summary>A clock the test sets (what the app reads through its TimeProvider; the Durable engine keeps its own).</summary>
public sealed class ManualTime : TimeProvider
{
    private long _ticks;

    public ManualTime(DateTimeOffset now) => _ticks = now.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
