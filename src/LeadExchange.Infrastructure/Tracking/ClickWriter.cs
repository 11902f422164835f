using System.Linq.Expressions;
using System.Threading.Channels;
using LeadExchange.Application.Common;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Tracking;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>Section "Tracking:ClickWriter".</summary>
public sealed class ClickWriterOptions
{
    public const string Section = "Tracking:ClickWriter";

    /// <summary>Clicks held in memory at most (queue plus the batch being written); the bound on what a crash can lose.</summary>
    public int Capacity { get; set; } = 100_000;
    public int BatchSize { get; set; } = 1000;
    /// <summary>How long a batch waits to fill after its first click.</summary>
    public int FlushIntervalMilliseconds { get; set; } = 200;
    /// <summary>How long a request waits for room in a full queue before the click is dropped (and counted).</summary>
    public int EnqueueWaitMilliseconds { get; set; } = 50;
    public int MaxRetryDelayMilliseconds { get; set; } = 5000;
    /// <summary>Attempts for a whole batch before it is written row by row, so one bad row cannot block the rest forever.</summary>
    public int BatchAttempts { get; set; } = 8;
}

/// <summary>
/// Clicks go into a bounded in-memory queue and are written in batches by this background service:
/// one round trip per batch instead of one transaction per click (a binary COPY on PostgreSQL, an EF
/// batched INSERT elsewhere). Stopping the host completes the queue and writes everything left before
/// returning (graceful shutdown loses nothing); a crash loses what is in memory: the queue and the
/// batch being written. <see cref="FlushAsync"/> puts a marker in the same queue, so it waits for
/// exactly the clicks enqueued before it.
/// </summary>
public sealed class ClickWriter(ClickInserter inserter, IOptions<ClickWriterOptions> options, ILogger<ClickWriter> logger)
    : BackgroundService
{
    /// <summary>A click to write, or a flush marker (<see cref="Flushed"/> set) to complete once everything before it is written.</summary>
    private readonly record struct QueueItem(Click? Click, TaskCompletionSource? Flushed);

    private readonly Channel<QueueItem> _queue = Channel.CreateBounded<QueueItem>(new BoundedChannelOptions(Math.Max(1, options.Value.Capacity))
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = false,
    });
    private long _enqueued;
    private long _written;
    private long _dropped;
    private long _failedAttempts;

    public long Enqueued => Interlocked.Read(ref _enqueued);
    public long Written => Interlocked.Read(ref _written);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);
    /// <summary>Items in the queue: clicks not yet taken into a batch (plus any flush marker not yet reached).</summary>
    public int Pending => _queue.Reader.Count;

    public ValueTask<bool> EnqueueAsync(Click click, CancellationToken ct = default) =>
        // The common case stays synchronous: no async state machine per click.
        _queue.Writer.TryWrite(new QueueItem(click, null)) ? new ValueTask<bool>(Accepted()) : WaitForRoomAsync(click, ct);

    private async ValueTask<bool> WaitForRoomAsync(Click click, CancellationToken ct)
    {
        // Full (the database is slow or down): wait a moment, never long; the visitor's redirect matters more.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.EnqueueWaitMilliseconds);
        try
        {
            while (await _queue.Writer.WaitToWriteAsync(timeout.Token))
                if (_queue.Writer.TryWrite(new QueueItem(click, null))) return Accepted();
        }
        catch (OperationCanceledException)
        {
        }
        Interlocked.Increment(ref _dropped);
        logger.LogWarning("Click {ClickId} dropped: the click queue is full or closed", click.Id);
        return false;
    }

    private bool Accepted()
    {
        Interlocked.Increment(ref _enqueued);
        return true;
    }

    /// <summary>
    /// Returns once every click enqueued before the call is in the database, or was dropped after the
    /// batch and row-by-row attempts failed. Cuts the current batch's wait short; does not stop the writer.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new QueueItem(null, flushed), ct);
        }
        catch (ChannelClosedException)
        {
            // Stopping: the queue is closed and the loop is draining it; once it ends, everything enqueued is written.
            if (ExecuteTask is { } running) await running.WaitAsync(ct);
            return;
        }
        await flushed.Task.WaitAsync(ct);
    }

    /// <summary>Closes the queue, then waits (up to the host's shutdown timeout) until every queued click is written.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            try
            {
                await running.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                logger.LogError("Shutdown timed out with {Pending} clicks not yet written", Pending);
            }
        }
        await base.StopAsync(cancellationToken);
    }

    // The stopping token is deliberately not used for reads or writes: stopping completes the queue and the
    // loop ends once it is drained. The token only cuts retry back-off short, once the host gives up.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // leadexchange.click_queue.depth, while this writer runs.
        using var depthGauge = Telemetry.ObserveClickQueue(() => Pending);
        var batch = new List<Click>(options.Value.BatchSize);
        var flushes = new List<TaskCompletionSource>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                await FillAsync(reader, batch, flushes);
                if (batch.Count > 0) await WriteWithRetryAsync(batch, stoppingToken);
                batch.Clear();
                // Every click read before the marker is in this batch or an earlier one: written (or dropped) by now.
                foreach (var flushed in flushes) flushed.TrySetResult();
                flushes.Clear();
            }
        }
        finally
        {
            // Only reached with items left if the loop failed: count the lost clicks and release flush callers.
            foreach (var flushed in flushes) flushed.TrySetResult();
            while (reader.TryRead(out var item))
            {
                if (item.Click is not null) Interlocked.Increment(ref _dropped);
                item.Flushed?.TrySetResult();
            }
        }
    }

    /// <summary>Fills the batch until it is full, the flush interval is over, or a flush marker is read.</summary>
    private async Task FillAsync(ChannelReader<QueueItem> reader, List<Click> batch, List<TaskCompletionSource> flushes)
    {
        var max = Math.Max(1, options.Value.BatchSize);
        using var window = new CancellationTokenSource(options.Value.FlushIntervalMilliseconds);
        try
        {
            while (batch.Count < max)
            {
                if (reader.TryRead(out var item))
                {
                    if (item.Click is { } click) batch.Add(click);
                    if (item.Flushed is { } flushed)
                    {
                        flushes.Add(flushed);
                        return;
                    }
                    continue;
                }
                if (!await reader.WaitToReadAsync(window.Token)) return;
            }
        }
        catch (OperationCanceledException)
        {
            // The flush interval is over: write what we have.
        }
    }

    private async Task WriteWithRetryAsync(List<Click> batch, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await inserter.InsertAsync(batch);
                Interlocked.Add(ref _written, batch.Count);
                return;
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _failedAttempts);
                logger.LogError(ex, "Writing {Count} clicks failed (attempt {Attempt})", batch.Count, attempt);
                if (attempt >= options.Value.BatchAttempts)
                {
                    await WriteOneByOneAsync(batch);
                    return;
                }
            }
            // While this batch waits, new clicks keep queueing up to the queue's capacity, then are dropped.
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Shutting down: keep trying without pause until the host's shutdown timeout ends the process.
            }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, options.Value.MaxRetryDelayMilliseconds));
        }
    }

    /// <summary>
    /// Last resort for a batch that keeps failing: a row that cannot be written (e.g. already written by an
    /// attempt whose answer was lost) must not hold back the others.
    /// </summary>
    private async Task WriteOneByOneAsync(List<Click> batch)
    {
        foreach (var click in batch)
        {
            try
            {
                await inserter.InsertAsync([click]);
                Interlocked.Increment(ref _written);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _dropped);
                logger.LogError(ex, "Click {ClickId} could not be written and is dropped", click.Id);
            }
        }
    }
}

/// <summary>Writes clicks: one binary COPY per batch on PostgreSQL, an EF batched INSERT elsewhere. Shared by both click writers.</summary>
public sealed class ClickInserter(IServiceScopeFactory scopes)
{
    private PostgresClickCopy? _copy;

    public async Task InsertAsync(IReadOnlyCollection<Click> clicks)
    {
        // A fresh context per attempt: a failed SaveChanges leaves its tracked entities in a state not worth repairing.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.Database.IsNpgsql())
        {
            // The model is the same for the life of the process: build the COPY plan once.
            await (_copy ??= new PostgresClickCopy(db)).WriteAsync(db, clicks);
            return;
        }
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Clicks.AddRange(clicks);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// Inserts the clicks not in the database yet (a batch read again after its writer died between the insert and the
    /// acknowledgement): tries the whole batch first, and only when that fails looks up which ids exist. Returns how many
    /// were already there.
    /// </summary>
    public async Task<int> InsertNewAsync(IReadOnlyCollection<Click> clicks)
    {
        if (clicks.Count == 0) return 0;
        try
        {
            await InsertAsync(clicks);
            return 0;
        }
        catch (Exception first) when (first is DbUpdateException or Npgsql.PostgresException or InvalidOperationException)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var ids = clicks.Select(c => c.Id).ToList();
            var existing = (await db.Clicks.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync()).ToHashSet();
            if (existing.Count == 0) throw;
            var rest = clicks.Where(c => !existing.Contains(c.Id)).ToList();
            if (rest.Count > 0) await InsertAsync(rest);
            return existing.Count;
        }
    }
}

/// <summary>
/// Clicks into PostgreSQL with one binary COPY per batch: no change tracking, no SQL text or parameters per
/// row, a fraction of EF's allocations, and all-or-nothing like the INSERT batch it replaces. Table, columns,
/// store types and value converters come from the EF model, so a renamed column or a new property cannot
/// drift from the migrations.
/// </summary>
internal sealed class PostgresClickCopy
{
    private readonly string _command;
    private readonly ClickColumn[] _columns;

    public PostgresClickCopy(AppDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(Click)) ?? throw new InvalidOperationException("Click is not in the model.");
        var tableName = entity.GetTableName() ?? throw new InvalidOperationException("Click is not mapped to a table.");
        var table = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        _columns = entity.GetProperties()
            .Select(p => ClickColumn.For(p, p.GetColumnName(table) ?? throw new InvalidOperationException($"Click.{p.Name} has no column.")))
            .ToArray();
        _command = $"COPY {sql.DelimitIdentifier(tableName, entity.GetSchema())} ({string.Join(", ", _columns.Select(c => sql.DelimitIdentifier(c.Name)))}) FROM STDIN (FORMAT BINARY)";
    }

    public async Task WriteAsync(AppDbContext db, IReadOnlyCollection<Click> clicks)
    {
        // Not the stopping token: a batch started during shutdown must still complete (see ClickWriter.ExecuteAsync).
        var ct = CancellationToken.None;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            // Disposed without CompleteAsync (an exception below), the importer cancels the COPY: nothing is written.
            await using var importer = await connection.BeginBinaryImportAsync(_command, ct);
            foreach (var click in clicks)
            {
                await importer.StartRowAsync(ct);
                foreach (var column in _columns) await column.WriteAsync(importer, click, ct);
            }
            await importer.CompleteAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One column: a compiled getter (with the property's value converter) and the store type to send it as.</summary>
    private abstract class ClickColumn(string name)
    {
        public string Name { get; } = name;

        public abstract Task WriteAsync(Npgsql.NpgsqlBinaryImporter importer, Click click, CancellationToken ct);

        public static ClickColumn For(IProperty property, string name)
        {
            var mapping = property.GetRelationalTypeMapping();
            var click = Expression.Parameter(typeof(Click), "click");
            Expression value = Expression.MakeMemberAccess(click, property.GetMemberInfo(forMaterialization: false, forSet: false));
            if (mapping.Converter is { } converter) value = Expression.Invoke(converter.ConvertToProviderExpression, value);
            var getter = Expression.Lambda(value, click).Compile();
            var column = typeof(ClickColumn<>).MakeGenericType(value.Type);
            return (ClickColumn)Activator.CreateInstance(column, name, mapping.StoreTypeNameBase, getter)!;
        }
    }

    private sealed class ClickColumn<T>(string name, string storeType, Func<Click, T> get) : ClickColumn(name)
    {
        public override Task WriteAsync(Npgsql.NpgsqlBinaryImporter importer, Click click, CancellationToken ct)
        {
            var value = get(click);
            return value is null ? importer.WriteNullAsync(ct) : importer.WriteAsync(value, storeType, ct);
        }
    }
}
