using System.Text.Json;
using LeadExchange.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class NicheConfiguration : IEntityTypeConfiguration<Niche>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public void Configure(EntityTypeBuilder<Niche> b)
    {
        b.HasKey(n => n.Code);
        b.Property(n => n.Code).HasMaxLength(Niche.CodeMaxLength);
        b.Property(n => n.Name).HasMaxLength(100).IsRequired();
        b.Property(n => n.Description).HasMaxLength(1000);
        b.Property(n => n.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(n => n.ConsentText).HasMaxLength(2000).IsRequired();
        // Field definitions are a small document read with the niche; stored as JSON text on every provider.
        b.Property(n => n.Fields)
            .HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<NicheField>>(v, Json) ?? new List<NicheField>(),
                new ValueComparer<List<NicheField>>(
                    (a, c) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(c, Json),
                    v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                    v => JsonSerializer.Deserialize<List<NicheField>>(JsonSerializer.Serialize(v, Json), Json)!))
            .HasMaxLength(8000)
            .IsRequired();
        // Null = the default weights.
        b.Property(n => n.ScoringWeights)
            .HasConversion(
                v => v == null ? null : JsonSerializer.Serialize(v, Json),
                v => v == null ? null : JsonSerializer.Deserialize<Domain.Leads.ScoringWeights>(v, Json))
            .HasMaxLength(1000);
        b.Ignore(n => n.Weights);
    }
}

public sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.HasKey(r => r.Code);
        b.Property(r => r.Code).HasMaxLength(Region.CodeMaxLength).IsUnicode(false);
        b.Property(r => r.Name).HasMaxLength(100).IsRequired();
        b.Property(r => r.NameRu).HasMaxLength(100);
        b.Property(r => r.ParentCode).HasMaxLength(Region.CodeMaxLength).IsUnicode(false);
        b.Property(r => r.CountryCode).HasMaxLength(2).IsUnicode(false).IsRequired();
        b.HasOne<Region>().WithMany().HasForeignKey(r => r.ParentCode).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => r.CountryCode);
        b.Ignore(r => r.IsCountry);
    }
}
