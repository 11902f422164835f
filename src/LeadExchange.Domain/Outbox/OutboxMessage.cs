namespace LeadExchange.Domain.Outbox;

/// <summary>
/// A side effect that leaves the process (Stripe transfer, webhook, postback), written in the business
/// transaction and delivered later by the dispatcher. Rows are claimed with a conditional update on
/// (LockedUntil), so one node works a message at a time; retries back off exponentially.
/// </summary>
public sealed class OutboxMessage
{
    public const int TypeMaxLength = 64;

    private OutboxMessage() { }

    public OutboxMessage(string type, string payload, DateTime now, string? key = null)
    {
        Id = Guid.NewGuid();
        Type = type;
        Payload = payload;
        Key = key;
        CreatedAt = now;
        NextAttemptAt = now;
    }

    public Guid Id { get; private set; }
    public string Type { get; private set; } = "";
    /// <summary>Optional business key (e.g. a payout id) for finding a message.</summary>
    public string? Key { get; private set; }
    public string Payload { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime NextAttemptAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LockedBy { get; private set; }
    public DateTime? LockedUntil { get; private set; }
    public DateTime? ProcessedAt { get; private set; }
    /// <summary>Gave up after the last attempt.</summary>
    public bool DeadLettered { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Exponential backoff: 30 s, 1 min, 2 min, ... capped at 6 h.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Max(0, attempts - 1)), 6 * 3600));
}
