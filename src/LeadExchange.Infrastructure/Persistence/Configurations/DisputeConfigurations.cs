using LeadExchange.Domain.Disputes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class DisputeConfiguration : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> b)
    {
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.BuyerId).HasMaxLength(450).IsRequired();
        b.Property(d => d.SellerId).HasMaxLength(450).IsRequired();
        b.Property(d => d.NicheCode).HasMaxLength(Domain.Reference.Niche.CodeMaxLength).IsRequired();
        b.Property(d => d.Currency).HasMaxLength(3).IsUnicode(false).IsRequired();
        b.Property(d => d.Reason).HasConversion<string>().HasMaxLength(24);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(10);
        b.Property(d => d.Comment).HasMaxLength(Dispute.CommentMaxLength).IsRequired();
        b.Property(d => d.ClaimedBy).HasMaxLength(450);
        b.Property(d => d.DecidedBy).HasMaxLength(450);
        b.Property(d => d.DecisionNote).HasMaxLength(Dispute.NoteMaxLength);
        // One dispute per sale, whatever races.
        b.HasIndex(d => d.SaleId).IsUnique();
        b.HasIndex(d => new { d.Status, d.OpenedAt });
        b.HasIndex(d => new { d.BuyerId, d.OpenedAt });
        b.HasIndex(d => new { d.SellerId, d.OpenedAt });
        b.HasIndex(d => d.DecidedAt);
    }
}

public sealed class DisputeEvidenceConfiguration : IEntityTypeConfiguration<DisputeEvidence>
{
    public void Configure(EntityTypeBuilder<DisputeEvidence> b)
    {
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.FileName).HasMaxLength(DisputeEvidence.FileNameMaxLength).IsRequired();
        b.Property(e => e.ContentType).HasMaxLength(64).IsUnicode(false).IsRequired();
        b.Property(e => e.Content).IsRequired();
        b.HasIndex(e => e.DisputeId);
    }
}
