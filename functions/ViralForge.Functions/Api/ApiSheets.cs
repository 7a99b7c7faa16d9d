using ViralForge.Core.Ports;
using ViralForge.Core.Sheets;

namespace ViralForge.Functions.Api;

/// <summary>
/// Jobs made through POST /v1/jobs have no spreadsheet: their sheet id is "api:" and the name the client gave, and the
/// job store is their only record (clients read it with GET /v1/jobs). Every other sheet id goes to the profile's registry.
/// </summary>
public sealed class ApiSheetRegistry(ISheetRegistry inner) : ISheetRegistry, IAsyncDisposable, IDisposable
{
    public const string Prefix = "api:";

    public static bool IsApiSheet(string sheetId) => sheetId.StartsWith(Prefix, StringComparison.Ordinal);

    public ISheet Open(string sheetId)
    {
        ArgumentNullException.ThrowIfNull(sheetId);
        return IsApiSheet(sheetId) ? new ApiSheet(sheetId) : inner.Open(sheetId);
    }

    // The wrapped registry was made by this decorator's factory, so the container leaves disposing it (and sending a
    // Google registry's queued writes) to us.
    public async ValueTask DisposeAsync()
    {
        switch (inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A sheet with no rows that takes every write: the status it would show is in the job store already.</summary>
    private sealed class ApiSheet(string id) : ISheet
    {
        public string Id { get; } = id;

        public Task<IReadOnlyList<SheetRow>> ReadRowsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SheetRow>>([]);

        public Task<SheetWriteResult> WriteAsync(IReadOnlyList<RowWrite> writes, CancellationToken cancellationToken) =>
            Task.FromResult(new SheetWriteResult(writes.Count, []));
    }
}
