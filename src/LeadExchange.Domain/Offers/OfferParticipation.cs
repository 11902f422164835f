using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Offers;

/// <summary>A webmaster's membership in an offer, and its tracking link code.</summary>
public sealed class OfferParticipation
{
    public const int LinkCodeLength = 12;

    private OfferParticipation() { }

    public Guid Id { get; private set; }
    public Guid OfferId { get; private set; }
    /// <summary>Navigation for reads; set by the database, not by the domain.</summary>
    public Offer? Offer { get; private set; }
    public string WebmasterId { get; private set; } = "";
    public ParticipationStatus Status { get; private set; }
    /// <summary>Unguessable, URL-safe: /c/{LinkCode} identifies (offer, webmaster).</summary>
    public string LinkCode { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }

    public static OfferParticipation Join(Offer offer, string webmasterId, DateTime now)
    {
        if (offer.Status != OfferStatus.Active)
            throw new DomainException("offer_not_active", "This offer is not accepting webmasters.");
        if (offer.AdvertiserId == webmasterId)
            throw new DomainException("own_offer", "You cannot join your own offer.");
        var approved = offer.Access == OfferAccess.Public;
        return new OfferParticipation
        {
            Id = Guid.NewGuid(),
            OfferId = offer.Id,
            WebmasterId = webmasterId,
            Status = approved ? ParticipationStatus.Approved : ParticipationStatus.Pending,
            LinkCode = TokenGenerator.New(LinkCodeLength),
            CreatedAt = now,
            DecidedAt = approved ? now : null,
        };
    }

    public void Approve(DateTime now)
    {
        Status = ParticipationStatus.Approved;
        DecidedAt = now;
        DecisionNote = null;
    }

    public void Reject(string? note, DateTime now)
    {
        Status = ParticipationStatus.Rejected;
        DecidedAt = now;
        DecisionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
    }
}
