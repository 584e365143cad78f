using System.Diagnostics;
using Azure.Data.Tables;
using Trading.Storage.Local;

namespace Trading.Storage.Tests.Local;

public sealed class AzuriteProcessTests
{
    [Fact]
    public void Repository_root_is_found_from_the_test_output_folder()
    {
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory);
        Assert.NotNull(root);
        Assert.True(File.Exists(Path.Combine(root, "package.json")));
        Assert.Null(AzuriteProcess.FindRepositoryRoot(Path.GetPathRoot(AppContext.BaseDirectory)!));
    }

    [Fact]
    public async Task Starts_serves_tables_and_stops_on_dispose()
    {
        var notices = new StringWriter();
        int port, pid;
        await using (var azurite = await AzuriteProcess.StartAsync(notices: notices))
        {
            (port, pid) = (azurite.Port, azurite.ProcessId);
            Assert.True(await AzuriteProcess.IsListeningAsync(port));
            var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("selfcheck");
            await table.CreateIfNotExistsAsync();
            await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Ok"] = true });
            Assert.Equal(true, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetBoolean("Ok"));
        }

        Assert.False(await AzuriteProcess.IsListeningAsync(port));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }
}
