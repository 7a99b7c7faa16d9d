using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;
using ViralForge.Functions.Api;

namespace ViralForge.Functions.Tests.Api;

/// <summary>"api:" sheets have no spreadsheet: their status writes are taken and dropped, every other id goes to the profile's registry.</summary>
public sealed class ApiSheetRegistryTests
{
    [Fact]
    public async Task Api_sheets_take_writes_without_a_spreadsheet_and_other_ids_reach_the_wrapped_registry()
    {
        var inner = new StrictRegistry();
        var registry = new ApiSheetRegistry(inner);

        var api = registry.Open("api:crm");
        var write = await api.WriteAsync([new RowWrite(RowLocator.ByJobId(Guid.NewGuid()), new Dictionary<string, string?> { [SheetContract.Status] = "queued" })], CancellationToken.None);

        Assert.Equal("api:crm", api.Id);
        Assert.Empty(await api.ReadRowsAsync(CancellationToken.None));
        Assert.Equal(1, write.Written);
        Assert.Empty(write.NotFound);
        Assert.Empty(inner.Opened);
        // A Google registry throws on an id that is not gsheet:…; such an id still reaches it, and its answer is the caller's.
        Assert.Throws<ArgumentException>(() => registry.Open("crm"));
        Assert.Equal(["crm"], inner.Opened);
    }

    [Fact]
    public async Task Registering_the_api_twice_wraps_the_registry_once_and_disposing_the_container_disposes_the_wrapped_one()
    {
        var inner = new StrictRegistry();
        var services = new ServiceCollection();
        services.AddSingleton<ISheetRegistry>(inner);
        var configuration = new ConfigurationBuilder().Build();

        services.AddJobsApi(configuration).AddJobsApi(configuration);
        var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<ISheetRegistry>();
        registry.Open("gsheet:abc/Ideas");
        await provider.DisposeAsync();

        Assert.IsType<ApiSheetRegistry>(registry);
        Assert.Equal(["gsheet:abc/Ideas"], inner.Opened);
        Assert.True(inner.Disposed);
    }

    private sealed class StrictRegistry : ISheetRegistry, IDisposable
    {
        public List<string> Opened { get; } = [];

        public bool Disposed { get; private set; }

        public ISheet Open(string sheetId)
        {
            Opened.Add(sheetId);
            return sheetId.StartsWith("gsheet:", StringComparison.Ordinal) ? new NoSheet(sheetId) : throw new ArgumentException($"{sheetId} is not gsheet:<id>/<tab>", nameof(sheetId));
        }

        public void Dispose() => Disposed = true;
    }

    private sealed class NoSheet(string id) : ISheet
    {
        public string Id { get; } = id;

        public Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SheetRow>>([]);

        public Task<SheetWriteResult> WriteAsync(IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken) => Task.FromResult(new SheetWriteResult(0, []));
    }
}
