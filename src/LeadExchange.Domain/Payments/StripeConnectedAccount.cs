namespace LeadExchange.Domain.Payments;

/// <summary>A webmaster's Stripe Connect Express account and what Stripe last said about it.</summary>
public sealed class StripeConnectedAccount
{
    private StripeConnectedAccount() { }

    public StripeConnectedAccount(string userId, string accountId, DateTime now)
    {
        UserId = userId;
        AccountId = accountId;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public string UserId { get; private set; } = "";
    public string AccountId { get; private set; } = "";
    public bool DetailsSubmitted { get; private set; }
    public bool PayoutsEnabled { get; private set; }
    public bool TransfersActive { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public bool CanReceiveTransfers => TransfersActive;

    public void Update(bool detailsSubmitted, bool payoutsEnabled, bool transfersActive, DateTime now)
    {
        DetailsSubmitted = detailsSubmitted;
        PayoutsEnabled = payoutsEnabled;
        TransfersActive = transfersActive;
        UpdatedAt = now;
    }
}

/// <summary>A Stripe webhook event id, stored so each event is processed once.</summary>
public sealed class ProcessedStripeEvent
{
    private ProcessedStripeEvent() { }

    public ProcessedStripeEvent(string eventId, string type, DateTime now)
    {
        EventId = eventId;
        Type = type;
        ProcessedAt = now;
    }

    public string EventId { get; private set; } = "";
    public string Type { get; private set; } = "";
    public DateTime ProcessedAt { get; private set; }
}
