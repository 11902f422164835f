using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Disputes;

public enum DisputeReason { InvalidPhone, WrongRegion, Duplicate, FakeOrNotInterested, WrongNiche, NoConsent, Other }

public enum DisputeStatus { Open, Upheld, Rejected }

public enum DisputeDecision { Uphold, Reject }

/// <summary>
/// A buyer's return of a bought lead: opened within the niche's
/// dispute window with a reason and a comment, decided once (uphold: the buyer gets the price back, from
/// escrow or clawed back from the seller; reject: the money proceeds), by the system when it can prove the
/// reason or by a moderator otherwise. One dispute per sale. Deciding is a conditional update on Status, so
/// two moderators clicking at once cannot both decide; a claim keeps others off a case while one works it.
/// </summary>
public sealed class Dispute
{
    public const int CommentMaxLength = 2000;
    public const int NoteMaxLength = 2000;
    public const int MinCommentWhenOverLimit = 30;
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(30);

    private Dispute() { }

    public Guid Id { get; private set; }
    public Guid SaleId { get; private set; }
    public Guid LeadId { get; private set; }
    public string BuyerId { get; private set; } = "";
    public string SellerId { get; private set; } = "";
    public string NicheCode { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public long Amount { get; private set; }
    public Guid HoldId { get; private set; }
    public DisputeReason Reason { get; private set; }
    public string Comment { get; private set; } = "";
    public DisputeStatus Status { get; private set; }
    public DateTime OpenedAt { get; private set; }
    /// <summary>Moderators should decide by then (the admin-set SLA).</summary>
    public DateTime DueAt { get; private set; }
    public string? ClaimedBy { get; private set; }
    public DateTime? ClaimedUntil { get; private set; }
    /// <summary>Moderator user id, or "system" for an automatic decision.</summary>
    public string? DecidedBy { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }
    public bool AutoDecided { get; private set; }
    /// <summary>Returned to the buyer from escrow (still held when upheld).</summary>
    public long RefundedFromEscrow { get; private set; }
    /// <summary>Taken back from the seller's available earnings (already released when upheld).</summary>
    public long ClawedBack { get; private set; }
    /// <summary>What the seller's available balance could not cover: booked as owed, repaid from future earnings.</summary>
    public long ChargedToReceivable { get; private set; }
    /// <summary>The platform's commission given back (already released when upheld).</summary>
    public long CommissionReturned { get; private set; }

    public const string SystemActor = "system";

    public static Dispute Open(Guid saleId, Guid leadId, string buyerId, string sellerId, string nicheCode, string currency, long amount, Guid holdId,
        DisputeReason reason, string? comment, DateTime now, int slaHours)
    {
        comment = comment?.Trim() ?? "";
        if (comment.Length > CommentMaxLength) throw new DomainException("comment_too_long", $"Comment is at most {CommentMaxLength} characters.", "comment");
        if (reason == DisputeReason.Other && comment.Length == 0)
            throw new DomainException("comment_required", "Say what is wrong with the lead when the reason is 'other'.", "comment");
        return new Dispute
        {
            Id = Guid.NewGuid(),
            SaleId = saleId,
            LeadId = leadId,
            BuyerId = buyerId,
            SellerId = sellerId,
            NicheCode = nicheCode,
            Currency = currency,
            Amount = amount,
            HoldId = holdId,
            Reason = reason,
            Comment = comment,
            Status = DisputeStatus.Open,
            OpenedAt = now,
            DueAt = now.AddHours(slaHours),
        };
    }

    public bool IsOverdue(DateTime now) => Status == DisputeStatus.Open && now > DueAt;

    public static string? ValidateNote(string? note) =>
        string.IsNullOrWhiteSpace(note) ? "A note is required: both parties see why."
        : note.Trim().Length > NoteMaxLength ? $"Note is at most {NoteMaxLength} characters." : null;

    /// <summary>Parses the API's snake_case reason names (invalid_phone, wrong_region, ...).</summary>
    public static DisputeReason? ParseReason(string? value) => value?.Trim().ToLowerInvariant().Replace("-", "_") switch
    {
        "invalid_phone" => DisputeReason.InvalidPhone,
        "wrong_region" => DisputeReason.WrongRegion,
        "duplicate" => DisputeReason.Duplicate,
        "fake" or "not_interested" or "fake_or_not_interested" => DisputeReason.FakeOrNotInterested,
        "wrong_niche" => DisputeReason.WrongNiche,
        "no_consent" => DisputeReason.NoConsent,
        "other" => DisputeReason.Other,
        _ => null,
    };

    public static string ReasonName(DisputeReason reason) => reason switch
    {
        DisputeReason.InvalidPhone => "invalid_phone",
        DisputeReason.WrongRegion => "wrong_region",
        DisputeReason.Duplicate => "duplicate",
        DisputeReason.FakeOrNotInterested => "fake_or_not_interested",
        DisputeReason.WrongNiche => "wrong_niche",
        DisputeReason.NoConsent => "no_consent",
        _ => "other",
    };
}

/// <summary>A file a buyer attaches to a dispute: size- and type-limited, stored in the database, served only as a download.</summary>
public sealed class DisputeEvidence
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxFiles = 5;
    public const int FileNameMaxLength = 200;

    /// <summary>Allowed types by content type, with the file signature ("magic bytes") each must start with.</summary>
    private static readonly Dictionary<string, byte[][]> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = [[0x89, 0x50, 0x4E, 0x47]],
        ["image/jpeg"] = [[0xFF, 0xD8, 0xFF]],
        ["application/pdf"] = [[0x25, 0x50, 0x44, 0x46]],
        ["text/plain"] = [],
    };

    private DisputeEvidence() { }

    public Guid Id { get; private set; }
    public Guid DisputeId { get; private set; }
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    public int Size { get; private set; }
    public byte[] Content { get; private set; } = [];
    public DateTime UploadedAt { get; private set; }

    public static string? Validate(string? fileName, string? contentType, byte[] content)
    {
        if (content.Length == 0) return "The file is empty.";
        if (content.Length > MaxBytes) return $"Files are at most {MaxBytes / 1024 / 1024} MB.";
        if (contentType is null || !Allowed.TryGetValue(contentType, out var signatures))
            return "Attach PNG, JPEG, PDF or plain text files.";
        if (signatures.Length > 0 && !signatures.Any(sig => content.AsSpan().StartsWith(sig)))
            return $"The file is not really {contentType}.";
        if (contentType.Equals("text/plain", StringComparison.OrdinalIgnoreCase) && content.Contains((byte)0))
            return "The file is not plain text.";
        if (string.IsNullOrWhiteSpace(fileName)) return "The file needs a name.";
        return null;
    }

    public static DisputeEvidence Create(Guid disputeId, string fileName, string contentType, byte[] content, DateTime now)
    {
        if (Validate(fileName, contentType, content) is { } error) throw new DomainException("bad_evidence", error, "evidence");
        var name = Path.GetFileName(fileName.Trim().Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c) && c != '"').ToArray());
        if (name.Length > FileNameMaxLength) name = name[^FileNameMaxLength..];
        return new DisputeEvidence
        {
            Id = Guid.NewGuid(),
            DisputeId = disputeId,
            FileName = name.Length == 0 ? "evidence" : name,
            ContentType = contentType.ToLowerInvariant(),
            Size = content.Length,
            Content = content,
            UploadedAt = now,
        };
    }
}
