using LeadExchange.Domain.Buying;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class LeadOrderConfiguration : IEntityTypeConfiguration<LeadOrder>
{
    public void Configure(EntityTypeBuilder<LeadOrder> b)
    {
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.AdvertiserId).HasMaxLength(450).IsRequired();
        b.Property(o => o.Name).HasMaxLength(LeadOrder.NameMaxLength).IsRequired();
        b.Property(o => o.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength).IsRequired();
        b.Property(o => o.RegionCodes).HasMaxLength(LeadOrder.MaxRegions * (Domain.Reference.Region.CodeMaxLength + 1)).IsUnicode(false).IsRequired();
        b.Property(o => o.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(o => o.MinTemperature).HasConversion<string>().HasMaxLength(8);
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(8);
        b.Property(o => o.TimeZone).HasMaxLength(64).IsUnicode(false).IsRequired();
        b.Property(o => o.PausedReason).HasMaxLength(LeadOrder.ReasonMaxLength);
        b.Ignore(o => o.Regions);
        b.Ignore(o => o.Days);
        b.Ignore(o => o.CapScope);
        b.Ignore(o => o.IsSubscription);
        b.Property(o => o.SellerId).HasMaxLength(450);
        b.HasIndex(o => o.SellerOfferId);
        // Distribution reads the active orders of a niche.
        b.HasIndex(o => new { o.NicheCode, o.Status });
        b.HasIndex(o => new { o.AdvertiserId, o.CreatedAt });
    }
}

public sealed class LeadSaleConfiguration : IEntityTypeConfiguration<LeadSale>
{
    public void Configure(EntityTypeBuilder<LeadSale> b)
    {
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.BuyerId).HasMaxLength(450).IsRequired();
        b.Property(s => s.SellerId).HasMaxLength(450).IsRequired();
        b.Property(s => s.Channel).HasConversion<string>().HasMaxLength(8);
        b.Property(s => s.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength).IsRequired();
        b.Property(s => s.RegionCode).HasMaxLength(Domain.Reference.Region.CodeMaxLength).IsRequired();
        b.Property(s => s.Temperature).HasConversion<string>().HasMaxLength(8);
        b.Property(s => s.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(s => s.PersonHash).HasMaxLength(64).IsUnicode(false);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(s => s.RefuseReason).HasMaxLength(LeadSale.ReasonMaxLength);
        b.Property(s => s.Note).HasMaxLength(LeadSale.NoteMaxLength);
        b.Property(s => s.Assignee).HasMaxLength(LeadSale.AssigneeMaxLength);
        // Nobody buys the same lead twice, whatever races.
        b.HasIndex(s => new { s.LeadId, s.BuyerId }).IsUnique();
        b.HasIndex(s => new { s.BuyerId, s.SoldAt });
        b.HasIndex(s => new { s.SellerId, s.SoldAt });
        b.HasIndex(s => new { s.BuyerId, s.NicheCode, s.PersonHash });
        b.HasIndex(s => s.OrderId);
        // Report rollups: a sale hour, and sales changed since the last scan.
        b.HasIndex(s => s.SoldAt);
        b.HasIndex(s => s.UpdatedAt);
    }
}

public sealed class BuyerWebhookSettingsConfiguration : IEntityTypeConfiguration<BuyerWebhookSettings>
{
    public void Configure(EntityTypeBuilder<BuyerWebhookSettings> b)
    {
        b.HasKey(s => s.AdvertiserId);
        b.Property(s => s.AdvertiserId).HasMaxLength(450);
        b.Property(s => s.Url).HasMaxLength(BuyerWebhookSettings.UrlMaxLength).IsRequired();
        b.Property(s => s.Secret).HasMaxLength(80).IsUnicode(false).IsRequired();
        b.Property(s => s.DisabledReason).HasMaxLength(BuyerWebhookSettings.ReasonMaxLength);
    }
}

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.AdvertiserId).HasMaxLength(450).IsRequired();
        b.Property(d => d.Url).HasMaxLength(BuyerWebhookSettings.UrlMaxLength).IsRequired();
        b.Property(d => d.Error).HasMaxLength(WebhookDelivery.ErrorMaxLength);
        b.Ignore(d => d.Succeeded);
        b.HasIndex(d => new { d.AdvertiserId, d.At });
        b.HasIndex(d => d.SaleId);
    }
}

public sealed class SellerOfferConfiguration : IEntityTypeConfiguration<SellerOffer>
{
    public void Configure(EntityTypeBuilder<SellerOffer> b)
    {
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.SellerId).HasMaxLength(450).IsRequired();
        b.Property(o => o.Title).HasMaxLength(SellerOffer.TitleMaxLength).IsRequired();
        b.Property(o => o.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength).IsRequired();
        b.Property(o => o.RegionCodes).HasMaxLength(LeadOrder.MaxRegions * (Domain.Reference.Region.CodeMaxLength + 1)).IsUnicode(false).IsRequired();
        b.Property(o => o.TrafficSources).HasMaxLength(200).IsUnicode(false).IsRequired();
        b.Property(o => o.Pricing).HasConversion<string>().HasMaxLength(10);
        b.Property(o => o.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(o => o.DeliveredFields).HasMaxLength(1000).IsRequired();
        b.Property(o => o.Description).HasMaxLength(SellerOffer.DescriptionMaxLength);
        b.Property(o => o.SampleJson).HasMaxLength(4000).IsRequired();
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(8);
        b.Ignore(o => o.Regions);
        b.Ignore(o => o.Sources);
        b.Ignore(o => o.Fields);
        b.HasIndex(o => new { o.NicheCode, o.Status });
        b.HasIndex(o => new { o.SellerId, o.CreatedAt });
    }
}

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.HasKey(n => n.Id);
        b.Property(n => n.Id).ValueGeneratedNever();
        b.Property(n => n.UserId).HasMaxLength(450).IsRequired();
        b.Property(n => n.Text).HasMaxLength(Notification.TextMaxLength).IsRequired();
        b.Property(n => n.Link).HasMaxLength(300);
        b.HasIndex(n => new { n.UserId, n.ReadAt, n.CreatedAt });
    }
}
