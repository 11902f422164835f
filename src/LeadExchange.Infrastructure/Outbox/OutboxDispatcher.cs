using System.Diagnostics;
using LeadExchange.Application.Common;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Outbox;
using LeadExchange.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Outbox;

/// <summary>Section "Outbox".</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Timeout of one outbound HTTP call (buyer webhooks, webmaster postbacks): a hanging target fails the attempt after this.</summary>
    public double HttpTimeoutSeconds { get; set; } = 10;

    /// <summary>Messages handled at the same time per node (and so outbound calls in flight): a slow target holds one slot, not the queue.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Due messages taken per job tick and node.</summary>
    public int BatchSize { get; set; } = 100;
}

/// <summary>Delivers one kind of outbox message. Throwing means "try again later".</summary>
public interface IOutboxHandler
{
    string Type { get; }
    Task HandleAsync(OutboxMessage message, CancellationToken ct);

    /// <summary>Attempts before the message is dead-lettered.</summary>
    int MaxAttempts => OutboxDispatcher.MaxAttempts;

    /// <summary>Wait before the next attempt after <paramref name="attempts"/> failed ones (default: exponential from 30 s, capped at 6 h).</summary>
    TimeSpan RetryDelay(int attempts) => OutboxMessage.Backoff(attempts);

    /// <summary>
    /// Messages of one lane (e.g. one recipient's endpoint) are handled one after another, in order; lanes run in parallel.
    /// Null: the message is a lane of its own.
    /// </summary>
    string? Lane(string payload) => null;
}

/// <summary>A handler's failure that says whether the target hung until the HTTP timeout.</summary>
public interface IOutboxTargetFailure
{
    public const string TimedOutMessage = "Timed out.";
    bool TimedOut { get; }
}

/// <summary>
/// Claims due outbox messages and runs their handlers. A claim is a conditional update (only if unclaimed
/// or the previous claim's lease ran out), so on several nodes each message is worked by one node at a
/// time; a node that dies mid-message leaves a lease that expires and another node retries it. Handlers
/// must be idempotent (Stripe idempotency keys, unique constraints), because "at least once" is the promise.
/// A batch is split into lanes (<see cref="IOutboxHandler.Lane"/>: one per recipient for webhooks and postbacks). Lanes run
/// in parallel, at most <see cref="OutboxOptions.MaxConcurrency"/> at a time; the messages of one lane run one after another
/// in order, so a recipient's failure count and switch-off stay exact. When a target hangs until the HTTP timeout, the
/// rest of its lane waits for the next tick: a hanging target costs one slot for one timeout per tick, never the queue.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, IClock clock, IOptions<OutboxOptions> options, ILogger<OutboxDispatcher> logger)
{
    public const int MaxAttempts = 12;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly string _node = NodeName();

    private static string NodeName()
    {
        var name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return name.Length <= 100 ? name : name[^100..];
    }

    public async Task<int> DispatchDueAsync(int batchSize, CancellationToken ct)
    {
        List<List<Guid>> lanes;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var now = clock.UtcNow;
            var due = await db.OutboxMessages.AsNoTracking()
                .Where(m => m.ProcessedAt == null && !m.DeadLettered && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
                .OrderBy(m => m.NextAttemptAt).Select(m => new { m.Id, m.Type, m.Payload }).Take(batchSize).ToListAsync(ct);
            var handlers = scope.ServiceProvider.GetServices<IOutboxHandler>().ToDictionary(h => h.Type, StringComparer.Ordinal);
            lanes = due.GroupBy(m => (handlers.TryGetValue(m.Type, out var h) ? h.Lane(m.Payload) : null) ?? m.Id.ToString("N"))
                .Select(g => g.Select(m => m.Id).ToList()).ToList();
        }
        var done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrency), CancellationToken = ct };
        await Parallel.ForEachAsync(lanes, parallel, async (lane, token) =>
        {
            foreach (var id in lane)
            {
                var outcome = await TryProcessAsync(id, token);
                if (outcome == Outcome.Done) Interlocked.Increment(ref done);
                // The target hangs: the rest of its lane waits for the next tick instead of a timeout each.
                else if (outcome == Outcome.TimedOut) break;
            }
        });
        return done;
    }

    private enum Outcome { NotClaimed, Done, Failed, TimedOut }

    private async Task<Outcome> TryProcessAsync(Guid id, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.UtcNow;
        var leaseEnd = now + Lease;
        var claimed = await db.OutboxMessages
            .Where(m => m.Id == id && m.ProcessedAt == null && !m.DeadLettered && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, _node).SetProperty(m => m.LockedUntil, leaseEnd)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
        if (claimed == 0) return Outcome.NotClaimed;

        var message = await db.OutboxMessages.AsNoTracking().FirstAsync(m => m.Id == id, ct);
        var handler = scope.ServiceProvider.GetServices<IOutboxHandler>().FirstOrDefault(h => h.Type == message.Type);
        // The handler's HTTP call (webhook, postback) becomes a child of this span.
        using var span = Telemetry.Source.StartActivity(Telemetry.Spans.OutboxDeliver);
        if (span is not null)
        {
            span.SetTag(Telemetry.Tags.Kind, message.Type);
            span.SetTag(Telemetry.Tags.MessageId, id);
            span.SetTag(Telemetry.Tags.Attempt, message.Attempts);
        }
        try
        {
            if (handler is null) throw new InvalidOperationException($"No outbox handler for '{message.Type}'.");
            await handler.HandleAsync(message, ct);
            var finished = clock.UtcNow;
            await db.OutboxMessages.Where(m => m.Id == id && m.LockedBy == _node)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProcessedAt, finished).SetProperty(m => m.LockedUntil, (DateTime?)null).SetProperty(m => m.LastError, (string?)null), ct);
            Telemetry.OutboxDelivered(message.Type, "sent", span);
            return Outcome.Done;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var dead = message.Attempts >= (handler?.MaxAttempts ?? MaxAttempts);
            Telemetry.OutboxDelivered(message.Type, dead ? "dead" : "retry", span);
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var next = clock.UtcNow + (handler?.RetryDelay(message.Attempts) ?? OutboxMessage.Backoff(message.Attempts));
            var error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            logger.Log(dead ? LogLevel.Error : LogLevel.Warning, ex, "Outbox {Type} {Id} attempt {Attempt} failed{Dead}",
                message.Type, id, message.Attempts, dead ? "; giving up" : $"; retry at {next:O}");
            await db.OutboxMessages.Where(m => m.Id == id && m.LockedBy == _node)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LockedUntil, (DateTime?)null)
                    .SetProperty(m => m.LastError, error).SetProperty(m => m.DeadLettered, dead), CancellationToken.None);
            return ex is IOutboxTargetFailure { TimedOut: true } ? Outcome.TimedOut : Outcome.Failed;
        }
    }
}
