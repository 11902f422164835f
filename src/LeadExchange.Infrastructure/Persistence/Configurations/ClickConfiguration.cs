using LeadExchange.Domain.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class ClickConfiguration : IEntityTypeConfiguration<Click>
{
    public void Configure(EntityTypeBuilder<Click> b)
    {
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).HasMaxLength(ClickId.MaxLength).IsUnicode(false).ValueGeneratedNever();
        // No foreign keys on purpose: clicks are the largest, append-only table, written in batches;
        // the ids are copied from a participation that existed when the click was taken, and offers
        // and participations are never deleted (offers are archived).
        b.Property(c => c.WebmasterId).HasMaxLength(450).IsRequired();
        b.Property(c => c.AdvertiserId).HasMaxLength(450).IsRequired();
        b.Property(c => c.Sub1).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub2).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub3).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub4).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub5).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Ip).HasMaxLength(Click.IpMaxLength).IsUnicode(false).IsRequired();
        b.Property(c => c.UserAgent).HasMaxLength(Click.UserAgentMaxLength);
        b.Property(c => c.Referrer).HasMaxLength(Click.ReferrerMaxLength);
        b.Property(c => c.FraudFlags).HasMaxLength(Click.FraudFlagsMaxLength).IsUnicode(false);
        // Reports read clicks per offer (advertiser) or per webmaster over a time range.
        b.HasIndex(c => new { c.OfferId, c.CreatedAt });
        b.HasIndex(c => new { c.WebmasterId, c.CreatedAt });
        // The report rollup job groups one hour of clicks at a time.
        b.HasIndex(c => c.CreatedAt);
    }
}

public sealed class BlockedIpConfiguration : IEntityTypeConfiguration<BlockedIp>
{
    public void Configure(EntityTypeBuilder<BlockedIp> b)
    {
        b.ToTable(BlockedIp.Table);
        b.HasKey(x => x.Ip);
        b.Property(x => x.Ip).HasMaxLength(Click.IpMaxLength).IsUnicode(false);
        b.Property(x => x.Reason).HasMaxLength(200);
    }
}
