using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Payments;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Payments;

public sealed record PlatformSettingsDto(
    int CommissionBp, long TopUpMin, long TopUpMax, long PayoutMin, int PayoutScheduleDays, bool StripeConfigured,
    int DisputeSlaHours, int BuyerDisputeRateLimitBp, int BuyerDisputeRateMinPurchases, int SellerSuspendReturnRateBp, int SellerSuspendMinSales);

public static class PlatformSettingsStore
{
    /// <summary>The settings row, or defaults when none was saved yet.</summary>
    public static async Task<PlatformSettings> LoadAsync(IAppDbContext db, CancellationToken ct) =>
        await db.PlatformSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == PlatformSettings.SingletonId, ct) ?? new PlatformSettings();

    /// <summary>Commission for a niche: its override, else the platform's.</summary>
    public static async Task<int> CommissionBpAsync(IAppDbContext db, string? nicheCode, CancellationToken ct)
    {
        if (nicheCode is not null)
        {
            var nicheBp = await db.Niches.AsNoTracking().Where(n => n.Code == nicheCode).Select(n => n.CommissionBp).FirstOrDefaultAsync(ct);
            if (nicheBp is not null) return nicheBp.Value;
        }
        return (await LoadAsync(db, ct)).CommissionBp;
    }
}

public sealed record GetPlatformSettingsQuery : IRequest<PlatformSettingsDto>;

public sealed class GetPlatformSettingsHandler(IAppDbContext db, IPaymentGateway gateway) : IRequestHandler<GetPlatformSettingsQuery, PlatformSettingsDto>
{
    public async Task<PlatformSettingsDto> Handle(GetPlatformSettingsQuery request, CancellationToken cancellationToken)
    {
        var s = await PlatformSettingsStore.LoadAsync(db, cancellationToken);
        return new PlatformSettingsDto(s.CommissionBp, s.TopUpMin, s.TopUpMax, s.PayoutMin, s.PayoutScheduleDays, gateway.IsConfigured,
            s.DisputeSlaHours, s.BuyerDisputeRateLimitBp, s.BuyerDisputeRateMinPurchases, s.SellerSuspendReturnRateBp, s.SellerSuspendMinSales);
    }
}

/// <summary>The dispute settings are optional: left out (null), they keep their current values, so older clients do not reset them.</summary>
public sealed record UpdatePlatformSettingsCommand(
    int CommissionBp, long TopUpMin, long TopUpMax, long PayoutMin, int PayoutScheduleDays,
    int? DisputeSlaHours = null, int? BuyerDisputeRateLimitBp = null, int? BuyerDisputeRateMinPurchases = null,
    int? SellerSuspendReturnRateBp = null, int? SellerSuspendMinSales = null) : IRequest<Unit>;

public sealed class UpdatePlatformSettingsHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IAuditLog audit) : IRequestHandler<UpdatePlatformSettingsCommand, Unit>
{
    public Task<Unit> Handle(UpdatePlatformSettingsCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<Unit> ExecuteAsync(UpdatePlatformSettingsCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var settings = await db.PlatformSettings.FirstOrDefaultAsync(s => s.Id == PlatformSettings.SingletonId, cancellationToken);
        var isNew = settings is null;
        settings ??= new PlatformSettings();
        var before = Snapshot(settings);
        settings.CommissionBp = request.CommissionBp;
        settings.TopUpMin = request.TopUpMin;
        settings.TopUpMax = request.TopUpMax;
        settings.PayoutMin = request.PayoutMin;
        settings.PayoutScheduleDays = request.PayoutScheduleDays;
        settings.DisputeSlaHours = request.DisputeSlaHours ?? settings.DisputeSlaHours;
        settings.BuyerDisputeRateLimitBp = request.BuyerDisputeRateLimitBp ?? settings.BuyerDisputeRateLimitBp;
        settings.BuyerDisputeRateMinPurchases = request.BuyerDisputeRateMinPurchases ?? settings.BuyerDisputeRateMinPurchases;
        settings.SellerSuspendReturnRateBp = request.SellerSuspendReturnRateBp ?? settings.SellerSuspendReturnRateBp;
        settings.SellerSuspendMinSales = request.SellerSuspendMinSales ?? settings.SellerSuspendMinSales;
        var errors = settings.Validate().ToList();
        if (errors.Count > 0) throw ValidationException.From(errors);
        if (isNew) db.PlatformSettings.Add(settings);
        await db.SaveChangesAsync(cancellationToken);
        var (changedBefore, changedAfter) = AuditDiff.Changed(before, Snapshot(settings));
        if (changedAfter.Count > 0)
            await audit.AddAsync(AuditActions.PlatformSettingsUpdated, AuditTargets.PlatformSettings, PlatformSettings.SingletonId.ToString(),
                changedBefore, changedAfter, cancellationToken);
        return Unit.Value;
    }

    private static Dictionary<string, object?> Snapshot(PlatformSettings s) => new()
    {
        ["commissionBp"] = s.CommissionBp, ["topUpMin"] = s.TopUpMin, ["topUpMax"] = s.TopUpMax, ["payoutMin"] = s.PayoutMin,
        ["payoutScheduleDays"] = s.PayoutScheduleDays, ["disputeSlaHours"] = s.DisputeSlaHours,
        ["buyerDisputeRateLimitBp"] = s.BuyerDisputeRateLimitBp, ["buyerDisputeRateMinPurchases"] = s.BuyerDisputeRateMinPurchases,
        ["sellerSuspendReturnRateBp"] = s.SellerSuspendReturnRateBp, ["sellerSuspendMinSales"] = s.SellerSuspendMinSales,
    };
}
