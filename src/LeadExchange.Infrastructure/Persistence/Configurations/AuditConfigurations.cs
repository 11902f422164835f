using LeadExchange.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadExchange.Infrastructure.Persistence.Configurations;

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditLog");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.ActorId).HasMaxLength(AuditEntry.ActorIdMaxLength).IsRequired();
        b.Property(e => e.ActorEmail).HasMaxLength(AuditEntry.ActorEmailMaxLength);
        b.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength).IsUnicode(false).IsRequired();
        b.Property(e => e.TargetType).HasMaxLength(AuditEntry.TargetTypeMaxLength).IsUnicode(false).IsRequired();
        b.Property(e => e.TargetId).HasMaxLength(AuditEntry.TargetIdMaxLength).IsRequired();
        // The admin list reads newest first, filtered by action or by actor over a time range.
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.Action, e.At });
        b.HasIndex(e => new { e.ActorId, e.At });
    }
}
