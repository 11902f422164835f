using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class ConversionConfiguration : IEntityTypeConfiguration<Conversion>
{
    public void Configure(EntityTypeBuilder<Conversion> b)
    {
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.ClickId).HasMaxLength(ClickId.MaxLength).IsUnicode(false).IsRequired();
        b.Property(c => c.GoalCode).HasMaxLength(Domain.Offers.OfferGoal.CodeMaxLength).IsRequired();
        b.Property(c => c.AdvertiserId).HasMaxLength(450).IsRequired();
        b.Property(c => c.WebmasterId).HasMaxLength(450).IsRequired();
        b.Property(c => c.TxKey).HasMaxLength(Conversion.TxIdMaxLength).IsRequired();
        b.Property(c => c.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.FraudFlags).HasMaxLength(Conversion.FraudFlagsMaxLength).IsUnicode(false);
        b.Property(c => c.Sub1).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub2).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub3).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub4).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.Sub5).HasMaxLength(Click.SubMaxLength);
        b.Property(c => c.ClickIp).HasMaxLength(Click.IpMaxLength).IsUnicode(false).IsRequired();
        b.Property(c => c.Note).HasMaxLength(Conversion.NoteMaxLength);
        b.Ignore(c => c.TxId);
        b.Ignore(c => c.NeedsHold);
        // The truth behind postback idempotency: one conversion per (click, goal, txid or none).
        b.HasIndex(c => new { c.ClickId, c.GoalId, c.TxKey }).IsUnique();
        b.HasIndex(c => new { c.AdvertiserId, c.CreatedAt });
        b.HasIndex(c => new { c.WebmasterId, c.CreatedAt });
        b.HasIndex(c => new { c.OfferId, c.WebmasterId, c.CreatedAt });
        b.HasIndex(c => new { c.OfferId, c.ClickIp, c.CreatedAt });
        // Report rollups: a conversion hour, and conversions changed since the last scan.
        b.HasIndex(c => c.CreatedAt);
        b.HasIndex(c => c.UpdatedAt);
    }
}

public sealed class AdvertiserPostbackSettingsConfiguration : IEntityTypeConfiguration<AdvertiserPostbackSettings>
{
    public void Configure(EntityTypeBuilder<AdvertiserPostbackSettings> b)
    {
        b.HasKey(s => s.AdvertiserId);
        b.Property(s => s.AdvertiserId).HasMaxLength(450);
        b.Property(s => s.Token).HasMaxLength(AdvertiserPostbackSettings.TokenLength).IsUnicode(false).IsRequired();
        b.Property(s => s.SigningSecret).HasMaxLength(64).IsUnicode(false).IsRequired();
        b.Property(s => s.AllowedIps).HasMaxLength(AdvertiserPostbackSettings.AllowedIpsMaxLength).IsUnicode(false).IsRequired();
        b.Ignore(s => s.AllowedIpList);
        b.HasIndex(s => s.Token).IsUnique();
    }
}

public sealed class WebmasterPostbackSettingsConfiguration : IEntityTypeConfiguration<WebmasterPostbackSettings>
{
    public void Configure(EntityTypeBuilder<WebmasterPostbackSettings> b)
    {
        b.HasKey(s => s.WebmasterId);
        b.Property(s => s.WebmasterId).HasMaxLength(450);
        b.Property(s => s.UrlTemplate).HasMaxLength(WebmasterPostbackSettings.UrlMaxLength).IsRequired();
        b.Property(s => s.DisabledReason).HasMaxLength(WebmasterPostbackSettings.ReasonMaxLength);
    }
}

public sealed class PostbackDeliveryConfiguration : IEntityTypeConfiguration<PostbackDelivery>
{
    public void Configure(EntityTypeBuilder<PostbackDelivery> b)
    {
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.WebmasterId).HasMaxLength(450).IsRequired();
        b.Property(d => d.ConversionStatus).HasMaxLength(16).IsRequired();
        b.Property(d => d.Url).HasMaxLength(PostbackDelivery.UrlMaxLength).IsRequired();
        b.Property(d => d.Error).HasMaxLength(PostbackDelivery.ErrorMaxLength);
        b.HasIndex(d => new { d.WebmasterId, d.CreatedAt });
        b.HasIndex(d => d.ConversionId);
    }
}

public sealed class PostbackLogEntryConfiguration : IEntityTypeConfiguration<PostbackLogEntry>
{
    public void Configure(EntityTypeBuilder<PostbackLogEntry> b)
    {
        b.ToTable("PostbackLog");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.AdvertiserId).HasMaxLength(450);
        b.Property(e => e.Source).HasMaxLength(16).IsRequired();
        b.Property(e => e.Method).HasMaxLength(8).IsRequired();
        b.Property(e => e.Query).HasMaxLength(PostbackLogEntry.QueryMaxLength).IsRequired();
        b.Property(e => e.Ip).HasMaxLength(Click.IpMaxLength).IsUnicode(false);
        b.Property(e => e.Result).HasMaxLength(32).IsRequired();
        b.Property(e => e.Message).HasMaxLength(PostbackLogEntry.MessageMaxLength);
        b.Property(e => e.ClickId).HasMaxLength(ClickId.MaxLength).IsUnicode(false);
        b.HasIndex(e => new { e.AdvertiserId, e.ReceivedAt });
    }
}

public sealed class CapCounterConfiguration : IEntityTypeConfiguration<CapCounter>
{
    public void Configure(EntityTypeBuilder<CapCounter> b)
    {
        b.HasKey(c => new { c.Scope, c.Period });
        b.Property(c => c.Scope).HasMaxLength(520).IsUnicode(false);
        b.Property(c => c.Period).HasMaxLength(16).IsUnicode(false);
    }
}
