using LeadExchange.Domain.Common;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Buying;

/// <summary>Where a buyer works a bought lead: new → in work → converted (with the sale amount) / refused (with a reason) / deferred (until a date).</summary>
public enum SaleStatus { New, InWork, Converted, Refused, Deferred }

public enum SaleChannel { Order, Catalog }

/// <summary>
/// One lead sold to one buyer: the price they paid (charged into escrow until the dispute window ends),
/// how it was sold (an auto-buy order or the catalog; exclusive or shared), and the buyer's own
/// working state (status, notes, assignee). (Lead, buyer) is unique: nobody buys a lead twice.
/// </summary>
public sealed class LeadSale
{
    public const int NoteMaxLength = 2000;
    public const int ReasonMaxLength = 300;
    public const int AssigneeMaxLength = 200;

    private LeadSale() { }

    public Guid Id { get; private set; }
    public Guid LeadId { get; private set; }
    public string BuyerId { get; private set; } = "";
    public string SellerId { get; private set; } = "";
    public Guid? OrderId { get; private set; }
    public SaleChannel Channel { get; private set; }
    public bool Exclusive { get; private set; }
    public string NicheCode { get; private set; } = "";
    public string RegionCode { get; private set; } = "";
    public Temperature Temperature { get; private set; }
    public string Currency { get; private set; } = "";
    public long Price { get; private set; }
    /// <summary>Escrow hold charged for this sale.</summary>
    public Guid HoldId { get; private set; }
    /// <summary>Keyed hash of the person's phone: "this buyer already bought this person in the niche window".</summary>
    public string? PersonHash { get; private set; }
    public DateTime SoldAt { get; private set; }
    /// <summary>The buyer may dispute until then (the niche's dispute window).</summary>
    public DateTime DisputeUntil { get; private set; }
    public SaleStatus Status { get; private set; }
    public long? SaleAmount { get; private set; }
    public string? RefuseReason { get; private set; }
    public DateTime? DeferredUntil { get; private set; }
    public string? Note { get; private set; }
    public string? Assignee { get; private set; }
    public DateTime? ConvertedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public static LeadSale Record(Guid id, Guid leadId, string buyerId, string sellerId, Guid? orderId, SaleChannel channel, bool exclusive,
        string nicheCode, string regionCode, Temperature temperature, string currency, long price, Guid holdId, string? personHash,
        DateTime now, int disputeWindowHours) => new()
    {
        Id = id,
        LeadId = leadId,
        BuyerId = buyerId,
        SellerId = sellerId,
        OrderId = orderId,
        Channel = channel,
        Exclusive = exclusive,
        NicheCode = nicheCode,
        RegionCode = regionCode,
        Temperature = temperature,
        Currency = currency,
        Price = price,
        HoldId = holdId,
        PersonHash = personHash,
        SoldAt = now,
        DisputeUntil = now.AddHours(disputeWindowHours),
        Status = SaleStatus.New,
        UpdatedAt = now,
    };

    /// <summary>
    /// The buyer's update. Converted needs a sale amount (and keeps it); refused needs a reason; deferred needs
    /// a future date. A converted lead stays converted (its CPS event is recorded once). Returns true when the
    /// lead just became converted. A sale amount above <paramref name="maxSaleAmount"/> is refused: reports sum them.
    /// </summary>
    public bool Update(SaleStatus? status, long? saleAmount, string? reason, DateTime? deferredUntil, string? note, string? assignee, DateTime now,
        long maxSaleAmount = MoneyLimitsOptions.DefaultMaxSaleAmount)
    {
        var errors = new List<(string, string)>();
        note = note?.Trim();
        assignee = assignee?.Trim();
        if (note is { Length: > NoteMaxLength }) errors.Add(("note", $"Note is at most {NoteMaxLength} characters."));
        if (assignee is { Length: > AssigneeMaxLength }) errors.Add(("assignee", $"Assignee is at most {AssigneeMaxLength} characters."));
        var becameConverted = false;
        if (status is { } s && s != Status)
        {
            if (Status == SaleStatus.Converted)
                errors.Add(("status", "A converted lead stays converted."));
            switch (s)
            {
                case SaleStatus.Converted when saleAmount is null or <= 0:
                    errors.Add(("saleAmount", "A converted lead needs the sale amount (minor units, positive)."));
                    break;
                case SaleStatus.Converted when saleAmount > maxSaleAmount:
                    errors.Add(("saleAmount", $"A sale amount is at most {maxSaleAmount} (minor units)."));
                    break;
                case SaleStatus.Refused when string.IsNullOrWhiteSpace(reason):
                    errors.Add(("reason", "Say why the lead was refused."));
                    break;
                case SaleStatus.Refused when reason!.Trim().Length > ReasonMaxLength:
                    errors.Add(("reason", $"Reason is at most {ReasonMaxLength} characters."));
                    break;
                case SaleStatus.Deferred when deferredUntil is null || deferredUntil.Value.ToUniversalTime() <= now:
                    errors.Add(("deferredUntil", "Deferred needs a date in the future."));
                    break;
                case SaleStatus.New:
                    errors.Add(("status", "A lead cannot go back to new."));
                    break;
            }
        }
        else if (saleAmount is not null && Status != SaleStatus.Converted && status != SaleStatus.Converted)
            errors.Add(("saleAmount", "A sale amount goes with status converted."));
        if (errors.Count > 0) throw new SaleUpdateInvalidException(errors);

        if (status is { } next && next != Status)
        {
            Status = next;
            RefuseReason = next == SaleStatus.Refused ? reason!.Trim() : null;
            DeferredUntil = next == SaleStatus.Deferred ? deferredUntil!.Value.ToUniversalTime() : null;
            if (next == SaleStatus.Converted)
            {
                SaleAmount = saleAmount;
                ConvertedAt = now;
                becameConverted = true;
            }
        }
        if (note is not null) Note = note.Length == 0 ? null : note;
        if (assignee is not null) Assignee = assignee.Length == 0 ? null : assignee;
        UpdatedAt = now;
        return becameConverted;
    }
}

public sealed class SaleUpdateInvalidException(IReadOnlyList<(string Field, string Message)> errors)
    : DomainException("invalid_update", errors[0].Message, errors[0].Field)
{
    public IReadOnlyList<(string Field, string Message)> Errors { get; } = errors;
}
