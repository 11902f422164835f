using LeadExchange.Domain.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class ReportRollupConfiguration : IEntityTypeConfiguration<ReportRollup>
{
    public void Configure(EntityTypeBuilder<ReportRollup> b)
    {
        b.HasKey(r => r.Id);
        b.Property(r => r.AdvertiserId).HasMaxLength(450).IsRequired();
        b.Property(r => r.WebmasterId).HasMaxLength(450).IsRequired();
        b.Property(r => r.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength).IsRequired();
        b.Property(r => r.RegionCode).HasMaxLength(Domain.Reference.Region.CodeMaxLength).IsRequired();
        b.Property(r => r.GoalCode).HasMaxLength(Domain.Offers.OfferGoal.CodeMaxLength).IsRequired();
        b.Property(r => r.SubValue).HasMaxLength(ReportRollup.SubValueMaxLength).IsRequired();
        b.Property(r => r.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.ComplexProperty(r => r.Counters);
        // A report reads one owner's rows of one grain over an hour range; the job replaces whole hours.
        b.HasIndex(r => new { r.AdvertiserId, r.SubSlot, r.HourUtc });
        b.HasIndex(r => new { r.WebmasterId, r.SubSlot, r.HourUtc });
        b.HasIndex(r => new { r.HourUtc, r.SubSlot });
    }
}

public sealed class ReportRollupStateConfiguration : IEntityTypeConfiguration<ReportRollupState>
{
    public void Configure(EntityTypeBuilder<ReportRollupState> b)
    {
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.LeaseOwner).HasMaxLength(100);
    }
}
