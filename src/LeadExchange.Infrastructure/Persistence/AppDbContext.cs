using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Outbox;
using LeadExchange.Domain.Payments;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reference;
using LeadExchange.Domain.Tracking;
using LeadExchange.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Infrastructure.Persistence;

/// <summary>
/// One model for all three providers (SQLite, SQL Server, PostgreSQL); each provider keeps its own
/// migrations assembly under migrations/. Types are chosen to map the same everywhere: DateTime in UTC,
/// money as long minor units, enums as strings.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IAppDbContext
{
    public DbSet<Niche> Niches => Set<Niche>();
    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Offer> Offers => Set<Offer>();
    public DbSet<OfferGoal> OfferGoals => Set<OfferGoal>();
    public DbSet<OfferParticipation> OfferParticipations => Set<OfferParticipation>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();
    public DbSet<JournalEntry> JournalEntries => Set<JournalEntry>();
    public DbSet<Posting> Postings => Set<Posting>();
    public DbSet<EscrowHold> EscrowHolds => Set<EscrowHold>();
    public DbSet<TopUp> TopUps => Set<TopUp>();
    public DbSet<Payout> Payouts => Set<Payout>();
    public DbSet<StripeConnectedAccount> StripeConnectedAccounts => Set<StripeConnectedAccount>();
    public DbSet<ProcessedStripeEvent> ProcessedStripeEvents => Set<ProcessedStripeEvent>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<PlatformSettings> PlatformSettings => Set<PlatformSettings>();
    public DbSet<Click> Clicks => Set<Click>();
    public DbSet<BlockedIp> IpBlocklist => Set<BlockedIp>();
    public DbSet<Conversion> Conversions => Set<Conversion>();
    public DbSet<AdvertiserPostbackSettings> AdvertiserPostbackSettings => Set<AdvertiserPostbackSettings>();
    public DbSet<WebmasterPostbackSettings> WebmasterPostbackSettings => Set<WebmasterPostbackSettings>();
    public DbSet<PostbackDelivery> PostbackDeliveries => Set<PostbackDelivery>();
    public DbSet<PostbackLogEntry> PostbackLog => Set<PostbackLogEntry>();
    public DbSet<CapCounter> CapCounters => Set<CapCounter>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<LeadDedupKey> LeadDedupKeys => Set<LeadDedupKey>();
    public DbSet<LeadForm> LeadForms => Set<LeadForm>();
    public DbSet<BlocklistEntry> Blocklist => Set<BlocklistEntry>();
    public DbSet<Domain.Pricing.NichePriceSettings> NichePriceSettings => Set<Domain.Pricing.NichePriceSettings>();
    public DbSet<Domain.Pricing.GeoFactor> GeoFactors => Set<Domain.Pricing.GeoFactor>();
    public DbSet<Domain.Pricing.DemandFactor> DemandFactors => Set<Domain.Pricing.DemandFactor>();
    public DbSet<Domain.Pricing.PricingChange> PricingChanges => Set<Domain.Pricing.PricingChange>();
    public DbSet<Domain.Buying.LeadOrder> LeadOrders => Set<Domain.Buying.LeadOrder>();
    public DbSet<Domain.Buying.LeadSale> LeadSales => Set<Domain.Buying.LeadSale>();
    public DbSet<Domain.Buying.BuyerWebhookSettings> BuyerWebhooks => Set<Domain.Buying.BuyerWebhookSettings>();
    public DbSet<Domain.Buying.WebhookDelivery> WebhookDeliveries => Set<Domain.Buying.WebhookDelivery>();
    public DbSet<Domain.Buying.SellerOffer> SellerOffers => Set<Domain.Buying.SellerOffer>();
    public DbSet<Domain.Buying.Notification> Notifications => Set<Domain.Buying.Notification>();
    public DbSet<Domain.Disputes.Dispute> Disputes => Set<Domain.Disputes.Dispute>();
    public DbSet<Domain.Disputes.DisputeEvidence> DisputeEvidence => Set<Domain.Disputes.DisputeEvidence>();
    public DbSet<Domain.Reports.ReportRollup> ReportRollups => Set<Domain.Reports.ReportRollup>();
    public DbSet<Domain.Reports.ReportRollupState> ReportRollupStates => Set<Domain.Reports.ReportRollupState>();
    public DbSet<Domain.Audit.AuditEntry> AuditLog => Set<Domain.Audit.AuditEntry>();

    public void ClearChangeTracker() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        builder.Entity<ApplicationUser>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(100);
            u.Property(x => x.TimeZone).HasMaxLength(64);
            u.Property(x => x.Culture).HasMaxLength(8);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC; SQLite and SQL Server lose the Kind, so restore it on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}
