using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LeadExchange.Application.Common.Interfaces;

/// <summary>The application's view of the database. Handlers use it directly; there is no generic repository.</summary>
public interface IAppDbContext
{
    DbSet<Niche> Niches { get; }
    DbSet<Region> Regions { get; }
    DbSet<Offer> Offers { get; }
    DbSet<OfferGoal> OfferGoals { get; }
    DbSet<OfferParticipation> OfferParticipations { get; }
    DbSet<ApiKey> ApiKeys { get; }

    DatabaseFacade Database { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
