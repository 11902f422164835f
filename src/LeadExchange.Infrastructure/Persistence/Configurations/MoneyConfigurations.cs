using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Outbox;
using LeadExchange.Domain.Payments;
using LeadExchange.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> b)
    {
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.Type).HasConversion<string>().HasMaxLength(32);
        b.Property(a => a.OwnerId).HasMaxLength(450).IsRequired();
        b.Property(a => a.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        // One account per (type, owner, currency); settles two transactions creating it at once.
        b.HasIndex(a => new { a.OwnerId, a.Type, a.Currency }).IsUnique();
    }
}

public sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> b)
    {
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Type).HasConversion<string>().HasMaxLength(32);
        b.Property(e => e.Reference).HasMaxLength(200).IsRequired();
        b.Property(e => e.Description).HasMaxLength(500).IsRequired();
        b.Property(e => e.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(e => e.CreatedBy).HasMaxLength(450);
        // The same business event is recorded once, whichever node or retry tries.
        b.HasIndex(e => new { e.Type, e.Reference }).IsUnique();
        b.HasIndex(e => e.CreatedAt);
        b.HasMany(e => e.Postings).WithOne().HasForeignKey(p => p.JournalEntryId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(e => e.Postings).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

public sealed class PostingConfiguration : IEntityTypeConfiguration<Posting>
{
    public void Configure(EntityTypeBuilder<Posting> b)
    {
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedNever();
        b.HasOne<LedgerAccount>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.AccountId, p.CreatedAt });
    }
}

public sealed class EscrowHoldConfiguration : IEntityTypeConfiguration<EscrowHold>
{
    public void Configure(EntityTypeBuilder<EscrowHold> b)
    {
        b.HasKey(h => h.Id);
        b.Property(h => h.Id).ValueGeneratedNever();
        b.Property(h => h.SourceType).HasMaxLength(EscrowHold.SourceTypeMaxLength).IsRequired();
        b.Property(h => h.AdvertiserId).HasMaxLength(450).IsRequired();
        b.Property(h => h.WebmasterId).HasMaxLength(450).IsRequired();
        b.Property(h => h.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(h => h.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(h => new { h.SourceType, h.SourceId }).IsUnique();
        b.HasIndex(h => new { h.Status, h.ReleaseAt });
        b.Ignore(h => h.Reference);
    }
}

public sealed class TopUpConfiguration : IEntityTypeConfiguration<TopUp>
{
    public void Configure(EntityTypeBuilder<TopUp> b)
    {
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.AdvertiserId).HasMaxLength(450).IsRequired();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.AdvertiserId).OnDelete(DeleteBehavior.Restrict);
        b.Property(t => t.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Method).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.StripeSessionId).HasMaxLength(255);
        b.Property(t => t.StripePaymentIntentId).HasMaxLength(255);
        b.Property(t => t.Note).HasMaxLength(500);
        b.Property(t => t.CreatedBy).HasMaxLength(450);
        b.HasIndex(t => t.StripeSessionId).IsUnique();
        b.HasIndex(t => t.StripePaymentIntentId);
        b.HasIndex(t => new { t.AdvertiserId, t.CreatedAt });
    }
}

public sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> b)
    {
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedNever();
        b.Property(p => p.WebmasterId).HasMaxLength(450).IsRequired();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        b.Property(p => p.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Method).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.IdempotencyKey).HasMaxLength(64).IsUnicode(false).IsRequired();
        b.HasIndex(p => p.IdempotencyKey).IsUnique();
        b.Property(p => p.StripeAccountId).HasMaxLength(255);
        b.Property(p => p.StripeTransferId).HasMaxLength(255);
        b.Property(p => p.FailureCode).HasMaxLength(64);
        b.Property(p => p.FailureReason).HasMaxLength(500);
        b.Property(p => p.PaidBy).HasMaxLength(450);
        b.Property(p => p.ManualReference).HasMaxLength(200);
        b.HasIndex(p => new { p.WebmasterId, p.CreatedAt });
        b.HasIndex(p => p.Status);
        b.Ignore(p => p.Reference);
    }
}

public sealed class StripeConnectedAccountConfiguration : IEntityTypeConfiguration<StripeConnectedAccount>
{
    public void Configure(EntityTypeBuilder<StripeConnectedAccount> b)
    {
        b.HasKey(a => a.UserId);
        b.Property(a => a.UserId).HasMaxLength(450);
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(a => a.AccountId).HasMaxLength(255).IsRequired();
        b.HasIndex(a => a.AccountId).IsUnique();
        b.Ignore(a => a.CanReceiveTransfers);
    }
}

public sealed class ProcessedStripeEventConfiguration : IEntityTypeConfiguration<ProcessedStripeEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedStripeEvent> b)
    {
        b.HasKey(e => e.EventId);
        b.Property(e => e.EventId).HasMaxLength(255);
        b.Property(e => e.Type).HasMaxLength(100).IsRequired();
    }
}

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.Type).HasMaxLength(OutboxMessage.TypeMaxLength).IsRequired();
        b.Property(m => m.Key).HasMaxLength(100);
        b.Property(m => m.Payload).IsRequired();
        b.Property(m => m.LockedBy).HasMaxLength(100);
        b.Property(m => m.LastError).HasMaxLength(2000);
        b.HasIndex(m => new { m.ProcessedAt, m.NextAttemptAt });
        b.HasIndex(m => new { m.Type, m.Key });
    }
}

public sealed class PlatformSettingsConfiguration : IEntityTypeConfiguration<PlatformSettings>
{
    public void Configure(EntityTypeBuilder<PlatformSettings> b)
    {
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
    }
}
