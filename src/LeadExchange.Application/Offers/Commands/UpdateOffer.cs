using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Validation;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Offers.Commands;

/// <summary>
/// No unit of work on purpose (nor in <see cref="ChangeOfferStatusCommand"/>, nor <c>DecideParticipationCommand</c>): one
/// SaveChanges is already atomic, and outside a transaction it commits before the links are evicted on every
/// node, so no node can load the old row again after its eviction (docs/architecture.md, "Click path").
/// </summary>
public sealed record UpdateOfferCommand(Guid Id, OfferInput Input) : IRequest<Unit>;

public sealed class UpdateOfferValidator(IAppDbContext db) : IValidator<UpdateOfferCommand>
{
    public Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(UpdateOfferCommand request, CancellationToken ct) =>
        new OfferInputValidator(db).ValidateAsync(request.Input, ct);
}

public sealed class UpdateOfferHandler(IAppDbContext db, ICurrentUser user, IClock clock, ICacheInvalidation cache) : IRequestHandler<UpdateOfferCommand, Unit>
{
    public async Task<Unit> Handle(UpdateOfferCommand request, CancellationToken cancellationToken)
    {
        var offer = await OwnedOffer.LoadAsync(db, user, request.Id, cancellationToken);
        offer.Update(request.Input.ToSpec(), clock.UtcNow);
        await db.SaveChangesAsync(cancellationToken);
        // After the commit: every node evicts, and whatever it loads next is the new row.
        await cache.PublishOfferChangedAsync(offer.Id, cancellationToken);
        return Unit.Value;
    }
}

public enum OfferStatusAction { Pause, Activate, Archive }

/// <summary>No unit of work, like <see cref="UpdateOfferCommand"/>: committed before the links are evicted.</summary>
public sealed record ChangeOfferStatusCommand(Guid Id, OfferStatusAction Action) : IRequest<OfferStatus>;

public sealed class ChangeOfferStatusHandler(IAppDbContext db, ICurrentUser user, IClock clock, ICacheInvalidation cache) : IRequestHandler<ChangeOfferStatusCommand, OfferStatus>
{
    public async Task<OfferStatus> Handle(ChangeOfferStatusCommand request, CancellationToken cancellationToken)
    {
        var offer = await OwnedOffer.LoadAsync(db, user, request.Id, cancellationToken);
        switch (request.Action)
        {
            case OfferStatusAction.Pause: offer.Pause(clock.UtcNow); break;
            case OfferStatusAction.Activate: offer.Activate(clock.UtcNow); break;
            case OfferStatusAction.Archive: offer.Archive(clock.UtcNow); break;
        }
        await db.SaveChangesAsync(cancellationToken);
        // A paused or archived offer's links must stop redirecting on every node.
        await cache.PublishOfferChangedAsync(offer.Id, cancellationToken);
        return offer.Status;
    }
}

internal static class OwnedOffer
{
    /// <summary>The caller's own offer with its goals and regions; anyone else's answers 404.</summary>
    public static async Task<Offer> LoadAsync(IAppDbContext db, ICurrentUser user, Guid id, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var userId = user.RequireUserId();
        return await db.Offers.Include(o => o.Goals).Include(o => o.Regions)
                   .FirstOrDefaultAsync(o => o.Id == id && o.AdvertiserId == userId, ct)
               ?? throw new NotFoundException("Offer");
    }
}
