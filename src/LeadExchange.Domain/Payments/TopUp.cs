namespace LeadExchange.Domain.Payments;

public enum TopUpStatus { Pending, Paid, Failed, Expired, Refunded }

public enum PaymentMethod { Stripe, Manual }

/// <summary>An advertiser's top-up: a Stripe Checkout Session, or a manual credit by an admin.</summary>
public sealed class TopUp
{
    private TopUp() { }

    public Guid Id { get; private set; }
    public string AdvertiserId { get; private set; } = "";
    public long Amount { get; private set; }
    public string Currency { get; private set; } = "";
    public TopUpStatus Status { get; private set; }
    public PaymentMethod Method { get; private set; }
    public string? StripeSessionId { get; private set; }
    public string? StripePaymentIntentId { get; private set; }
    public string? Note { get; private set; }
    public string? CreatedBy { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime? CompletedAt { get; private set; }
    /// <summary>Amount refunded so far through Stripe (minor units).</summary>
    public long RefundedAmount { get; private set; }

    public static TopUp StartStripe(string advertiserId, long amount, string currency, DateTime now) => new()
    {
        Id = Guid.NewGuid(), AdvertiserId = advertiserId, Amount = amount, Currency = currency,
        Status = TopUpStatus.Pending, Method = PaymentMethod.Stripe, CreatedAt = now, CreatedBy = advertiserId,
    };

    public static TopUp Manual(string advertiserId, long amount, string currency, string? note, string adminId, DateTime now) => new()
    {
        Id = Guid.NewGuid(), AdvertiserId = advertiserId, Amount = amount, Currency = currency,
        Status = TopUpStatus.Paid, Method = PaymentMethod.Manual, Note = note, CreatedBy = adminId, CreatedAt = now, CompletedAt = now,
    };

    /// <summary>Records a cumulative refunded amount from Stripe; answers the increase (0 when already counted).</summary>
    public long ApplyRefundedTotal(long refundedTotal)
    {
        var capped = Math.Min(refundedTotal, Amount);
        var increase = capped - RefundedAmount;
        if (increase <= 0) return 0;
        RefundedAmount = capped;
        if (RefundedAmount == Amount) Status = TopUpStatus.Refunded;
        return increase;
    }
}
