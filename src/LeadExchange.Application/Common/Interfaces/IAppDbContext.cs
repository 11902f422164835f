using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Outbox;
using LeadExchange.Domain.Payments;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reference;
using LeadExchange.Domain.Tracking;
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
    DbSet<LedgerAccount> LedgerAccounts { get; }
    DbSet<JournalEntry> JournalEntries { get; }
    DbSet<Posting> Postings { get; }
    DbSet<EscrowHold> EscrowHolds { get; }
    DbSet<TopUp> TopUps { get; }
    DbSet<Payout> Payouts { get; }
    DbSet<StripeConnectedAccount> StripeConnectedAccounts { get; }
    DbSet<ProcessedStripeEvent> ProcessedStripeEvents { get; }
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<PlatformSettings> PlatformSettings { get; }
    DbSet<Click> Clicks { get; }
    DbSet<BlockedIp> IpBlocklist { get; }
    DbSet<Conversion> Conversions { get; }
    DbSet<AdvertiserPostbackSettings> AdvertiserPostbackSettings { get; }
    DbSet<WebmasterPostbackSettings> WebmasterPostbackSettings { get; }
    DbSet<PostbackDelivery> PostbackDeliveries { get; }
    DbSet<PostbackLogEntry> PostbackLog { get; }
    DbSet<CapCounter> CapCounters { get; }
    DbSet<Lead> Leads { get; }
    DbSet<LeadDedupKey> LeadDedupKeys { get; }
    DbSet<LeadForm> LeadForms { get; }
    DbSet<BlocklistEntry> Blocklist { get; }
    DbSet<Domain.Pricing.NichePriceSettings> NichePriceSettings { get; }
    DbSet<Domain.Pricing.GeoFactor> GeoFactors { get; }
    DbSet<Domain.Pricing.DemandFactor> DemandFactors { get; }
    DbSet<Domain.Pricing.PricingChange> PricingChanges { get; }
    DbSet<Domain.Buying.LeadOrder> LeadOrders { get; }
    DbSet<Domain.Buying.LeadSale> LeadSales { get; }
    DbSet<Domain.Buying.BuyerWebhookSettings> BuyerWebhooks { get; }
    DbSet<Domain.Buying.WebhookDelivery> WebhookDeliveries { get; }
    DbSet<Domain.Buying.SellerOffer> SellerOffers { get; }
    DbSet<Domain.Buying.Notification> Notifications { get; }
    DbSet<Domain.Disputes.Dispute> Disputes { get; }
    DbSet<Domain.Disputes.DisputeEvidence> DisputeEvidence { get; }
    DbSet<Domain.Reports.ReportRollup> ReportRollups { get; }
    DbSet<Domain.Reports.ReportRollupState> ReportRollupStates { get; }
    DbSet<Domain.Audit.AuditEntry> AuditLog { get; }

    DatabaseFacade Database { get; }

    Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<TEntity> Entry<TEntity>(TEntity entity) where TEntity : class;

    /// <summary>Forgets every tracked entity, e.g. after a failed insert that another transaction won.</summary>
    void ClearChangeTracker();

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
