using LeadExchange.Domain.Common;
using LeadExchange.Domain.Tracking;

namespace LeadExchange.Domain.Conversions;

/// <summary>
/// One conversion of a click for a goal, recorded by a postback (or by a lead sold with a click id).
/// Unique on (ClickId, GoalId, TxKey): TxKey is the advertiser's txid, or empty when none was sent, so a
/// missing txid means "one per click and goal". Money: a conversion that is not rejected holds its
/// advertiser payout in escrow (<see cref="HoldId"/>) from the moment it is recorded; the hold is released
/// to the webmaster when the hold period ends (approving a still-pending conversion then), or refunded if
/// the conversion is rejected inside the hold period.
/// </summary>
public sealed class Conversion
{
    public const int TxIdMaxLength = PostbackParameters.MaxTxIdLength;
    public const int FraudFlagsMaxLength = 200;
    public const int NoteMaxLength = 500;

    private Conversion() { }

    public Guid Id { get; private set; }
    public string ClickId { get; private set; } = "";
    public Guid OfferId { get; private set; }
    public Guid ParticipationId { get; private set; }
    public Guid GoalId { get; private set; }
    public string GoalCode { get; private set; } = "";
    public string AdvertiserId { get; private set; } = "";
    public string WebmasterId { get; private set; } = "";
    /// <summary>The advertiser's transaction id, or "" when none was sent (part of the unique key).</summary>
    public string TxKey { get; private set; } = "";
    public string Currency { get; private set; } = "";
    /// <summary>Sale amount in minor units for CPS goals, when the advertiser sent one.</summary>
    public long? SaleAmount { get; private set; }
    public long AdvertiserAmount { get; private set; }
    public long WebmasterAmount { get; private set; }
    public ConversionStatus Status { get; private set; }
    /// <summary>Fraud rules flagged it: it waits for a person (advertiser or moderator) and is not auto-approved.</summary>
    public bool ReviewRequired { get; private set; }
    /// <summary>Comma-separated fraud reason codes (see <see cref="ConversionFraud"/>), or null.</summary>
    public string? FraudFlags { get; private set; }
    public Guid? HoldId { get; private set; }
    public Guid? LeadId { get; private set; }
    public string? Sub1 { get; private set; }
    public string? Sub2 { get; private set; }
    public string? Sub3 { get; private set; }
    public string? Sub4 { get; private set; }
    public string? Sub5 { get; private set; }
    public string ClickIp { get; private set; } = Click.UnknownIp;
    public DateTime ClickedAt { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    /// <summary>When the hold period ends: the hold is released then and a pending conversion approved.</summary>
    public DateTime HoldUntil { get; private set; }
    public string? Note { get; private set; }

    public string? TxId => TxKey.Length == 0 ? null : TxKey;

    public static Conversion Record(Click click, Guid goalId, string goalCode, string? txId, string currency, long? saleAmount,
        (long Advertiser, long Webmaster) payout, ConversionStatus status, IReadOnlyCollection<string> fraudFlags, int holdDays,
        DateTime now, Guid? leadId = null)
    {
        if (txId is { Length: > TxIdMaxLength })
            throw new DomainException("bad_txid", $"txid is at most {TxIdMaxLength} characters", "txid");
        if (payout.Advertiser < 0 || payout.Webmaster < 0 || payout.Webmaster > payout.Advertiser)
            throw new DomainException("bad_amount", "Payouts must be non-negative and the webmaster's at most the advertiser's.", "amount");
        var flags = fraudFlags.Count == 0 ? null : string.Join(",", fraudFlags);
        return new Conversion
        {
            Id = Guid.NewGuid(),
            ClickId = click.Id,
            OfferId = click.OfferId,
            ParticipationId = click.ParticipationId,
            GoalId = goalId,
            GoalCode = goalCode,
            AdvertiserId = click.AdvertiserId,
            WebmasterId = click.WebmasterId,
            TxKey = txId?.Trim() ?? "",
            Currency = currency,
            SaleAmount = saleAmount,
            AdvertiserAmount = payout.Advertiser,
            WebmasterAmount = payout.Webmaster,
            // A flagged conversion cannot arrive approved: it waits for a person.
            Status = flags is not null && status == ConversionStatus.Approved ? ConversionStatus.Pending : status,
            ReviewRequired = flags is not null && status != ConversionStatus.Rejected,
            FraudFlags = flags is { Length: > FraudFlagsMaxLength } ? flags[..FraudFlagsMaxLength] : flags,
            LeadId = leadId,
            Sub1 = click.Sub1,
            Sub2 = click.Sub2,
            Sub3 = click.Sub3,
            Sub4 = click.Sub4,
            Sub5 = click.Sub5,
            ClickIp = click.Ip,
            ClickedAt = click.CreatedAt,
            CreatedAt = now,
            UpdatedAt = now,
            HoldUntil = now.AddDays(holdDays),
        };
    }

    /// <summary>Whether recording it moves money: rejected or free conversions hold nothing.</summary>
    public bool NeedsHold => Status != ConversionStatus.Rejected && AdvertiserAmount > 0;

    public void AttachHold(Guid holdId) => HoldId = holdId;
}

/// <summary>What a requested status change of an existing conversion does.</summary>
public enum StatusChangeOutcome
{
    /// <summary>Already in that status: a repeat, nothing changes.</summary>
    NoChange,
    /// <summary>Pending → approved: status only; money moves at the end of the hold period as before.</summary>
    Approve,
    /// <summary>Pending or approved → rejected inside the hold period: the hold is refunded.</summary>
    Reject,
    /// <summary>Approved → pending: refused (a status never goes back to pending).</summary>
    NotAllowed,
    /// <summary>The hold period is over (money released) or the conversion was rejected: final.</summary>
    Final,
}

public static class ConversionStatusRules
{
    /// <summary>
    /// The status flow: pending → approved → (rejected only inside the hold period); pending → rejected;
    /// rejected is final; nothing goes back to pending. <paramref name="holdOpen"/> is true while the money is still in escrow.
    /// </summary>
    public static StatusChangeOutcome Decide(ConversionStatus current, ConversionStatus requested, bool holdOpen)
    {
        if (current == requested) return StatusChangeOutcome.NoChange;
        if (current == ConversionStatus.Rejected) return StatusChangeOutcome.Final;
        return requested switch
        {
            ConversionStatus.Pending => StatusChangeOutcome.NotAllowed,
            ConversionStatus.Approved => StatusChangeOutcome.Approve,
            ConversionStatus.Rejected => holdOpen ? StatusChangeOutcome.Reject : StatusChangeOutcome.Final,
            _ => StatusChangeOutcome.NotAllowed,
        };
    }
}
