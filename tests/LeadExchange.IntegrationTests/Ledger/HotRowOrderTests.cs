using System.Collections.Concurrent;
using System.Diagnostics;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using static LeadExchange.IntegrationTests.Buying.BuyingApi;

namespace LeadExchange.IntegrationTests.Ledger;

/// <summary>
/// "Hot rows last" (LedgerPoster): every conversion and sale of an advertiser updates the same balance and escrow rows,
/// whose locks last until commit; so the statements the app sends inside those units are watched (EF Core's diagnostic
/// events, this test's database only), and after the first balance UPDATE only balance UPDATEs may come before the commit.
/// On PostgreSQL, where row locks are what parallel units wait on.
/// </summary>
public sealed class HotRowOrderTests(PostbackPostgreSqlFactory app) : IClassFixture<PostbackPostgreSqlFactory>
{
    [Fact]
    public async Task ConversionAndSale_UpdateTheAdvertisersBalanceRowsLast_RightBeforeTheCommit()
    {
        var setup = await PostbackHarness.SetupAsync(app);
        var clickId = await PostbackHarness.ClickAsync(app, setup.LinkCode);
        var niche = await NicheAsync(app);
        var seller = await app.RegisterAsync("webmaster");
        var buyer = await AdvertiserAsync(app);
        var lead = await SubmitLeadAsync(seller.Client, niche);
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;

        List<List<string>> units;
        using (var recorder = new CommittedUnitRecorder(database))
        {
            await (await PostbackHarness.GetAsync(app, PostbackHarness.Query(("click_id", clickId), ("goal", "deposit"), ("token", setup.Token)))).ExpectOkAsync();
            await (await BuyAsync(buyer.Client, lead.Id, exclusive: true)).ExpectJsonAsync(System.Net.HttpStatusCode.Created);
            units = recorder.Committed();
        }

        var conversion = Assert.Single(units, u => u.Any(c => c.StartsWith("INSERT INTO \"Conversions\"", StringComparison.Ordinal)));
        var sale = Assert.Single(units, u => u.Any(c => c.Contains("INSERT INTO \"LeadSales\"", StringComparison.Ordinal)));
        foreach (var unit in new[] { conversion, sale })
        {
            var first = unit.FindIndex(IsBalanceUpdate);
            Assert.True(first >= 0, "The unit charged no account:\n" + string.Join("\n", unit));
            var after = unit.Skip(first).ToList();
            Assert.True(after.All(IsBalanceUpdate), "Statements ran while the balance rows were locked:\n" + string.Join("\n---\n", after));
            Assert.Equal(2, after.Count); // the advertiser's balance and escrow
        }
    }

    private static bool IsBalanceUpdate(string sql) => sql.Contains("UPDATE \"LedgerAccounts\"", StringComparison.Ordinal);

    /// <summary>Command texts per connection between a transaction's start and its commit, for one database.</summary>
    private sealed class CommittedUnitRecorder : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _database;
        private readonly IDisposable _all;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly ConcurrentDictionary<Guid, List<string>> _open = new();
        private readonly ConcurrentQueue<List<string>> _committed = new();

        public CommittedUnitRecorder(string database)
        {
            _database = database;
            _all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public List<List<string>> Committed() => [.. _committed];

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
                lock (_subscriptions) _subscriptions.Add(value.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            switch (value.Value)
            {
                case TransactionEventData t when value.Key == RelationalEventId.TransactionStarted.Name
                                                 && t.Transaction.Connection?.Database == _database:
                    _open[t.ConnectionId] = [];
                    break;
                case CommandEventData c when value.Key == RelationalEventId.CommandExecuting.Name && _open.TryGetValue(c.ConnectionId, out var unit):
                    lock (unit) unit.Add(c.Command.CommandText.Trim());
                    break;
                case TransactionEndEventData t when value.Key == RelationalEventId.TransactionCommitted.Name && _open.TryRemove(t.ConnectionId, out var done):
                    _committed.Enqueue(done);
                    break;
                case TransactionEndEventData t when value.Key == RelationalEventId.TransactionRolledBack.Name:
                    _open.TryRemove(t.ConnectionId, out _);
                    break;
            }
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions) _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
