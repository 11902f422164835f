using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Validation;
using LeadExchange.Application.Offers.Dtos;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using MediatR;

namespace LeadExchange.Application.Offers.Commands;

public sealed record CreateOfferCommand(OfferInput Input) : IRequest<Guid>;

public sealed class CreateOfferValidator(IAppDbContext db) : IValidator<CreateOfferCommand>
{
    public Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(CreateOfferCommand request, CancellationToken ct) =>
        new OfferInputValidator(db).ValidateAsync(request.Input, ct);
}

public sealed class CreateOfferHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<CreateOfferCommand, Guid>
{
    public Task<Guid> Handle(CreateOfferCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<Guid> ExecuteAsync(CreateOfferCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Advertiser);
        var offer = Offer.Create(user.RequireUserId(), request.Input.ToSpec(), clock.UtcNow);
        db.Offers.Add(offer);
        await db.SaveChangesAsync(cancellationToken);
        return offer.Id;
    }
}
