using System.Collections.Concurrent;
using System.Text.Json;
using LeadExchange.Application.Common;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payments;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Outbox;
using LeadExchange.Domain.Reference;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Application.Buying;

/// <summary>The lead cannot be bought (any more): sold exclusively, sold to its shared limit, expired, or taken by a parallel buyer.</summary>
public sealed class LeadNotAvailableException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The order cannot take this lead: its budget would be exceeded, or it is no longer active.</summary>
public sealed class OrderExhaustedException(bool budget, string message) : Exception(message)
{
    public bool Budget { get; } = budget;
}

/// <summary>The order's daily or monthly cap (in its time zone) is reached.</summary>
public sealed class OrderCapReachedException(string message) : Exception(message);

public sealed record SaleResult(Guid SaleId, Guid LeadId, string BuyerId, long Price, string Currency, bool Exclusive, DateTime SoldAt, DateTime DisputeUntil);

public static class BuyerWebhookMessages
{
    public const string Type = "buyer.webhook";

    public sealed record Payload(Guid SaleId, string AdvertiserId);

    public static OutboxMessage Create(Guid saleId, string advertiserId, DateTime now) =>
        new(Type, JsonSerializer.Serialize(new Payload(saleId, advertiserId)), now, saleId.ToString("N"));
}

/// <summary>
/// One sale of one lead to one buyer, inside the caller's unit of work (one unit per sale): take the lead
/// (a conditional update on its row: exclusive only while unsold; shared while under the niche's limit and
/// not sold exclusively), then the order's budget and caps (conditional updates), then the sale row (unique per
/// lead and buyer), the webhook delivery in the outbox and the ledger charge (advertiser balance → escrow, guarded
/// so the balance never goes below zero; its balance updates come last). Any refusal rolls every step back. Rows are
/// always locked in this order (lead, order, counters, accounts by id), so parallel sales cannot deadlock.
/// </summary>
/// <remarks><paramref name="Price"/> overrides the lead's exchange price (a seller offer's fixed price for its subscribers).</remarks>
public sealed record SaleRequest(Guid LeadId, string BuyerId, Guid? OrderId, bool Exclusive, SaleChannel Channel, long? Price = null);

public sealed class LeadSeller(IAppDbContext db, IClock clock, EscrowService escrow)
{
    /// <summary>Sells inside the caller's unit of work; any refusal throws, and the unit rolls every step back.</summary>
    public async Task<SaleResult> SellAsync(SaleRequest request, CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity(Telemetry.Spans.LeadSell);
        span?.SetTag(Telemetry.Tags.LeadId, request.LeadId);
        var outcome = "error";
        try
        {
            var sale = await SellCoreAsync(request, ct);
            outcome = "sold";
            return sale;
        }
        catch (Exception ex)
        {
            outcome = ex switch
            {
                LeadNotAvailableException refused => refused.Code,
                OrderCapReachedException => "order_cap",
                OrderExhaustedException => "order_exhausted",
                InsufficientFundsException => "insufficient_funds",
                NotFoundException => "not_found",
                _ => "error",
            };
            throw;
        }
        finally
        {
            Telemetry.LeadSaleAttempted(request.Channel == SaleChannel.Order ? "order" : "catalog", request.Exclusive, outcome, span);
        }
    }

    private async Task<SaleResult> SellCoreAsync(SaleRequest request, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == request.LeadId)
            .Select(l => new { l.Id, l.SellerId, l.NicheCode, l.RegionCode, l.Temperature, l.Currency, l.Price, l.PersonHash, l.Status, l.ExpiresAt })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Lead");
        if (lead.SellerId == request.BuyerId) throw new LeadNotAvailableException("own_lead", "You cannot buy your own lead.");
        var price = request.Price ?? lead.Price;
        if (price <= 0) throw new InvalidOperationException("A sale needs a positive price.");
        var niche = await db.Niches.AsNoTracking().Where(n => n.Code == lead.NicheCode)
            .Select(n => new { n.MaxSharedBuyers, n.DisputeWindowHours, n.DedupWindowDays, n.CommissionBp }).FirstAsync(ct);
        // One read for both refusals, so a buyer racing itself always hears the same one: this lead bought (by a parallel
        // request that committed meanwhile) is "already_bought", even when the same person also matches.
        var since = now.AddDays(-niche.DedupWindowDays);
        var person = lead.PersonHash;
        var bought = await db.LeadSales.AsNoTracking()
            .Where(s => s.BuyerId == request.BuyerId && (s.LeadId == lead.Id
                        || (person != null && s.NicheCode == lead.NicheCode && s.PersonHash == person && s.SoldAt > since)))
            .Select(s => (bool?)(s.LeadId == lead.Id)).OrderByDescending(thisLead => thisLead).FirstOrDefaultAsync(ct);
        if (bought == true)
            throw new LeadNotAvailableException("already_bought", "You already bought this lead.");
        if (bought == false)
            throw new LeadNotAvailableException("already_bought_person", "You already bought this person in this niche within its dedup window.");
        // Plain reads before the first row lock, so the locks below are held for as few round trips as possible.
        var commission = niche.CommissionBp ?? await PlatformSettingsStore.CommissionBpAsync(db, null, ct);
        var webhook = await db.BuyerWebhooks.AnyAsync(w => w.AdvertiserId == request.BuyerId && w.Enabled, ct);

        // 1. The lead: the row lock serialises buyers; the WHERE re-checks after a competitor commits.
        var max = Math.Max(1, niche.MaxSharedBuyers);
        var taken = request.Exclusive
            ? await db.Leads.Where(l => l.Id == lead.Id).Where(LeadAvailability.OpenForExclusive(now))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.SoldCount, 1).SetProperty(l => l.SoldExclusive, true).SetProperty(l => l.Status, LeadStatus.Sold), ct)
            : await db.Leads.Where(l => l.Id == lead.Id).Where(LeadAvailability.OpenForShared(now, max))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.SoldCount, l => l.SoldCount + 1)
                    .SetProperty(l => l.Status, l => l.SoldCount + 1 >= max ? LeadStatus.Sold : LeadStatus.OnSale), ct);
        if (taken == 0)
            throw lead.ExpiresAt <= now || lead.Status == LeadStatus.Expired
                ? new LeadNotAvailableException("expired", "This lead has expired.")
                : request.Exclusive
                    ? new LeadNotAvailableException("already_sold", "This lead was already sold, so it cannot be bought exclusively.")
                    : new LeadNotAvailableException("already_sold", "This lead was already sold exclusively or to its limit of shared buyers.");

        // 2. The order: budget and caps.
        if (request.OrderId is { } orderId)
        {
            var orderPrice = price;
            var spent = await db.LeadOrders.Where(o => o.Id == orderId && o.AdvertiserId == request.BuyerId && o.Status == LeadOrderStatus.Active
                                                       && !o.SellerPaused && o.EndedAt == null && (o.Budget == null || o.Spent + orderPrice <= o.Budget))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Spent, o => o.Spent + orderPrice).SetProperty(o => o.LastWonAt, now)
                    .SetProperty(o => o.LeadsBought, o => o.LeadsBought + 1), ct);
            if (spent == 0)
            {
                // Only a spent budget counts as "budget"; a pause, an end or a seller's pause landing meanwhile just refuses.
                var active = await db.LeadOrders.AnyAsync(o => o.Id == orderId && o.Status == LeadOrderStatus.Active && !o.SellerPaused && o.EndedAt == null, ct);
                throw new OrderExhaustedException(active, active ? "The order's budget cannot cover this lead." : "The order is not active.");
            }
            var order = await db.LeadOrders.AsNoTracking().FirstAsync(o => o.Id == orderId, ct);
            await TakeCapAsync(order.CapScope, order.DayPeriod(now), order.DailyCap, "daily", ct);
            await TakeCapAsync(order.CapScope, order.MonthPeriod(now), order.MonthlyCap, "monthly", ct);
        }

        // 3. The sale and its delivery, then 4. the money (balance → escrow until the dispute window ends, guarded:
        // never below zero). The charge writes every row of the unit first and updates the buyer's balance and escrow
        // rows last, just before the commit, so those shared rows are locked for as little as possible.
        var saleId = Guid.NewGuid();
        var hold = EscrowHold.Create(HoldSource, saleId, request.BuyerId, lead.SellerId, lead.Currency, price, commission, now,
            now.AddHours(niche.DisputeWindowHours));
        var sale = LeadSale.Record(saleId, lead.Id, request.BuyerId, lead.SellerId, request.OrderId, request.Channel, request.Exclusive,
            lead.NicheCode, lead.RegionCode, lead.Temperature, lead.Currency, price, hold.Id, lead.PersonHash, now, niche.DisputeWindowHours);
        db.LeadSales.Add(sale);
        if (webhook) db.OutboxMessages.Add(BuyerWebhookMessages.Create(saleId, request.BuyerId, now));
        try
        {
            await escrow.ChargeAsync(hold, $"Lead {lead.Id:N} sold ({(request.Exclusive ? "exclusive" : "shared")})", ct);
        }
        catch (DbUpdateException)
        {
            // The same buyer bought the same lead in a parallel request (unique lead + buyer, committed before the index let
            // this insert fail): this one rolls back. The save ran in a savepoint, so the check can still ask. Any other
            // failure of the save (the database going away) goes up as it is, not as a refusal.
            if (await db.LeadSales.AsNoTracking().AnyAsync(s => s.LeadId == lead.Id && s.BuyerId == request.BuyerId, ct))
                throw new LeadNotAvailableException("already_bought", "You already bought this lead.");
            throw;
        }
        return new SaleResult(sale.Id, lead.Id, request.BuyerId, price, lead.Currency, request.Exclusive, now, sale.DisputeUntil);
    }

    public const string HoldSource = "sale";

    private async Task TakeCapAsync(string scope, string period, int? limit, string name, CancellationToken ct)
    {
        // Counted even without a cap, so the order shows what it bought today and this month. The row exists after the
        // period's first sale, so the increment is tried first and the row created only when the increment found none.
        if (await CapCounting.TryTakeAsync(db, scope, period, limit ?? int.MaxValue, ct)) return;
        await CapCounting.EnsureAsync(db, scope, period, ct);
        if (!await CapCounting.TryTakeAsync(db, scope, period, limit ?? int.MaxValue, ct))
            throw new OrderCapReachedException($"The order's {name} cap of {limit} is reached.");
    }
}

/// <summary>
/// Distribution of a freshly accepted lead (docs/api.md "Buying leads (advertiser)" and "Seller offers"). Subscriptions to the
/// seller's active offers come first, each paying the offer's price (fixed, or the exchange price within the
/// subscriber's max price); then the open exchange's orders at the lead's price. Eligible orders: active, same niche
/// and currency, a region they cover, temperature at least their minimum, open by their schedule in their
/// time zone, under their caps and budget, not the seller's own account, and a buyer who has not bought this
/// person in the niche window. Ranked by the price they accept (max price, highest first), ties broken round
/// robin (longest since last win, then oldest order). The first order that buys decides the mode: an exclusive
/// buyer takes the lead alone; a shared buyer is joined by the next shared orders of other advertisers up to
/// the niche's limit. Each sale is its own unit of work (<see cref="LeadSeller"/>); an order whose balance
/// or budget ran out is paused with the reason and the next order is tried.
/// </summary>
public sealed class LeadDistributor(IAppDbContext db, IClock clock, IUnitOfWork uow, LeadSeller seller, Pricing.PricingTablesCache pricing,
    ILogger<LeadDistributor> logger)
{
    /// <summary>Distributes a lead intake has just accepted (intake passes the lead and its niche, so nothing is read twice).</summary>
    public async Task<IReadOnlyList<SaleResult>> DistributeAsync(Lead lead, Niche niche, CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity(Telemetry.Spans.LeadDistribute);
        span?.SetTag(Telemetry.Tags.LeadId, lead.Id);
        var sales = await DistributeToOrdersAsync(lead, niche, ct);
        span?.SetTag(Telemetry.Tags.Sales, sales.Count);
        return sales;
    }

    private async Task<IReadOnlyList<SaleResult>> DistributeToOrdersAsync(Lead lead, Niche niche, CancellationToken ct)
    {
        var now = clock.UtcNow;
        if (lead.Status != LeadStatus.OnSale) return [];

        // Open orders that pay the exchange price, and subscriptions to this seller's offers (at the offer's price).
        var candidates = await db.LeadOrders.AsNoTracking()
            .Where(o => o.NicheCode == lead.NicheCode && o.Status == LeadOrderStatus.Active && o.Currency == lead.Currency
                        && o.AdvertiserId != lead.SellerId && o.EndedAt == null && !o.SellerPaused
                        && (o.SellerOfferId == null ? o.MaxPrice >= lead.Price : o.SellerId == lead.SellerId))
            .ToListAsync(ct);
        if (candidates.Count == 0) return [];
        var offerIds = candidates.Where(o => o.SellerOfferId is not null).Select(o => o.SellerOfferId!.Value).Distinct().ToList();
        var offers = offerIds.Count == 0
            ? []
            : await db.SellerOffers.AsNoTracking().Where(o => offerIds.Contains(o.Id) && o.Status == SellerOfferStatus.Active).ToDictionaryAsync(o => o.Id, ct);

        var parents = await RegionChainAsync(lead.RegionCode, ct);
        var since = now.AddDays(-niche.DedupWindowDays);
        // Only the candidates' buyers matter: asking for them uses the (buyer, niche, person) index instead of scanning every sale.
        var candidateBuyers = candidates.Select(o => o.AdvertiserId).Distinct().ToList();
        var boughtPerson = lead.PersonHash is null
            ? []
            : (await db.LeadSales.AsNoTracking().Where(s => candidateBuyers.Contains(s.BuyerId) && s.NicheCode == lead.NicheCode
                                                             && s.PersonHash == lead.PersonHash && s.SoldAt > since)
                .Select(s => s.BuyerId).ToListAsync(ct)).ToHashSet();
        var counters = await CapCountsAsync(candidates, now, ct);

        // What each order would pay: a subscription the offer's price (within its max price), an open order the lead's price.
        var prices = new Dictionary<Guid, long>();
        foreach (var o in candidates)
        {
            if (o.SellerOfferId is not { } offerId) prices[o.Id] = lead.Price;
            else if (offers.TryGetValue(offerId, out var offer) && offer.Covers(lead.RegionCode, c => parents.GetValueOrDefault(c))
                     && offer.PriceFor(lead.Price) is var offerPrice && offerPrice <= o.MaxPrice)
                prices[o.Id] = offerPrice;
        }
        var eligible = candidates
            .Where(o => prices.ContainsKey(o.Id) && o.Covers(lead.RegionCode, c => parents.GetValueOrDefault(c)) && o.Accepts(lead.Temperature) && o.IsOpenAt(now)
                        && !boughtPerson.Contains(o.AdvertiserId)
                        && UnderCap(o.DailyCap, counters.GetValueOrDefault((o.CapScope, o.DayPeriod(now))))
                        && UnderCap(o.MonthlyCap, counters.GetValueOrDefault((o.CapScope, o.MonthPeriod(now)))))
            .ToList();
        // An order that would take this lead but whose remaining budget cannot pay for it is paused with the reason,
        // so its owner sees why it stopped buying (skipping it silently would leave it "active" and idle for ever).
        foreach (var broke in eligible.Where(o => o.Budget is { } b && o.Spent + prices[o.Id] > b))
            await PauseAsync(broke.Id, LeadOrder.BudgetSpentReason, ct);
        // Subscribers of the seller's offers first, then the open exchange; within each, by max price, then round robin.
        // Among equal max prices an order another request of this node is selling to right now goes last: parallel leads
        // all read the same LastWonAt and would otherwise queue on that one order's row lock (and its buyer's balance).
        var ranked = eligible.Where(o => o.Budget is not { } b || o.Spent + prices[o.Id] <= b)
            .OrderBy(o => o.IsSubscription ? 0 : 1).ThenByDescending(o => o.MaxPrice).ThenBy(o => SalesInFlight.GetValueOrDefault(o.Id))
            .ThenBy(o => o.LastWonAt ?? DateTime.MinValue).ThenBy(o => o.CreatedAt).ThenBy(o => o.Id)
            .ToList();

        var sales = new List<SaleResult>();
        var buyers = new HashSet<string>();
        var maxShared = Math.Max(1, niche.MaxSharedBuyers);
        foreach (var order in ranked)
        {
            if (buyers.Contains(order.AdvertiserId)) continue;
            if (order.Exclusive && sales.Count > 0) continue;
            SalesInFlight.AddOrUpdate(order.Id, 1, (_, n) => n + 1);
            try
            {
                var request = new SaleRequest(lead.Id, order.AdvertiserId, order.Id, order.Exclusive, SaleChannel.Order, prices[order.Id]);
                var sale = await uow.RunAsync(token => seller.SellAsync(request, token), ct);
                sales.Add(sale);
                buyers.Add(order.AdvertiserId);
                if (order.Exclusive || sales.Count >= maxShared) break;
            }
            catch (LeadNotAvailableException ex) when (ex.Code is "already_bought" or "already_bought_person")
            {
                buyers.Add(order.AdvertiserId);
            }
            catch (LeadNotAvailableException)
            {
                break; // bought from the catalog meanwhile, or expired
            }
            catch (OrderCapReachedException)
            {
                // Full for today or this month: skipped, not paused.
            }
            catch (OrderExhaustedException ex) when (ex.Budget)
            {
                await PauseAsync(order.Id, LeadOrder.BudgetSpentReason, ct);
            }
            catch (OrderExhaustedException)
            {
                // Paused or edited by its owner meanwhile.
            }
            catch (InsufficientFundsException)
            {
                await PauseAsync(order.Id, LeadOrder.BalanceRanOutReason, ct);
            }
            finally
            {
                Leave(order.Id);
            }
        }
        if (sales.Count > 0)
            logger.LogInformation("Lead {LeadId} sold to {Buyers} buyer(s) through orders", lead.Id, sales.Count);
        return sales;
    }

    private static bool UnderCap(int? cap, int count) => cap is not { } c || count < c;

    /// <summary>Order id → sale attempts running in this process: a ranking hint only; every limit is still enforced by the sale's conditional updates.</summary>
    private static readonly ConcurrentDictionary<Guid, int> SalesInFlight = new();

    private static void Leave(Guid orderId)
    {
        while (SalesInFlight.TryGetValue(orderId, out var n))
        {
            if (n <= 1 ? SalesInFlight.TryRemove(KeyValuePair.Create(orderId, n)) : SalesInFlight.TryUpdate(orderId, n - 1, n)) return;
        }
    }

    private async Task PauseAsync(Guid orderId, string reason, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var paused = await db.LeadOrders.Where(o => o.Id == orderId && o.Status == LeadOrderStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, LeadOrderStatus.Paused).SetProperty(o => o.PausedReason, reason)
                .SetProperty(o => o.PausedAutomatically, true).SetProperty(o => o.PausedAt, now).SetProperty(o => o.UpdatedAt, now), ct);
        if (paused > 0) logger.LogInformation("Lead order {OrderId} paused: {Reason}", orderId, reason);
    }

    /// <summary>Region code → parent code for the lead's region and its ancestors, from the node's cached reference tables
    /// (the database only for a region created since they were loaded).</summary>
    private async Task<Dictionary<string, string?>> RegionChainAsync(string regionCode, CancellationToken ct)
    {
        var chain = new Dictionary<string, string?>(StringComparer.Ordinal);
        var tables = await pricing.GetAsync(db, ct);
        string? next = regionCode;
        while (next is not null && !chain.ContainsKey(next) && tables.Region(next) is { } known)
        {
            chain[next] = known.ParentCode;
            next = known.ParentCode;
        }
        if (next is null || chain.ContainsKey(next)) return chain;
        chain.Clear();
        for (string? code = regionCode; code is not null && !chain.ContainsKey(code);)
        {
            var current = code;
            var parent = await db.Regions.AsNoTracking().Where(r => r.Code == current).Select(r => r.ParentCode).FirstOrDefaultAsync(ct);
            chain[current] = parent;
            code = parent;
        }
        return chain;
    }

    private async Task<Dictionary<(string Scope, string Period), int>> CapCountsAsync(List<LeadOrder> orders, DateTime now, CancellationToken ct)
    {
        var capped = orders.Where(o => o.DailyCap is not null || o.MonthlyCap is not null).ToList();
        // Orders without caps are counted too, but only capped ones need the counts here.
        if (capped.Count == 0) return [];
        var wanted = capped.SelectMany(o => new[] { (o.CapScope, o.DayPeriod(now)), (o.CapScope, o.MonthPeriod(now)) }).ToHashSet();
        // Only this day's and month's rows (a few periods, as orders' time zones differ): every earlier period's row stays
        // in the table, and reading them all made each lead's cost grow with the orders' age.
        var scopes = wanted.Select(w => w.CapScope).Distinct().ToList();
        var periods = wanted.Select(w => w.Item2).Distinct().ToList();
        var rows = await db.CapCounters.AsNoTracking().Where(c => scopes.Contains(c.Scope) && periods.Contains(c.Period)).ToListAsync(ct);
        return rows.Where(r => wanted.Contains((r.Scope, r.Period))).ToDictionary(r => (r.Scope, r.Period), r => r.Count);
    }
}

/// <summary>Background job step: unsold leads past their expiry leave the catalog; shared leads with buyers count as sold.</summary>
public sealed record ExpireLeadsCommand : IRequest<int>;

public sealed class ExpireLeadsHandler(IAppDbContext db, IClock clock) : IRequestHandler<ExpireLeadsCommand, int>
{
    public async Task<int> Handle(ExpireLeadsCommand request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var expired = await db.Leads.Where(l => l.Status == LeadStatus.OnSale && l.ExpiresAt <= now && l.SoldCount == 0)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, LeadStatus.Expired), cancellationToken);
        var closed = await db.Leads.Where(l => l.Status == LeadStatus.OnSale && l.ExpiresAt <= now && l.SoldCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, LeadStatus.Sold), cancellationToken);
        return expired + closed;
    }
}
