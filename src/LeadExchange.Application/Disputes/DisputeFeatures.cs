using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payments;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Ledger;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Application.Disputes;

public sealed record EvidenceInput(string? FileName, string? ContentType, byte[]? Content);

/// <summary>API.md POST /api/v1/purchases/{saleId}/dispute {reason, comment, evidence[]}.</summary>
public sealed record OpenDisputeCommand(Guid SaleId, string? Reason, string? Comment, IReadOnlyList<EvidenceInput>? Evidence) : IRequest<DisputeDto>;

public sealed record EvidenceDto(Guid Id, string FileName, string ContentType, int Size, DateTime UploadedAt);

public sealed record DisputeDto(
    Guid Id, Guid SaleId, Guid LeadId, string Niche, string Reason, string Comment, string Status, long Amount, string Currency,
    DateTime OpenedAt, DateTime DueAt, bool Overdue, string? ClaimedBy, DateTime? ClaimedUntil, string? DecidedBy, DateTime? DecidedAt,
    string? DecisionNote, bool AutoDecided, long RefundedFromEscrow, long ClawedBack, long ChargedToReceivable, long CommissionReturned,
    string? BuyerId, string? SellerId, IReadOnlyList<EvidenceDto> Evidence);

internal static class DisputeMapping
{
    /// <summary>The buyer's identity and evidence are for moderators and the buyer; the seller sees the reason, comment and outcome.</summary>
    public static DisputeDto ToDto(Dispute d, IReadOnlyList<EvidenceDto> evidence, DateTime now, bool fullView) => new(
        d.Id, d.SaleId, d.LeadId, d.NicheCode, Dispute.ReasonName(d.Reason), d.Comment, d.Status.ToString().ToLowerInvariant(), d.Amount, d.Currency,
        d.OpenedAt, d.DueAt, d.IsOverdue(now), fullView ? d.ClaimedBy : null, fullView ? d.ClaimedUntil : null, fullView ? d.DecidedBy : null, d.DecidedAt,
        d.DecisionNote, d.AutoDecided, d.RefundedFromEscrow, d.ClawedBack, d.ChargedToReceivable, d.CommissionReturned,
        fullView ? d.BuyerId : null, fullView ? d.SellerId : null, fullView ? evidence : []);

    public static async Task<IReadOnlyList<EvidenceDto>> EvidenceAsync(IAppDbContext db, Guid disputeId, CancellationToken ct) =>
        await db.DisputeEvidence.AsNoTracking().Where(e => e.DisputeId == disputeId).OrderBy(e => e.UploadedAt)
            .Select(e => new EvidenceDto(e.Id, e.FileName, e.ContentType, e.Size, e.UploadedAt)).ToListAsync(ct);
}

/// <summary>Return rates: upheld disputes over sales (seller, 90 days) and disputes over purchases (buyer, 30 days).</summary>
public static class DisputeRates
{
    public static async Task<(int Sales, int Upheld)> SellerAsync(IAppDbContext db, string sellerId, DateTime now, CancellationToken ct)
    {
        var since = now.AddDays(-90);
        var sales = await db.LeadSales.CountAsync(s => s.SellerId == sellerId && s.SoldAt >= since, ct);
        var upheld = await db.Disputes.CountAsync(d => d.SellerId == sellerId && d.Status == DisputeStatus.Upheld && d.OpenedAt >= since, ct);
        return (sales, upheld);
    }

    public static async Task<(int Purchases, int Disputes)> BuyerAsync(IAppDbContext db, string buyerId, DateTime now, CancellationToken ct)
    {
        var since = now.AddDays(-30);
        var purchases = await db.LeadSales.CountAsync(s => s.BuyerId == buyerId && s.SoldAt >= since, ct);
        var disputes = await db.Disputes.CountAsync(d => d.BuyerId == buyerId && d.OpenedAt >= since, ct);
        return (purchases, disputes);
    }

    /// <summary>Sales a seller needs in 90 days before their return rate counts in scoring (fewer: neutral).</summary>
    public const int MinSalesForReturnRate = 10;

    public static double? Rate(int numerator, int denominator) => denominator == 0 ? null : Math.Round((double)numerator / denominator, 4);
}

public sealed class OpenDisputeHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, DisputeDecider decider) : IRequestHandler<OpenDisputeCommand, DisputeDto>
{
    public Task<DisputeDto> Handle(OpenDisputeCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<DisputeDto> ExecuteAsync(OpenDisputeCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        var sale = await db.LeadSales.AsNoTracking().FirstOrDefaultAsync(s => s.Id == request.SaleId && s.BuyerId == me, ct) ?? throw new NotFoundException("Purchase");
        if (now > sale.DisputeUntil)
            throw new ConflictException("window_closed", $"The dispute window for this lead closed at {sale.DisputeUntil:u}.");
        if (await db.Disputes.AnyAsync(d => d.SaleId == sale.Id, ct))
            throw new ConflictException("already_disputed", "This purchase was already disputed.");

        var errors = new List<(string, string)>();
        var reason = Dispute.ParseReason(request.Reason);
        if (reason is null) errors.Add(("reason", "Reason is invalid_phone, wrong_region, duplicate, fake_or_not_interested, wrong_niche, no_consent or other."));
        var evidence = request.Evidence ?? [];
        if (evidence.Count > DisputeEvidence.MaxFiles) errors.Add(("evidence", $"At most {DisputeEvidence.MaxFiles} files."));
        foreach (var e in evidence)
            if (DisputeEvidence.Validate(e.FileName, e.ContentType, e.Content ?? []) is { } error) errors.Add(("evidence", $"{e.FileName}: {error}"));
        var comment = request.Comment?.Trim() ?? "";

        // A buyer who returns a lot must show more: evidence and a real explanation.
        var settings = await PlatformSettingsStore.LoadAsync(db, ct);
        var (purchases, disputes) = await DisputeRates.BuyerAsync(db, me, now, ct);
        if (purchases >= settings.BuyerDisputeRateMinPurchases && (disputes + 1) * 10_000L > (long)settings.BuyerDisputeRateLimitBp * purchases
            && (evidence.Count == 0 || comment.Length < Dispute.MinCommentWhenOverLimit))
        {
            var message = $"You disputed {disputes} of {purchases} purchases in the last 30 days (the limit is {settings.BuyerDisputeRateLimitBp / 100m:0.#}%). " +
                          $"Further disputes need evidence and a comment of at least {Dispute.MinCommentWhenOverLimit} characters.";
            if (evidence.Count == 0) errors.Add(("evidence", message));
            if (comment.Length < Dispute.MinCommentWhenOverLimit) errors.Add(("comment", message));
        }
        if (errors.Count > 0) throw ValidationException.From(errors);

        var dispute = Dispute.Open(sale.Id, sale.LeadId, me, sale.SellerId, sale.NicheCode, sale.Currency, sale.Price, sale.HoldId, reason!.Value, comment, now,
            settings.DisputeSlaHours);
        db.Disputes.Add(dispute);
        foreach (var e in evidence) db.DisputeEvidence.Add(DisputeEvidence.Create(dispute.Id, e.FileName!, e.ContentType!, e.Content!, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException("already_disputed", "This purchase was already disputed.");
        }
        // Money stays in escrow until the dispute is decided.
        await db.EscrowHolds.Where(h => h.Id == sale.HoldId && h.Status == HoldStatus.Held).ExecuteUpdateAsync(s => s.SetProperty(h => h.Frozen, true), ct);

        if (await ProofAsync(dispute, sale, ct) is { } proof)
            await decider.DecideAsync(dispute.Id, DisputeDecision.Uphold, "Upheld automatically: " + proof, Dispute.SystemActor, ct);
        var saved = await db.Disputes.AsNoTracking().FirstAsync(d => d.Id == dispute.Id, ct);
        return DisputeMapping.ToDto(saved, await DisputeMapping.EvidenceAsync(db, dispute.Id, ct), now, fullView: true);
    }

    /// <summary>What the platform can show by itself; null when a moderator must look.</summary>
    private async Task<string?> ProofAsync(Dispute dispute, LeadSale sale, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().FirstAsync(l => l.Id == sale.LeadId, ct);
        switch (dispute.Reason)
        {
            case DisputeReason.Duplicate when lead.PersonHash is { } person:
            {
                var window = await db.Niches.AsNoTracking().Where(n => n.Code == lead.NicheCode).Select(n => n.DedupWindowDays).FirstAsync(ct);
                var since = lead.CreatedAt.AddDays(-window);
                var earlierLead = await db.Leads.AsNoTracking().AnyAsync(l => l.Id != lead.Id && l.NicheCode == lead.NicheCode && l.PersonHash == person
                                                                              && l.Status != LeadStatus.Rejected && l.CreatedAt < lead.CreatedAt && l.CreatedAt >= since, ct);
                var boughtBefore = await db.LeadSales.AsNoTracking().AnyAsync(s => s.Id != sale.Id && s.BuyerId == sale.BuyerId && s.NicheCode == sale.NicheCode
                                                                                   && s.PersonHash == person && s.SoldAt <= sale.SoldAt, ct);
                return boughtBefore ? "you had already bought this person in this niche."
                    : earlierLead ? "the same person was already on the exchange in this niche within its dedup window." : null;
            }
            // Wrong niche is never provable here: an order's niche cannot change and distribution matches on it.
            case DisputeReason.WrongRegion when sale.OrderId is { } orderId:
            {
                var order = await db.LeadOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
                // Only terms the order bought under prove anything: a buyer who edits the regions after the sale could
                // otherwise make any lead "outside the order" and refund it without a moderator.
                if (order is null || order.UpdatedAt > sale.SoldAt) return null;
                var parents = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.ParentCode, ct);
                return order.Covers(lead.RegionCode, c => parents.GetValueOrDefault(c)) ? null
                    : $"the lead's region {lead.RegionCode} is outside your order's regions ({order.RegionCodes}).";
            }
            default:
                return null;
        }
    }
}

/// <summary>
/// Decides a dispute exactly once and moves the money in the same transaction. Uphold: a hold still in escrow
/// is refunded to the buyer; a released one is clawed back (commission from the platform, the share from the
/// seller's available balance, any shortfall booked as owed and repaid by later releases). Reject: the hold is
/// unfrozen and released as usual. After an uphold the seller's return rate is checked against the suspension
/// threshold.
/// </summary>
public sealed class DisputeDecider(IAppDbContext db, IClock clock, EscrowService escrow, ILogger<DisputeDecider> logger)
{
    public async Task DecideAsync(Guid disputeId, DisputeDecision decision, string note, string actor, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Decisions run inside the business transaction.");
        var now = clock.UtcNow;
        var status = decision == DisputeDecision.Uphold ? DisputeStatus.Upheld : DisputeStatus.Rejected;
        var trimmed = note.Trim();
        var auto = actor == Dispute.SystemActor;
        var won = await db.Disputes
            .Where(d => d.Id == disputeId && d.Status == DisputeStatus.Open
                        && (auto || d.ClaimedBy == null || d.ClaimedBy == actor || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, status).SetProperty(d => d.DecidedBy, actor).SetProperty(d => d.DecidedAt, now)
                .SetProperty(d => d.DecisionNote, trimmed).SetProperty(d => d.AutoDecided, auto), ct);
        if (won == 0)
        {
            var current = await db.Disputes.AsNoTracking().Where(d => d.Id == disputeId).Select(d => new { d.Status, d.ClaimedBy }).FirstOrDefaultAsync(ct)
                          ?? throw new NotFoundException("Dispute");
            throw current.Status != DisputeStatus.Open
                ? new ConflictException("already_decided", "This dispute was already decided.")
                : new ConflictException("claimed", "Another moderator has claimed this dispute.");
        }

        var dispute = await db.Disputes.AsNoTracking().FirstAsync(d => d.Id == disputeId, ct);
        if (decision == DisputeDecision.Reject)
        {
            await escrow.TryFreezeAsync(dispute.HoldId, false, ct);
            return;
        }
        if (await escrow.TryRefundAsync(dispute.HoldId, actor, ct))
        {
            await db.Disputes.Where(d => d.Id == disputeId).ExecuteUpdateAsync(s => s.SetProperty(d => d.RefundedFromEscrow, dispute.Amount), ct);
        }
        else if (await escrow.ClawBackAsync(dispute.HoldId, $"dispute:{disputeId:N}", actor, ct) is { } clawback)
        {
            await db.Disputes.Where(d => d.Id == disputeId).ExecuteUpdateAsync(s => s.SetProperty(d => d.ClawedBack, clawback.FromAvailable)
                .SetProperty(d => d.ChargedToReceivable, clawback.ToReceivable).SetProperty(d => d.CommissionReturned, clawback.Commission), ct);
        }
        else
        {
            throw new ConflictException("hold_settled", "The money of this sale was already returned.");
        }
        await SuspendSellerIfNeededAsync(dispute.SellerId, now, ct);
    }

    private async Task SuspendSellerIfNeededAsync(string sellerId, DateTime now, CancellationToken ct)
    {
        var settings = await PlatformSettingsStore.LoadAsync(db, ct);
        var (sales, upheld) = await DisputeRates.SellerAsync(db, sellerId, now, ct);
        if (sales < settings.SellerSuspendMinSales || upheld * 10_000L <= (long)settings.SellerSuspendReturnRateBp * sales) return;
        if (await db.Blocklist.AnyAsync(b => b.Kind == BlocklistKind.Seller && b.Value == sellerId, ct)) return;
        var reason = $"Suspended automatically: return rate {(double)upheld / sales:P0} ({upheld} of {sales} sales in 90 days) is above {settings.SellerSuspendReturnRateBp / 100m:0.#}%.";
        db.Blocklist.Add(new BlocklistEntry(BlocklistKind.Seller, sellerId, reason, Dispute.SystemActor, now));
        await db.SaveChangesAsync(ct);
        logger.LogWarning("Seller {SellerId} suspended: {Reason}", sellerId, reason);
    }
}

public sealed record DecideDisputeCommand(Guid Id, string? Decision, string? Note) : IRequest<DisputeDto>;

public sealed class DecideDisputeHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, DisputeDecider decider,
    IAuditLog audit) : IRequestHandler<DecideDisputeCommand, DisputeDto>
{
    public Task<DisputeDto> Handle(DecideDisputeCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<DisputeDto> ExecuteAsync(DecideDisputeCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Moderator, Roles.Admin);
        var me = user.RequireUserId();
        var errors = new List<(string, string)>();
        DisputeDecision? decision = request.Decision?.Trim().ToLowerInvariant() switch
        {
            "uphold" or "upheld" => DisputeDecision.Uphold,
            "reject" or "rejected" => DisputeDecision.Reject,
            _ => null,
        };
        if (decision is null) errors.Add(("decision", "Decision is uphold or reject."));
        if (Dispute.ValidateNote(request.Note) is { } noteError) errors.Add(("note", noteError));
        if (errors.Count > 0) throw ValidationException.From(errors);
        if (!await db.Disputes.AnyAsync(d => d.Id == request.Id, ct)) throw new NotFoundException("Dispute");
        await decider.DecideAsync(request.Id, decision!.Value, request.Note!, me, ct);
        var saved = await db.Disputes.AsNoTracking().FirstAsync(d => d.Id == request.Id, ct);
        await audit.AddAsync(AuditActions.DisputeDecided, AuditTargets.Dispute, saved.Id.ToString(), new { status = DisputeStatus.Open.ToString() },
            new { status = saved.Status.ToString(), note = saved.DecisionNote, saved.Amount, saved.RefundedFromEscrow, saved.ClawedBack }, ct);
        return DisputeMapping.ToDto(saved, await DisputeMapping.EvidenceAsync(db, saved.Id, ct), clock.UtcNow, fullView: true);
    }
}

/// <summary>Claim (or release) a dispute for 30 minutes so other moderators leave it alone.</summary>
public sealed record ClaimDisputeCommand(Guid Id, bool Release = false) : IRequest<DisputeDto>;

public sealed class ClaimDisputeHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<ClaimDisputeCommand, DisputeDto>
{
    public Task<DisputeDto> Handle(ClaimDisputeCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<DisputeDto> ExecuteAsync(ClaimDisputeCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Moderator, Roles.Admin);
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        if (!await db.Disputes.AnyAsync(d => d.Id == request.Id, ct)) throw new NotFoundException("Dispute");
        int changed;
        if (request.Release)
            changed = await db.Disputes.Where(d => d.Id == request.Id && d.ClaimedBy == me)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedBy, (string?)null).SetProperty(d => d.ClaimedUntil, (DateTime?)null), ct);
        else
        {
            var until = now + Dispute.ClaimDuration;
            changed = await db.Disputes.Where(d => d.Id == request.Id && d.Status == DisputeStatus.Open
                                                   && (d.ClaimedBy == null || d.ClaimedBy == me || d.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedBy, me).SetProperty(d => d.ClaimedUntil, until), ct);
        }
        var dispute = await db.Disputes.AsNoTracking().FirstAsync(d => d.Id == request.Id, ct);
        if (changed == 0 && !request.Release)
            throw dispute.Status != DisputeStatus.Open
                ? new ConflictException("already_decided", "This dispute was already decided.")
                : new ConflictException("claimed", "Another moderator has claimed this dispute.");
        return DisputeMapping.ToDto(dispute, await DisputeMapping.EvidenceAsync(db, dispute.Id, ct), now, fullView: true);
    }
}

/// <summary>
/// Disputes by role: moderators and admins see the queue (open first, oldest first) with filters; a buyer sees
/// their own; a seller sees disputes about their leads without the buyer's identity or evidence.
/// </summary>
public sealed record ListDisputesQuery(
    string? Status = null, string? Niche = null, string? Reason = null, string? SellerId = null, string? BuyerId = null, bool? Overdue = null,
    int? Page = null, int? PageSize = null) : IRequest<PagedResult<DisputeDto>>;

public sealed class ListDisputesHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<ListDisputesQuery, PagedResult<DisputeDto>>
{
    public async Task<PagedResult<DisputeDto>> Handle(ListDisputesQuery request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        var moderator = user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin);
        var query = db.Disputes.AsNoTracking();
        if (!moderator)
        {
            if (user.IsInRole(Roles.Advertiser)) query = query.Where(d => d.BuyerId == me);
            else if (user.IsInRole(Roles.Webmaster)) query = query.Where(d => d.SellerId == me);
            else throw new ForbiddenException("Disputes are for buyers, sellers and moderators.");
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(request.SellerId)) query = query.Where(d => d.SellerId == request.SellerId);
            if (!string.IsNullOrWhiteSpace(request.BuyerId)) query = query.Where(d => d.BuyerId == request.BuyerId);
        }
        if (Enum.TryParse<DisputeStatus>(request.Status, true, out var status)) query = query.Where(d => d.Status == status);
        if (!string.IsNullOrWhiteSpace(request.Niche)) query = query.Where(d => d.NicheCode == request.Niche);
        if (Dispute.ParseReason(request.Reason) is { } reason) query = query.Where(d => d.Reason == reason);
        if (request.Overdue == true) query = query.Where(d => d.Status == DisputeStatus.Open && d.DueAt < now);
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(d => d.Status == DisputeStatus.Open ? 0 : 1).ThenBy(d => d.Status == DisputeStatus.Open ? d.OpenedAt : DateTime.MaxValue)
            .ThenByDescending(d => d.DecidedAt).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var items = rows.Select(d => DisputeMapping.ToDto(d, [], now, fullView: moderator || d.BuyerId == me)).ToList();
        return new PagedResult<DisputeDto>(items, page, size, total);
    }
}

public sealed record DisputeCaseDto(
    DisputeDto Dispute, DisputeLeadDto Lead, SellerRecordDto Seller, BuyerRecordDto? Buyer, IReadOnlyList<OtherBuyerDto> OtherBuyers,
    IReadOnlyList<TimelineItemDto> Timeline);

public sealed record DisputeLeadDto(
    Guid Id, string Niche, string Region, string Temperature, int Score, string ScoreBreakdownJson, string PriceBreakdownJson, long Price, string Currency,
    string MaskedName, string MaskedPhone, string? MaskedEmail, string Source, Guid? OfferId, string? ClickId, string?[] Subs, string? FraudFlags,
    string ConsentText, DateTime ConsentGivenAt, string? ConsentPageUrl, string? ConsentIp, string? SubmitIp, int? FormFillSeconds, DateTime CreatedAt);

public sealed record SellerRecordDto(string SellerId, int SalesLast90Days, int UpheldLast90Days, double? ReturnRate, bool Suspended, string? SuspendedReason);

public sealed record BuyerRecordDto(string BuyerId, int PurchasesLast30Days, int DisputesLast30Days, double? DisputeRate);

public sealed record OtherBuyerDto(string BuyerId, DateTime SoldAt, string? DisputeStatus);

public sealed record TimelineItemDto(DateTime At, string What);

/// <summary>The case page: a moderator sees everything; the buyer and the seller see their side.</summary>
public sealed record GetDisputeQuery(Guid Id) : IRequest<DisputeCaseDto>;

public sealed class GetDisputeHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<GetDisputeQuery, DisputeCaseDto>
{
    public async Task<DisputeCaseDto> Handle(GetDisputeQuery request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        var now = clock.UtcNow;
        var moderator = user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin);
        var d = await db.Disputes.AsNoTracking().FirstOrDefaultAsync(x => x.Id == request.Id, ct);
        if (d is null || !(moderator || d.BuyerId == me || d.SellerId == me)) throw new NotFoundException("Dispute");
        var full = moderator || d.BuyerId == me;
        var lead = await db.Leads.AsNoTracking().FirstAsync(l => l.Id == d.LeadId, ct);
        var leadDto = new DisputeLeadDto(lead.Id, lead.NicheCode, lead.RegionCode, lead.Temperature.ToString().ToLowerInvariant(), lead.Score,
            lead.ScoreBreakdownJson, lead.PriceBreakdownJson, lead.Price, lead.Currency, lead.MaskedName, lead.MaskedPhone, lead.MaskedEmail,
            lead.Source.ToString().ToLowerInvariant(), lead.OfferId, moderator ? lead.ClickId : null,
            moderator ? [lead.Sub1, lead.Sub2, lead.Sub3, lead.Sub4, lead.Sub5] : [], moderator ? lead.FraudFlags : null,
            lead.ConsentText, lead.ConsentGivenAt, lead.ConsentPageUrl, moderator ? lead.ConsentIp : null, moderator ? lead.SubmitIp : null,
            lead.FormFillSeconds, lead.CreatedAt);

        var (sales, upheld) = await DisputeRates.SellerAsync(db, d.SellerId, now, ct);
        var block = await db.Blocklist.AsNoTracking().FirstOrDefaultAsync(b => b.Kind == BlocklistKind.Seller && b.Value == d.SellerId, ct);
        var seller = new SellerRecordDto(moderator || d.SellerId == me ? d.SellerId : "", sales, upheld, DisputeRates.Rate(upheld, sales), block is not null,
            moderator || d.SellerId == me ? block?.Reason : null);
        BuyerRecordDto? buyer = null;
        if (full)
        {
            var (purchases, disputes) = await DisputeRates.BuyerAsync(db, d.BuyerId, now, ct);
            buyer = new BuyerRecordDto(d.BuyerId, purchases, disputes, DisputeRates.Rate(disputes, purchases));
        }
        IReadOnlyList<OtherBuyerDto> others = [];
        if (moderator)
        {
            others = await db.LeadSales.AsNoTracking().Where(s => s.LeadId == d.LeadId && s.Id != d.SaleId)
                .Select(s => new OtherBuyerDto(s.BuyerId, s.SoldAt, db.Disputes.Where(x => x.SaleId == s.Id).Select(x => x.Status.ToString()).FirstOrDefault()))
                .ToListAsync(ct);
        }
        var timeline = new List<TimelineItemDto> { new(lead.CreatedAt, "Lead submitted") };
        var sale = await db.LeadSales.AsNoTracking().FirstAsync(s => s.Id == d.SaleId, ct);
        timeline.Add(new(sale.SoldAt, $"Sold ({(sale.Exclusive ? "exclusive" : "shared")}, {sale.Channel.ToString().ToLowerInvariant()}) for {sale.Price} {sale.Currency}"));
        timeline.Add(new(d.OpenedAt, $"Disputed: {Dispute.ReasonName(d.Reason)}"));
        if (d.DecidedAt is { } decidedAt)
            timeline.Add(new(decidedAt, $"{(d.Status == DisputeStatus.Upheld ? "Upheld" : "Rejected")}{(d.AutoDecided ? " automatically" : "")}: {d.DecisionNote}"));
        var evidence = full ? await DisputeMapping.EvidenceAsync(db, d.Id, ct) : [];
        return new DisputeCaseDto(DisputeMapping.ToDto(d, evidence, now, full), leadDto, seller, buyer, others, timeline.OrderBy(t => t.At).ToList());
    }
}

public sealed record EvidenceFile(string FileName, string ContentType, byte[] Content);

/// <summary>An evidence file: for moderators and the buyer who attached it.</summary>
public sealed record GetEvidenceQuery(Guid DisputeId, Guid EvidenceId) : IRequest<EvidenceFile>;

public sealed class GetEvidenceHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<GetEvidenceQuery, EvidenceFile>
{
    public async Task<EvidenceFile> Handle(GetEvidenceQuery request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        var moderator = user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin);
        var buyer = await db.Disputes.AsNoTracking().Where(d => d.Id == request.DisputeId).Select(d => d.BuyerId).FirstOrDefaultAsync(ct);
        if (buyer is null || !(moderator || buyer == me)) throw new NotFoundException("Evidence");
        return await db.DisputeEvidence.AsNoTracking().Where(e => e.Id == request.EvidenceId && e.DisputeId == request.DisputeId)
                   .Select(e => new EvidenceFile(e.FileName, e.ContentType, e.Content)).FirstOrDefaultAsync(ct)
               ?? throw new NotFoundException("Evidence");
    }
}
