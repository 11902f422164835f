namespace LeadExchange.Application.Leads;

/// <summary>Section "Leads": intake limits and fraud thresholds.</summary>
public sealed class LeadIntakeOptions
{
    public const string Section = "Leads";

    /// <summary>Accepted submissions per seller per minute before the rest are refused (429) and recorded.</summary>
    public int PerSellerPerMinute { get; set; } = 600;
    /// <summary>Submissions per submitting IP per minute (hosted forms, and the consent IP for the API).</summary>
    public int PerIpPerMinute { get; set; } = 30;
    /// <summary>A form filled faster than this is refused as a bot (hosted form) or flagged (API, when reported).</summary>
    public int MinFormFillSeconds { get; set; } = 3;
    /// <summary>How long an Idempotency-Key replays the first answer.</summary>
    public int IdempotencyHours { get; set; } = 24;
    /// <summary>How long a node keeps a seller's return rate for scoring before reading the rollups again.</summary>
    public int SellerQualityCacheSeconds { get; set; } = 300;
}
