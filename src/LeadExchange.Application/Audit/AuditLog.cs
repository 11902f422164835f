using System.Text.Json;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Audit;

namespace LeadExchange.Application.Audit;

/// <summary>The action codes the audit log records: one per privileged or money-moving action.</summary>
public static class AuditActions
{
    public const string PlatformSettingsUpdated = "platform_settings.updated";
    public const string ManualTopUp = "balance.manual_top_up";
    public const string ManualAdjustment = "balance.manual_adjustment";
    public const string RoleGranted = "user.role_granted";
    public const string RoleRevoked = "user.role_revoked";
    public const string PayoutMarkedPaid = "payout.marked_paid";
    public const string PayoutMarkedFailed = "payout.marked_failed";
    public const string DisputeDecided = "dispute.decided";
    public const string BlocklistAdded = "blocklist.added";
    public const string BlocklistRemoved = "blocklist.removed";
    public const string ConversionStatusChanged = "conversion.status_changed";
    public const string NicheCreated = "niche.created";
    public const string NicheUpdated = "niche.updated";
    public const string PricingChanged = "pricing.changed";
    public const string TwoFactorEnabled = "user.two_factor_enabled";
    public const string TwoFactorDisabled = "user.two_factor_disabled";
    public const string RecoveryCodesReset = "user.recovery_codes_reset";

    public static readonly IReadOnlyList<string> All =
        [PlatformSettingsUpdated, ManualTopUp, ManualAdjustment, RoleGranted, RoleRevoked, PayoutMarkedPaid, PayoutMarkedFailed, DisputeDecided, BlocklistAdded, BlocklistRemoved, ConversionStatusChanged,
         NicheCreated, NicheUpdated, PricingChanged, TwoFactorEnabled, TwoFactorDisabled, RecoveryCodesReset];
}

/// <summary>The target types an audit entry names.</summary>
public static class AuditTargets
{
    public const string User = "user";
    public const string PlatformSettings = "platform_settings";
    public const string Payout = "payout";
    public const string Dispute = "dispute";
    public const string Conversion = "conversion";
    public const string BlocklistEntry = "blocklist_entry";
    public const string Niche = "niche";
    /// <summary>A niche's price settings ("legal/prices", "legal/season", "legal/temperature") or a geo factor ("legal/RU-MOW", "*/RU").</summary>
    public const string Pricing = "pricing";
}

public static class AuditDiff
{
    /// <summary>Only the fields whose value differs, before and after, so an entry stays compact.</summary>
    public static (Dictionary<string, object?> Before, Dictionary<string, object?> After) Changed(
        IReadOnlyDictionary<string, object?> before, IReadOnlyDictionary<string, object?> after)
    {
        var b = new Dictionary<string, object?>();
        var a = new Dictionary<string, object?>();
        foreach (var (key, value) in after)
        {
            var old = before.GetValueOrDefault(key);
            if (Equals(old, value)) continue;
            b[key] = old;
            a[key] = value;
        }
        return (b, a);
    }
}

/// <summary>The audit log as the use cases see it (an interface so handler unit tests can verify what they record).</summary>
public interface IAuditLog
{
    /// <summary>Adds the entry and saves it in the caller's unit of work; <paramref name="before"/> and <paramref name="after"/> hold only the changed fields.</summary>
    Task AddAsync(string action, string targetType, string targetId, object? before, object? after, CancellationToken ct);
}

/// <summary>
/// Records a privileged or money-moving action in the audit log inside the caller's unit of work: the entry is added to
/// the same DbContext and saved in the same transaction as the action, so nothing is audited that did not happen (a
/// failed action rolls the entry back with it) and nothing commits unaudited. Call it after the action's own checks,
/// inside <see cref="IUnitOfWork.RunAsync{T}"/>. The actor is the current user (id and email as they are now), or
/// <c>system</c> for a background job.
/// </summary>
public sealed class AuditLog(IAppDbContext db, ICurrentUser user, IIdentityService identity, IClock clock) : IAuditLog
{
    public const string SystemActor = "system";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(string action, string targetType, string targetId, object? before, object? after, CancellationToken ct)
    {
        var actorId = user.UserId;
        var email = actorId is null ? null : (await identity.FindByIdAsync(actorId, ct))?.Email;
        db.AuditLog.Add(AuditEntry.Create(clock.UtcNow, actorId ?? SystemActor, email, action, targetType, targetId,
            ToJson(before), ToJson(after)));
        await db.SaveChangesAsync(ct);
    }

    private static string? ToJson(object? value) => value is null ? null : JsonSerializer.Serialize(value, Json);
}
