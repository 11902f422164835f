using System.Threading.Channels;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Tracking;
using LeadExchange.Infrastructure.Persistence;
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
/// one INSERT round trip per batch instead of one transaction per click. Stopping the host completes
/// the queue and writes everything left before returning (graceful shutdown loses nothing); a crash
/// loses what is in memory: the queue and the batch being written.
/// </summary>
public sealed class ClickWriter(IServiceScopeFactory scopes, IOptions<ClickWriterOptions> options, ILogger<ClickWriter> logger)
    : BackgroundService, IClickQueue
{
    private readonly Channel<Click> _queue = Channel.CreateBounded<Click>(new BoundedChannelOptions(Math.Max(1, options.Value.Capacity))
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
    public int Pending => _queue.Reader.Count;

    public async ValueTask<bool> EnqueueAsync(Click click, CancellationToken ct = default)
    {
        if (_queue.Writer.TryWrite(click)) return Accepted();
        // Full (the database is slow or down): wait a moment, never long; the visitor's redirect matters more.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.EnqueueWaitMilliseconds);
        try
        {
            while (await _queue.Writer.WaitToWriteAsync(timeout.Token))
                if (_queue.Writer.TryWrite(click)) return Accepted();
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
        var batch = new List<Click>(options.Value.BatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            await FillAsync(reader, batch);
            if (batch.Count > 0) await WriteWithRetryAsync(batch, stoppingToken);
            batch.Clear();
        }
    }

    private async Task FillAsync(ChannelReader<Click> reader, List<Click> batch)
    {
        var max = Math.Max(1, options.Value.BatchSize);
        using var window = new CancellationTokenSource(options.Value.FlushIntervalMilliseconds);
        try
        {
            while (batch.Count < max)
            {
                if (reader.TryRead(out var click))
                {
                    batch.Add(click);
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
                await InsertAsync(batch);
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
                await InsertAsync([click]);
                Interlocked.Increment(ref _written);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _dropped);
                logger.LogError(ex, "Click {ClickId} could not be written and is dropped", click.Id);
            }
        }
    }

    private async Task InsertAsync(IReadOnlyCollection<Click> clicks)
    {
        // A fresh context per attempt: a failed SaveChanges leaves its tracked entities in a state not worth repairing.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Clicks.AddRange(clicks);
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
