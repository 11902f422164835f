using System.Globalization;
using System.Text.Json;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Tracking;
using LeadExchange.Infrastructure.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure.Tracking;

/// <summary>Section "Tracking:ClickStream": durable clicks through a Redis stream (with Redis only).</summary>
public sealed class ClickStreamOptions
{
    public const string Section = "Tracking:ClickStream";
    /// <summary>The stream's key (under Redis:KeyPrefix) and its consumer group.</summary>
    public const string Key = "clicks:stream";
    public const string Group = "click-writers";

    /// <summary>Off: clicks go through the in-memory writer only, as without Redis (a crash loses its queue).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Entries kept at most (approximate trimming): the bound on what waits while the database is away.</summary>
    public long MaxLength { get; set; } = 500_000;
    public int BatchSize { get; set; } = 1000;
    /// <summary>How long the writer waits after finding the stream empty (the bound on click-to-database latency).</summary>
    public int PollMilliseconds { get; set; } = 100;
    /// <summary>Entries another writer read but did not acknowledge for this long (a node that died) are taken over.</summary>
    public int ClaimIdleSeconds { get; set; } = 15;
}

/// <summary>A click draft as one stream field: compact JSON, written by the click script and read by the writer.</summary>
public static class ClickStreamEntry
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static string Serialize(ClickDraft draft) => JsonSerializer.Serialize(draft, Json);

    /// <summary>The click as the click path would have recorded it: the entry's draft with the verdict of the counts stored beside it.</summary>
    public static Click? Read(StreamEntry entry, ClickFraudOptions fraud)
    {
        var body = entry["c"];
        var counts = ((string?)entry["n"])?.Split(',');
        if (body.IsNullOrEmpty || counts is not { Length: 3 }) return null;
        var draft = JsonSerializer.Deserialize<ClickDraft>((string)body!, Json);
        if (draft is null) return null;
        var n = counts.Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        return draft.ToClick(new ClickCounts(n[0], n[1], n[2] == 1), fraud);
    }
}

/// <summary>
/// Writes the click stream to the database, one consumer per node in one consumer group: reads up to a batch, inserts it
/// (the same COPY as the in-memory writer; an entry written before, by a writer that died before acknowledging it, is
/// skipped), then acknowledges and deletes the entries. An entry a dead node read but never acknowledged is taken over
/// after <see cref="ClickStreamOptions.ClaimIdleSeconds"/>. So a click answered with its redirect is in Redis already, and
/// a node killed with -9 loses none: another node (or the restarted one) writes it.
/// </summary>
public sealed class ClickStreamWriter(
    RedisCircuit circuit, RedisKeyPrefix prefix, ClickInserter inserter, IOptions<ClickStreamOptions> options, IOptions<ClickFraudOptions> fraud,
    TimeProvider time, ILogger<ClickStreamWriter> logger) : BackgroundService
{
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private bool _groupReady;
    private long _written;
    private long _claimed;
    private long _skipped;

    public long Written => Interlocked.Read(ref _written);
    public long Claimed => Interlocked.Read(ref _claimed);
    /// <summary>Entries found already in the database (written by a writer that died before acknowledging them).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    private RedisKey Key => prefix.Of(ClickStreamOptions.Key);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastClaim = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wrote = await PassAsync(claim: time.GetElapsedTime(lastClaim) > TimeSpan.FromSeconds(Math.Max(1, options.Value.ClaimIdleSeconds) / 3.0));
                if (wrote.Claimed) lastClaim = time.GetTimestamp();
                if (wrote.Count > 0) continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The entries stay in the stream, unacknowledged: written on a later pass, here or by another node.
                logger.LogError(ex, "Writing clicks from the stream failed; they stay in Redis and are retried");
            }
            try
            {
                await _wake.WaitAsync(Math.Max(10, options.Value.PollMilliseconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Stopping: one more pass, so a graceful stop leaves nothing this node read unwritten.
        try { await PassAsync(claim: false); } catch (Exception ex) { logger.LogWarning(ex, "Last click stream pass failed; another node takes the entries over"); }
    }

    /// <summary>
    /// Returns once every click appended to the stream before the call (by any node) is in the database, or after
    /// <paramref name="timeout"/>; wakes this node's writer first.
    /// </summary>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken ct)
    {
        var last = await circuit.RunAsync<RedisValue?>("click-stream", async db =>
        {
            if (!await db.KeyExistsAsync(Key)) return RedisValue.Null;
            return (await db.StreamInfoAsync(Key)).LastGeneratedId;
        }, static () => null);
        if (last is not { IsNull: false } lastId) return;
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (time.GetTimestamp() < deadline)
        {
            _wake.Release();
            var done = await circuit.RunAsync("click-stream", async db =>
            {
                await EnsureGroupAsync(db);
                var group = (await db.StreamGroupInfoAsync(Key)).FirstOrDefault(g => g.Name == ClickStreamOptions.Group);
                if (group.Name is null || CompareIds(group.LastDeliveredId, lastId) < 0) return false;
                var pending = await db.StreamPendingMessagesAsync(Key, ClickStreamOptions.Group, 1, RedisValue.Null, "-", lastId);
                return pending.Length == 0;
            }, static () => true);
            if (done) return;
            await Task.Delay(10, ct);
        }
    }

    private async Task<(int Count, bool Claimed)> PassAsync(bool claim)
    {
        var (entries, claimed) = await circuit.RunAsync<(StreamEntry[] Entries, bool Claimed)>("click-stream", async db =>
        {
            try
            {
                return await ReadAsync(db, claim);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // Redis lost the stream and its group (a restart without persistence): create them on the next pass.
                _groupReady = false;
                return ([], false);
            }
        }, static () => ([], false));
        if (entries.Length == 0) return (0, claimed);

        var clicks = new List<Click>(entries.Length);
        foreach (var entry in entries)
        {
            if (ClickStreamEntry.Read(entry, fraud.Value) is { } click) clicks.Add(click);
            else logger.LogError("Click stream entry {Id} is unreadable and is dropped", entry.Id);
        }
        var skipped = await inserter.InsertNewAsync(clicks);
        Interlocked.Add(ref _skipped, skipped);
        Interlocked.Add(ref _written, clicks.Count - skipped);
        var ids = entries.Select(e => e.Id).ToArray();
        await circuit.RunAsync("click-stream-ack", async db =>
        {
            await db.StreamAcknowledgeAsync(Key, ClickStreamOptions.Group, ids);
            await db.StreamDeleteAsync(Key, ids);
        });
        return (entries.Length, claimed);
    }

    private async Task<(StreamEntry[] Entries, bool Claimed)> ReadAsync(IDatabase db, bool claim)
    {
        await EnsureGroupAsync(db);
        if (claim)
        {
            var taken = await db.StreamAutoClaimAsync(Key, ClickStreamOptions.Group, _consumer,
                (long)TimeSpan.FromSeconds(options.Value.ClaimIdleSeconds).TotalMilliseconds, "0-0", options.Value.BatchSize);
            if (taken.ClaimedEntries.Length > 0)
            {
                Interlocked.Add(ref _claimed, taken.ClaimedEntries.Length);
                logger.LogWarning("Took over {Count} clicks another click writer read but never acknowledged", taken.ClaimedEntries.Length);
                return (taken.ClaimedEntries, true);
            }
        }
        // This consumer's own unacknowledged entries first (a pass that failed), then new ones.
        var own = await db.StreamReadGroupAsync(Key, ClickStreamOptions.Group, _consumer, "0", options.Value.BatchSize);
        if (own.Length > 0) return (own, claim);
        return (await db.StreamReadGroupAsync(Key, ClickStreamOptions.Group, _consumer, ">", options.Value.BatchSize), claim);
    }

    private async Task EnsureGroupAsync(IDatabase db)
    {
        if (_groupReady) return;
        try
        {
            await db.StreamCreateConsumerGroupAsync(Key, ClickStreamOptions.Group, "0-0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // Created by another node (or an earlier run).
        }
        _groupReady = true;
    }

    /// <summary>Stream ids "ms-seq" in order.</summary>
    private static int CompareIds(RedisValue a, RedisValue b)
    {
        static (long, long) Parse(RedisValue v)
        {
            var parts = ((string?)v ?? "0-0").Split('-');
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : 0);
        }
        return Parse(a).CompareTo(Parse(b));
    }
}

/// <summary>
/// The click path's <see cref="IClickQueue"/>: the in-memory writer for the clicks the stream did not take (no Redis, or
/// Redis away at that moment), and a flush that waits for both, so "flushed" means in the database wherever the click went.
/// </summary>
public sealed class ClickQueue(ClickWriter memory, ClickStreamWriter? stream) : IClickQueue
{
    public ValueTask<bool> EnqueueAsync(Click click, CancellationToken ct = default) => memory.EnqueueAsync(click, ct);

    public async Task FlushAsync(CancellationToken ct = default)
    {
        await memory.FlushAsync(ct);
        if (stream is not null) await stream.FlushAsync(TimeSpan.FromSeconds(10), ct);
    }
}
