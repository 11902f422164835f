using LeadExchange.Infrastructure.Persistence;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.TestSupport;

namespace LeadExchange.IntegrationTests.MultiNode;

/// <summary>
/// One app instance running as its own OS process (<see cref="AppProcess"/>), reached over real HTTP on 127.0.0.1.
/// Database reads for assertions go straight to the shared PostgreSQL database, not through the node.
/// </summary>
public sealed class ProcessNode(AppProcess process, DbContextOptionsSource database, Func<Task<string>> adminKey) : IAppNode, IAsyncDisposable
{
    // One connection pool per node for every client the tests create (they are many and short-lived).
    private readonly SocketsHttpHandler _handler = new() { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };

    public string Name => process.Name;
    public string BaseUrl => process.BaseUrl;
    public AppProcess Process => process;

    public HttpClient CreateAnonymousClient() =>
        new(_handler, disposeHandler: false) { BaseAddress = new Uri(process.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient CreateClientWithKey(string apiKey)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public Task<TestUser> RegisterAsync(string role, string? displayName = null) => TestAccounts.RegisterAsync(this, role, displayName);

    public async Task<HttpClient> AdminClientAsync() => CreateClientWithKey(await adminKey());

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var db = database.Create();
        return await work(db);
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        _handler.Dispose();
    }
}

/// <summary>Creates DbContexts on the cluster's database from the test process (EF options built once).</summary>
public sealed class DbContextOptionsSource(string connectionString)
{
    private readonly Microsoft.EntityFrameworkCore.DbContextOptions<AppDbContext> _options =
        DbContextOptionsFactory.Build(DatabaseProvider.PostgreSql, connectionString);

    public string ConnectionString => connectionString;

    public AppDbContext Create() => new(_options);
}
