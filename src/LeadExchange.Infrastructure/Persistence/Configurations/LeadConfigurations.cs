using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> b)
    {
        b.HasKey(l => l.Id);
        b.Property(l => l.Id).ValueGeneratedNever();
        b.Property(l => l.SellerId).HasMaxLength(450).IsRequired();
        b.Property(l => l.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength).IsRequired();
        b.Property(l => l.RegionCode).HasMaxLength(Domain.Reference.Region.CodeMaxLength).IsRequired();
        b.Property(l => l.Source).HasConversion<string>().HasMaxLength(8);
        b.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(l => l.Temperature).HasConversion<string>().HasMaxLength(8);
        b.Property(l => l.ClickId).HasMaxLength(ClickId.MaxLength).IsUnicode(false);
        b.Property(l => l.Sub1).HasMaxLength(Click.SubMaxLength);
        b.Property(l => l.Sub2).HasMaxLength(Click.SubMaxLength);
        b.Property(l => l.Sub3).HasMaxLength(Click.SubMaxLength);
        b.Property(l => l.Sub4).HasMaxLength(Click.SubMaxLength);
        b.Property(l => l.Sub5).HasMaxLength(Click.SubMaxLength);
        b.Property(l => l.ContactCipher).HasMaxLength(2000).IsUnicode(false).IsRequired();
        b.Property(l => l.MaskedName).HasMaxLength(LeadContact.NameMaxLength + 10).IsRequired();
        b.Property(l => l.MaskedPhone).HasMaxLength(LeadContact.PhoneMaxLength).IsRequired();
        b.Property(l => l.MaskedEmail).HasMaxLength(LeadContact.EmailMaxLength);
        b.Property(l => l.PhoneCountry).HasMaxLength(2).IsUnicode(false).IsRequired();
        b.Property(l => l.FieldsJson).HasMaxLength(20_000).IsRequired();
        b.Property(l => l.ConsentText).HasMaxLength(Lead.ConsentTextMaxLength).IsRequired();
        b.Property(l => l.ConsentPageUrl).HasMaxLength(Lead.UrlMaxLength);
        b.Property(l => l.ConsentIp).HasMaxLength(Click.IpMaxLength).IsUnicode(false);
        b.Property(l => l.SubmitIp).HasMaxLength(Click.IpMaxLength).IsUnicode(false);
        b.Property(l => l.ScoreBreakdownJson).HasMaxLength(4000).IsRequired();
        b.Property(l => l.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(l => l.PriceBreakdownJson).HasMaxLength(2000).IsRequired();
        b.Property(l => l.RejectReason).HasMaxLength(Lead.RejectReasonMaxLength);
        b.Property(l => l.FraudFlags).HasMaxLength(200).IsUnicode(false);
        b.Property(l => l.IdempotencyKey).HasMaxLength(Lead.IdempotencyKeyMaxLength);
        b.Property(l => l.FirstAnswerJson).HasMaxLength(4000);
        b.Property(l => l.PersonHash).HasMaxLength(64).IsUnicode(false);
        // Idempotency-Key is per seller; rejected and accepted answers both replay.
        b.HasIndex(l => new { l.SellerId, l.IdempotencyKey }).IsUnique();
        b.HasIndex(l => new { l.SellerId, l.CreatedAt });
        b.HasIndex(l => new { l.NicheCode, l.RegionCode, l.Status, l.CreatedAt });
        b.HasIndex(l => l.ClickId);
        b.HasIndex(l => l.CreatedAt);
        // The expiry job: leads on sale whose time is up (it scanned every lead on sale every 5 s without it).
        b.HasIndex(l => new { l.Status, l.ExpiresAt });
    }
}

public sealed class LeadDedupKeyConfiguration : IEntityTypeConfiguration<LeadDedupKey>
{
    public void Configure(EntityTypeBuilder<LeadDedupKey> b)
    {
        // The truth behind lead dedup: one holder per (niche, person).
        b.HasKey(k => new { k.NicheCode, k.ContactHash });
        b.Property(k => k.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength);
        b.Property(k => k.ContactHash).HasMaxLength(64).IsUnicode(false);
    }
}

public sealed class LeadFormConfiguration : IEntityTypeConfiguration<LeadForm>
{
    public void Configure(EntityTypeBuilder<LeadForm> b)
    {
        b.HasKey(f => f.Code);
        b.Property(f => f.Code).HasMaxLength(LeadForm.CodeLength).IsUnicode(false);
        b.Property(f => f.WebmasterId).HasMaxLength(450).IsRequired();
        b.Property(f => f.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength).IsRequired();
        b.Property(f => f.Title).HasMaxLength(120);
        b.HasIndex(f => f.WebmasterId);
    }
}

public sealed class BlocklistEntryConfiguration : IEntityTypeConfiguration<BlocklistEntry>
{
    public void Configure(EntityTypeBuilder<BlocklistEntry> b)
    {
        b.ToTable("Blocklist");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Value).HasMaxLength(BlocklistEntry.ValueMaxLength).IsRequired();
        b.Property(e => e.Reason).HasMaxLength(200);
        b.Property(e => e.CreatedBy).HasMaxLength(450);
        b.HasIndex(e => new { e.Kind, e.Value }).IsUnique();
    }
}
