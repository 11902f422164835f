using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Offers.Commands;

/// <summary>A webmaster joins an offer: approved at once for public offers, pending otherwise. Idempotent.</summary>
public sealed record JoinOfferCommand(Guid OfferId) : IRequest<JoinOfferResult>;

public sealed class JoinOfferHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, IPublicUrls urls)
    : IRequestHandler<JoinOfferCommand, JoinOfferResult>
{
    public Task<JoinOfferResult> Handle(JoinOfferCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<JoinOfferResult> ExecuteAsync(JoinOfferCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var webmasterId = user.RequireUserId();
        var existing = await db.OfferParticipations
            .FirstOrDefaultAsync(p => p.OfferId == request.OfferId && p.WebmasterId == webmasterId, cancellationToken);
        // Only active offers can be found by someone who has not joined: a paused offer's id reveals nothing.
        var offer = await db.Offers.FirstOrDefaultAsync(o => o.Id == request.OfferId &&
                        (o.Status == OfferStatus.Active || (existing != null && o.Status == OfferStatus.Paused)), cancellationToken)
                    ?? throw new NotFoundException("Offer");
        if (existing is not null)
        {
            if (existing.Status == ParticipationStatus.Rejected)
                throw new ConflictException("join_rejected", "The advertiser declined your request to join this offer.");
            return ToResult(existing);
        }

        var participation = OfferParticipation.Join(offer, webmasterId, clock.UtcNow);
        db.OfferParticipations.Add(participation);
        // A unique index on (OfferId, WebmasterId) settles two parallel joins; the loser sees a conflict.
        await db.SaveChangesAsync(cancellationToken);
        return ToResult(participation);
    }

    private JoinOfferResult ToResult(OfferParticipation p) => p.Status == ParticipationStatus.Approved
        ? new JoinOfferResult(p.Id, "approved", p.LinkCode, urls.TrackingLink(p.LinkCode))
        : new JoinOfferResult(p.Id, p.Status.ToString().ToLowerInvariant(), null, null);
}

/// <summary>The offer's advertiser approves or rejects a webmaster's request.</summary>
/// <remarks>No unit of work, like <see cref="UpdateOfferCommand"/>: committed before the links are evicted.</remarks>
public sealed record DecideParticipationCommand(Guid ParticipationId, bool Approve, string? Note) : IRequest<ParticipationStatus>;

public sealed class DecideParticipationHandler(IAppDbContext db, ICurrentUser user, IClock clock, ICacheInvalidation cache)
    : IRequestHandler<DecideParticipationCommand, ParticipationStatus>
{
    public async Task<ParticipationStatus> Handle(DecideParticipationCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        if (request.Note is { Length: > 500 })
            throw new ValidationException("Note", "Note is at most 500 characters.");
        var participation = await (
                from p in db.OfferParticipations
                join o in db.Offers on p.OfferId equals o.Id
                where p.Id == request.ParticipationId && o.AdvertiserId == advertiserId
                select p).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Participation");
        if (request.Approve) participation.Approve(clock.UtcNow);
        else participation.Reject(request.Note, clock.UtcNow);
        await db.SaveChangesAsync(cancellationToken);
        // The link may be cached as inactive (pending) or active (now rejected).
        await cache.PublishOfferChangedAsync(participation.OfferId, cancellationToken);
        return participation.Status;
    }
}
