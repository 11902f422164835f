using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reference;
using LeadExchange.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class OfferConfiguration : IEntityTypeConfiguration<Offer>
{
    public void Configure(EntityTypeBuilder<Offer> b)
    {
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.AdvertiserId).HasMaxLength(450).IsRequired();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(o => o.AdvertiserId).OnDelete(DeleteBehavior.Restrict);
        b.Property(o => o.NicheCode).HasMaxLength(Niche.CodeMaxLength).IsRequired();
        b.HasOne(o => o.Niche).WithMany().HasForeignKey(o => o.NicheCode).OnDelete(DeleteBehavior.Restrict);
        b.Property(o => o.Title).HasMaxLength(Offer.TitleMaxLength).IsRequired();
        b.Property(o => o.Description).HasMaxLength(Offer.DescriptionMaxLength).IsRequired();
        b.Property(o => o.LandingUrl).HasMaxLength(Offer.LandingUrlMaxLength).IsRequired();
        b.Property(o => o.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(o => o.Access).HasConversion<string>().HasMaxLength(24);
        b.HasMany(o => o.Goals).WithOne().HasForeignKey(g => g.OfferId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(o => o.Regions).WithOne().HasForeignKey(r => r.OfferId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(o => o.Goals).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Navigation(o => o.Regions).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(o => o.DefaultGoal);
        b.HasIndex(o => new { o.AdvertiserId, o.Status });
        b.HasIndex(o => new { o.Status, o.NicheCode });
    }
}

public sealed class OfferGoalConfiguration : IEntityTypeConfiguration<OfferGoal>
{
    public void Configure(EntityTypeBuilder<OfferGoal> b)
    {
        b.HasKey(g => g.Id);
        b.Property(g => g.Id).ValueGeneratedNever();
        b.Property(g => g.Code).HasMaxLength(OfferGoal.CodeMaxLength).IsRequired();
        b.Property(g => g.Name).HasMaxLength(100).IsRequired();
        b.Property(g => g.Model).HasConversion<string>().HasMaxLength(8);
        b.HasIndex(g => new { g.OfferId, g.Code }).IsUnique();
        b.Ignore(g => g.IsPercent);
    }
}

public sealed class OfferRegionConfiguration : IEntityTypeConfiguration<OfferRegion>
{
    public void Configure(EntityTypeBuilder<OfferRegion> b)
    {
        b.HasKey(r => new { r.OfferId, r.RegionCode });
        b.Property(r => r.RegionCode).HasMaxLength(Region.CodeMaxLength).IsUnicode(false);
        b.HasOne<Region>().WithMany().HasForeignKey(r => r.RegionCode).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => r.RegionCode);
    }
}

public sealed class OfferParticipationConfiguration : IEntityTypeConfiguration<OfferParticipation>
{
    public void Configure(EntityTypeBuilder<OfferParticipation> b)
    {
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedNever();
        b.HasOne(p => p.Offer).WithMany().HasForeignKey(p => p.OfferId).OnDelete(DeleteBehavior.Cascade);
        b.Property(p => p.WebmasterId).HasMaxLength(450).IsRequired();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.LinkCode).HasMaxLength(OfferParticipation.LinkCodeLength).IsUnicode(false).IsRequired();
        b.Property(p => p.DecisionNote).HasMaxLength(500);
        // One participation per webmaster and offer: settles parallel joins.
        b.HasIndex(p => new { p.OfferId, p.WebmasterId }).IsUnique();
        b.HasIndex(p => p.LinkCode).IsUnique();
        b.HasIndex(p => p.WebmasterId);
    }
}

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.HasKey(k => k.Id);
        b.Property(k => k.Id).ValueGeneratedNever();
        b.Property(k => k.UserId).HasMaxLength(450).IsRequired();
        b.HasOne<ApplicationUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        b.Property(k => k.Name).HasMaxLength(60).IsRequired();
        b.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixLength).IsUnicode(false).IsRequired();
        b.Property(k => k.Hash).HasMaxLength(64).IsUnicode(false).IsRequired();
        b.HasIndex(k => k.Prefix).IsUnique();
        b.HasIndex(k => k.UserId);
        b.Ignore(k => k.IsActive);
    }
}
