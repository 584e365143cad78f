using DurableTask.Core;
using Trading.Pipeline.Activities;

namespace Trading.Hosting.Engine;

/// <summary>
/// One pipeline activity as a DurableTask.Core <see cref="TaskActivity"/>: the JSON payload in, the shared implementation
/// from <see cref="ActivityCatalog"/>, the JSON result out (System.Text.Json on both sides, see <see cref="PayloadDataConverter"/>).
/// </summary>
public sealed class CatalogTaskActivity : TaskActivity
{
    private readonly string _name;
    private readonly ActivityCatalog _catalog;
    private readonly Func<string, CancellationToken, Task>? _afterActivity;

    public CatalogTaskActivity(string name, ActivityCatalog catalog, Func<string, CancellationToken, Task>? afterActivity = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _name = name;
        _catalog = catalog;
        _afterActivity = afterActivity;
    }

    public override string Run(TaskContext context, string input) =>
        throw new NotSupportedException("Pipeline activities run asynchronously (RunAsync).");

    public override async Task<string> RunAsync(TaskContext context, string input)
    {
        var output = await _catalog.InvokeAsync(_name, input, CancellationToken.None);
        if (_afterActivity is not null)
        {
            await _afterActivity(_name, CancellationToken.None);
        }

        return output;
    }
}
