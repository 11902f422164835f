using System.Globalization;
using LeadExchange.Domain.Pricing;
using LeadExchange.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

/// <summary>Factors are decimal(9,4) everywhere (SQLite keeps them as text, exactly); money is long minor units.</summary>
internal static class PricingColumns
{
    public const int FactorPrecision = 9;

    public static PropertyBuilder<decimal> Factor(this PropertyBuilder<decimal> property) =>
        property.HasPrecision(FactorPrecision, NichePriceSettings.FactorDecimals);
}

public sealed class NichePriceSettingsConfiguration : IEntityTypeConfiguration<NichePriceSettings>
{
    public void Configure(EntityTypeBuilder<NichePriceSettings> b)
    {
        b.ToTable("NichePrices");
        b.HasKey(s => s.NicheCode);
        b.Property(s => s.NicheCode).HasMaxLength(Niche.CodeMaxLength);
        b.HasOne<Niche>().WithOne().HasForeignKey<NichePriceSettings>(s => s.NicheCode).OnDelete(DeleteBehavior.Cascade);
        b.Property(s => s.HotMultiplier).Factor();
        b.Property(s => s.WarmMultiplier).Factor();
        b.Property(s => s.ColdMultiplier).Factor();
        // Twelve numbers always read and written together: one invariant-culture text column ("0.85;0.95;...").
        b.Property(s => s.SeasonFactors)
            .HasConversion(
                v => string.Join(';', v.Select(f => f.ToString(CultureInfo.InvariantCulture))),
                v => v.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(f => decimal.Parse(f, CultureInfo.InvariantCulture)).ToList(),
                new ValueComparer<List<decimal>>((a, c) => a!.SequenceEqual(c!), v => v.Aggregate(0, (h, f) => HashCode.Combine(h, f)), v => v.ToList()))
            .HasMaxLength(200)
            .IsUnicode(false)
            .IsRequired();
    }
}

public sealed class GeoFactorConfiguration : IEntityTypeConfiguration<GeoFactor>
{
    public void Configure(EntityTypeBuilder<GeoFactor> b)
    {
        // The niche is part of the key ("*" = all niches) so one region holds at most one factor per niche.
        b.HasKey(g => new { g.RegionCode, g.NicheCode });
        b.Property(g => g.RegionCode).HasMaxLength(Region.CodeMaxLength).IsUnicode(false);
        b.Property(g => g.NicheCode).HasMaxLength(Niche.CodeMaxLength);
        b.Property(g => g.Factor).Factor();
        b.HasOne<Region>().WithMany().HasForeignKey(g => g.RegionCode).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(g => g.NicheCode);
        b.Ignore(g => g.ForAllNiches);
    }
}

public sealed class DemandFactorConfiguration : IEntityTypeConfiguration<DemandFactor>
{
    public void Configure(EntityTypeBuilder<DemandFactor> b)
    {
        b.HasKey(d => new { d.NicheCode, d.RegionCode });
        b.Property(d => d.NicheCode).HasMaxLength(Niche.CodeMaxLength);
        b.Property(d => d.RegionCode).HasMaxLength(Region.CodeMaxLength).IsUnicode(false);
        b.Property(d => d.Factor).Factor();
        b.HasOne<Niche>().WithMany().HasForeignKey(d => d.NicheCode).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Region>().WithMany().HasForeignKey(d => d.RegionCode).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PricingChangeConfiguration : IEntityTypeConfiguration<PricingChange>
{
    public void Configure(EntityTypeBuilder<PricingChange> b)
    {
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.NicheCode).HasMaxLength(Niche.CodeMaxLength);
        b.Property(c => c.RegionCode).HasMaxLength(Region.CodeMaxLength).IsUnicode(false);
        b.Property(c => c.UserId).HasMaxLength(450).IsRequired();
        b.Property(c => c.UserEmail).HasMaxLength(256);
        b.Property(c => c.Before).HasMaxLength(PricingChange.JsonMaxLength);
        b.Property(c => c.After).HasMaxLength(PricingChange.JsonMaxLength);
        b.HasIndex(c => c.At);
        b.HasIndex(c => new { c.NicheCode, c.At });
    }
}
