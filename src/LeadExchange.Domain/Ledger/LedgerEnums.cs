namespace LeadExchange.Domain.Ledger;

/// <summary>
/// Kinds of ledger account. Sign convention: a positive balance is what the platform owes the owner
/// (or, for platform accounts, what the platform holds in that bucket); every entry's postings sum to
/// zero, so the sum over all accounts is always zero and PaymentClearing carries the negative side of
/// money that came in from outside.
/// </summary>
public enum AccountType
{
    /// <summary>Advertiser's prepaid money, free to spend. Never negative.</summary>
    AdvertiserBalance,
    /// <summary>Advertiser money held for sales/conversions until the dispute window or hold period ends.</summary>
    Escrow,
    /// <summary>Advertiser money frozen by a card dispute or chargeback.</summary>
    AdvertiserFrozen,
    /// <summary>Webmaster earnings not yet releasable (conversions on hold).</summary>
    WebmasterPending,
    /// <summary>Webmaster earnings that can be paid out. Never negative.</summary>
    WebmasterAvailable,
    /// <summary>What a webmaster owes after a clawback exceeded their available balance.</summary>
    WebmasterReceivable,
    /// <summary>Payouts sent to Stripe/bank but not yet confirmed.</summary>
    PayoutsInTransit,
    /// <summary>Platform commission earned.</summary>
    PlatformRevenue,
    /// <summary>Money crossing the platform boundary (Stripe, bank): top-ups in (negative), payouts out (positive).</summary>
    PaymentClearing,
    /// <summary>
    /// What an advertiser owes after a Stripe refund or card dispute took back more than their balance held.
    /// Negative when owed (the sign convention above); not guarded, so such postings still balance.
    /// </summary>
    AdvertiserReceivable,
}

public enum JournalEntryType
{
    TopUp,
    TopUpReversal,
    Sale,
    Conversion,
    Release,
    Refund,
    Clawback,
    Payout,
    PayoutPaid,
    PayoutFailure,
    Freeze,
    Unfreeze,
    ManualAdjustment,
}

public static class AccountTypes
{
    /// <summary>Accounts whose balance may never go below zero: every debit on them is a conditional update.</summary>
    public static bool IsNonNegative(AccountType type) =>
        type is AccountType.AdvertiserBalance or AccountType.WebmasterAvailable or AccountType.Escrow
            or AccountType.WebmasterPending or AccountType.AdvertiserFrozen or AccountType.PayoutsInTransit;

    /// <summary>Platform accounts have no user owner.</summary>
    public static bool IsPlatform(AccountType type) =>
        type is AccountType.PlatformRevenue or AccountType.PaymentClearing;

    public const string PlatformOwner = "platform";
}
