namespace LeadExchange.Domain.Payments;

public enum PayoutStatus
{
    /// <summary>Money moved to payouts-in-transit; the transfer is queued.</summary>
    Requested,
    /// <summary>No Stripe: waiting for an admin to pay by bank transfer and mark it.</summary>
    AwaitingManual,
    Paid,
    /// <summary>Definite failure: money returned to the webmaster's available balance.</summary>
    Failed,
}

/// <summary>
/// A webmaster payout. Its status changes only through conditional updates in PayoutSettlement (Requested or
/// AwaitingManual → Paid or Failed), so two nodes can never settle it twice. The Stripe idempotency key is
/// derived from the id and stored before any call, so a retried or crashed attempt can never pay twice.
/// </summary>
public sealed class Payout
{
    private Payout() { }

    public Guid Id { get; private set; }
    public string WebmasterId { get; private set; } = "";
    public long Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public PayoutStatus Status { get; private set; }
    public PaymentMethod Method { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public string? StripeAccountId { get; private set; }
    public string? StripeTransferId { get; private set; }
    public string? FailureCode { get; private set; }
    public string? FailureReason { get; private set; }
    public int Attempts { get; private set; }
    public bool Scheduled { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? PaidAt { get; private set; }
    public string? PaidBy { get; private set; }
    public string? ManualReference { get; private set; }

    public static Payout Request(string webmasterId, long amount, string currency, string? stripeAccountId, bool scheduled, DateTime now)
    {
        var id = Guid.NewGuid();
        return new Payout
        {
            Id = id,
            WebmasterId = webmasterId,
            Amount = amount,
            Currency = currency,
            Status = stripeAccountId is null ? PayoutStatus.AwaitingManual : PayoutStatus.Requested,
            Method = stripeAccountId is null ? PaymentMethod.Manual : PaymentMethod.Stripe,
            IdempotencyKey = $"payout-{id:N}",
            StripeAccountId = stripeAccountId,
            Scheduled = scheduled,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public string Reference => $"payout:{Id:N}";
}
