using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Leads;

public enum LeadStatus { OnSale, Sold, Rejected, Expired }

public enum LeadSource { Api, Form }

/// <summary>
/// A person's contact plus niche, region, fields, consent and source. Contact data (name, phone, email) is
/// stored encrypted (<see cref="ContactCipher"/>), so a database reader without the key sees none of it;
/// dedup works on keyed hashes of the normalised phone and email. Rejected leads are kept (with the
/// reason) for the seller's quality record, but never for sale and never holding a dedup key.
/// </summary>
public sealed class Lead
{
    public const int RejectReasonMaxLength = 300;
    public const int IdempotencyKeyMaxLength = 100;
    public const int ConsentTextMaxLength = 2000;
    public const int UrlMaxLength = 1000;

    private Lead() { }

    public Guid Id { get; private set; }
    public string SellerId { get; private set; } = "";
    public string NicheCode { get; private set; } = "";
    public string RegionCode { get; private set; } = "";
    public LeadSource Source { get; private set; }
    public Guid? OfferId { get; private set; }
    public string? ClickId { get; private set; }
    public string? Sub1 { get; private set; }
    public string? Sub2 { get; private set; }
    public string? Sub3 { get; private set; }
    public string? Sub4 { get; private set; }
    public string? Sub5 { get; private set; }
    /// <summary>Encrypted JSON of name, phone (E.164) and email.</summary>
    public string ContactCipher { get; private set; } = "";
    /// <summary>Masked contact for the catalog ("I*** P*****", "+7916***4567").</summary>
    public string MaskedName { get; private set; } = "";
    public string MaskedPhone { get; private set; } = "";
    public string? MaskedEmail { get; private set; }
    public string PhoneCountry { get; private set; } = "";
    /// <summary>Niche fields as JSON (values normalised to strings).</summary>
    public string FieldsJson { get; private set; } = "{}";
    public string ConsentText { get; private set; } = "";
    public DateTime ConsentGivenAt { get; private set; }
    public string? ConsentPageUrl { get; private set; }
    public string? ConsentIp { get; private set; }
    public string? SubmitIp { get; private set; }
    public int? FormFillSeconds { get; private set; }
    public int Score { get; private set; }
    public Temperature Temperature { get; private set; }
    /// <summary>JSON list of score lines (signal, points, why).</summary>
    public string ScoreBreakdownJson { get; private set; } = "[]";
    public string Currency { get; private set; } = "RUB";
    public long Price { get; private set; }
    /// <summary>JSON of the price breakdown at intake (base, geo, season, temperature, demand).</summary>
    public string PriceBreakdownJson { get; private set; } = "{}";
    public LeadStatus Status { get; private set; }
    public string? RejectReason { get; private set; }
    public Guid? DuplicateOf { get; private set; }
    /// <summary>Comma-separated fraud flags that let the lead through but send it to the fraud queue.</summary>
    public string? FraudFlags { get; private set; }
    public int SoldCount { get; private set; }
    /// <summary>Sold to one buyer exclusively: nobody else may buy it (set with SoldCount in one conditional update).</summary>
    public bool SoldExclusive { get; private set; }
    /// <summary>Keyed hash of the person's phone, for "this buyer already bought this person in the niche window".</summary>
    public string? PersonHash { get; private set; }
    public string? IdempotencyKey { get; private set; }
    /// <summary>The JSON answer given to the first request, replayed for the same Idempotency-Key.</summary>
    public string? FirstAnswerJson { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }

    public static Lead Accept(LeadDraft d, LeadScore score, long price, string currency, string priceBreakdownJson, DateTime now, int expiryDays) =>
        Build(d, now, expiryDays, l =>
        {
            l.Status = LeadStatus.OnSale;
            l.Score = score.Score;
            l.Temperature = score.Temperature;
            l.ScoreBreakdownJson = System.Text.Json.JsonSerializer.Serialize(score.Lines);
            l.Price = price;
            l.Currency = currency;
            l.PriceBreakdownJson = priceBreakdownJson;
        });

    public static Lead Reject(LeadDraft d, string reason, Guid? duplicateOf, DateTime now) =>
        Build(d, now, 0, l =>
        {
            l.Status = LeadStatus.Rejected;
            l.RejectReason = reason.Length > RejectReasonMaxLength ? reason[..RejectReasonMaxLength] : reason;
            l.DuplicateOf = duplicateOf;
        });

    private static Lead Build(LeadDraft d, DateTime now, int expiryDays, Action<Lead> finish)
    {
        var lead = new Lead
        {
            Id = d.Id,
            SellerId = d.SellerId,
            NicheCode = d.NicheCode,
            RegionCode = d.RegionCode,
            Source = d.Source,
            OfferId = d.OfferId,
            ClickId = d.ClickId,
            Sub1 = d.Subs.ElementAtOrDefault(0),
            Sub2 = d.Subs.ElementAtOrDefault(1),
            Sub3 = d.Subs.ElementAtOrDefault(2),
            Sub4 = d.Subs.ElementAtOrDefault(3),
            Sub5 = d.Subs.ElementAtOrDefault(4),
            ContactCipher = d.ContactCipher,
            MaskedName = LeadContact.MaskName(d.Name),
            MaskedPhone = LeadContact.MaskPhone(d.Phone.E164),
            MaskedEmail = d.Email is null ? null : LeadContact.MaskEmail(d.Email),
            PhoneCountry = d.Phone.CountryCode,
            FieldsJson = System.Text.Json.JsonSerializer.Serialize(d.Fields),
            ConsentText = d.ConsentText,
            ConsentGivenAt = d.ConsentGivenAt,
            ConsentPageUrl = d.ConsentPageUrl,
            ConsentIp = d.ConsentIp,
            SubmitIp = d.SubmitIp,
            FormFillSeconds = d.FormFillSeconds,
            FraudFlags = d.FraudFlags.Count == 0 ? null : string.Join(",", d.FraudFlags),
            IdempotencyKey = d.IdempotencyKey,
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiryDays),
        };
        finish(lead);
        return lead;
    }

    public void RememberAnswer(string json) => FirstAnswerJson = json;

    public void IdentifyPerson(string hash) => PersonHash = hash;
}

/// <summary>A validated, normalised submission before it is accepted or rejected.</summary>
public sealed record LeadDraft(
    Guid Id, string SellerId, string NicheCode, string RegionCode, LeadSource Source, Guid? OfferId, string? ClickId, IReadOnlyList<string?> Subs,
    string Name, ParsedPhone Phone, string? Email, string ContactCipher, IReadOnlyDictionary<string, string> Fields,
    string ConsentText, DateTime ConsentGivenAt, string? ConsentPageUrl, string? ConsentIp, string? SubmitIp, int? FormFillSeconds,
    IReadOnlyList<string> FraudFlags, string? IdempotencyKey);

/// <summary>
/// Dedup truth: one row per (niche, keyed hash of a normalised phone or email) naming the lead that holds
/// it until <see cref="ExpiresAt"/> (the niche's dedup window). Taking a key is an INSERT (unique) or, for
/// an expired holder, a conditional UPDATE, so two submissions of one person can never both win.
/// </summary>
public sealed class LeadDedupKey
{
    private LeadDedupKey() { }

    public LeadDedupKey(string nicheCode, string contactHash, Guid leadId, DateTime expiresAt)
    {
        NicheCode = nicheCode;
        ContactHash = contactHash;
        LeadId = leadId;
        ExpiresAt = expiresAt;
    }

    public string NicheCode { get; private set; } = "";
    public string ContactHash { get; private set; } = "";
    public Guid LeadId { get; private set; }
    public DateTime ExpiresAt { get; private set; }
}

/// <summary>A hosted lead form of one webmaster for one niche (optionally tied to an offer): /f/{Code}.</summary>
public sealed class LeadForm
{
    public const int CodeLength = 12;

    private LeadForm() { }

    public LeadForm(string webmasterId, string nicheCode, Guid? offerId, string? title, DateTime now)
    {
        Code = Common.TokenGenerator.New(CodeLength);
        WebmasterId = webmasterId;
        NicheCode = nicheCode;
        OfferId = offerId;
        Title = string.IsNullOrWhiteSpace(title) ? null : title.Trim();
        CreatedAt = now;
        IsActive = true;
    }

    public string Code { get; private set; } = "";
    public string WebmasterId { get; private set; } = "";
    public string NicheCode { get; private set; } = "";
    public Guid? OfferId { get; private set; }
    public string? Title { get; private set; }
    public bool IsActive { get; private set; }
    public DateTime CreatedAt { get; private set; }

    public void SetActive(bool active) => IsActive = active;
}

/// <summary>What a blocklist entry blocks. <see cref="Ip"/>: clicks from the address are flagged and its conversions refused.</summary>
public enum BlocklistKind { Phone, Email, Seller, Ip }

/// <summary>
/// A blocked phone or email (stored as the same keyed hash dedup uses, never in clear), seller (user id) or IP address.
/// Leads matching it are rejected with the reason; a blocked seller gets 403 on every submission; a blocked address's
/// clicks are flagged and its conversions refused (the tracking paths read it through the in-memory IP blocklist).
/// </summary>
public sealed class BlocklistEntry
{
    public const int ValueMaxLength = 450;

    private BlocklistEntry() { }

    public BlocklistEntry(BlocklistKind kind, string value, string? reason, string? createdBy, DateTime now)
    {
        Id = Guid.NewGuid();
        Kind = kind;
        Value = value;
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        CreatedBy = createdBy;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public BlocklistKind Kind { get; private set; }
    public string Value { get; private set; } = "";
    public string? Reason { get; private set; }
    public string? CreatedBy { get; private set; }
    public DateTime CreatedAt { get; private set; }
}
