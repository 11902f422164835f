using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Reference;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Buying;

/// <summary>API.md /api/v1/lead-orders body (create and PUT). Money in minor units; temperature cold|warm|hot; days mon..sun.</summary>
public sealed record LeadOrderInput(
    string? Name, string? Niche, IReadOnlyList<string>? Regions, long? MaxPrice, string? MinTemperature, bool? Exclusive,
    int? DailyCap, int? MonthlyCap, long? Budget, IReadOnlyList<string>? Days, int? HourFrom, int? HourTo, string? TimeZone, bool? Active);

public sealed record LeadOrderDto(
    Guid Id, string Name, string Niche, IReadOnlyList<string> Regions, string Currency, long MaxPrice, string MinTemperature, bool Exclusive,
    int? DailyCap, int? MonthlyCap, long? Budget, long Spent, IReadOnlyList<string> Days, int HourFrom, int HourTo, string TimeZone,
    string Status, string? PausedReason, bool PausedAutomatically, int LeadsBought, int BoughtToday, int BoughtThisMonth, DateTime? LastWonAt,
    DateTime CreatedAt, DateTime UpdatedAt, bool OpenNow, Guid? SellerOfferId = null, bool SellerPaused = false, DateTime? EndedAt = null);

public static class LeadOrderMapping
{
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static string DayName(DayOfWeek d) => DayNames[(int)d];

    public static LeadOrderDto ToDto(LeadOrder o, int today, int month, DateTime now) => new(
        o.Id, o.Name, o.NicheCode, o.Regions, o.Currency, o.MaxPrice, o.MinTemperature.ToString().ToLowerInvariant(), o.Exclusive,
        o.DailyCap, o.MonthlyCap, o.Budget, o.Spent, o.Days.Select(DayName).ToList(), o.HourFrom, o.HourTo, o.TimeZone,
        o.Status.ToString().ToLowerInvariant(), o.PausedReason, o.PausedAutomatically, o.LeadsBought, today, month, o.LastWonAt,
        o.CreatedAt, o.UpdatedAt, o.Status == LeadOrderStatus.Active && !o.SellerPaused && o.IsOpenAt(now), o.SellerOfferId, o.SellerPaused, o.EndedAt);

    /// <summary>Turns the input into terms, collecting every error by its API field name.</summary>
    public static (LeadOrderTerms? Terms, List<(string Field, string Message)> Errors) Parse(LeadOrderInput input)
    {
        var errors = new List<(string, string)>();
        Temperature min = Temperature.Cold;
        if (!string.IsNullOrWhiteSpace(input.MinTemperature) && !Enum.TryParse(input.MinTemperature.Trim(), true, out min))
            errors.Add(("minTemperature", "Temperature is cold, warm or hot."));
        var days = new List<DayOfWeek>();
        foreach (var d in input.Days ?? DayNames)
        {
            var i = Array.IndexOf(DayNames, d?.Trim().ToLowerInvariant()[..Math.Min(3, d.Trim().Length)]);
            if (i < 0) errors.Add(("days", $"'{d}' is not a day (mon, tue, wed, thu, fri, sat, sun)."));
            else days.Add((DayOfWeek)i);
        }
        if (input.MaxPrice is null) errors.Add(("maxPrice", "Max price is required (minor units)."));
        var terms = new LeadOrderTerms(input.Name ?? "", input.Niche?.Trim().ToLowerInvariant() ?? "", input.Regions ?? [], input.MaxPrice ?? 0, min,
            input.Exclusive ?? false, input.DailyCap, input.MonthlyCap, input.Budget, days.Distinct().ToList(), input.HourFrom ?? 0, input.HourTo ?? 24,
            string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim());
        errors.AddRange(LeadOrder.Validate(terms).Where(e => !(e.Field == "maxPrice" && input.MaxPrice is null)));
        return (errors.Count == 0 ? terms : null, errors);
    }

    /// <summary>Checks what needs the database: the niche exists and is active, every region exists.</summary>
    public static async Task<(string Currency, List<(string Field, string Message)> Errors)> CheckReferencesAsync(IAppDbContext db, LeadOrderTerms terms,
        CancellationToken ct)
    {
        var errors = new List<(string, string)>();
        var niche = await db.Niches.AsNoTracking().Where(n => n.Code == terms.NicheCode && n.IsActive).Select(n => new { n.Currency }).FirstOrDefaultAsync(ct);
        if (niche is null) errors.Add(("niche", $"Unknown niche '{terms.NicheCode}'."));
        var codes = terms.RegionCodes.Select(r => r.Trim().ToUpperInvariant()).Distinct().ToList();
        var known = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code) && r.IsActive).Select(r => r.Code).ToListAsync(ct);
        foreach (var missing in codes.Except(known)) errors.Add(("regions", $"Unknown region '{missing}'."));
        return (niche?.Currency ?? "", errors);
    }

    public static async Task<LeadOrderDto> LoadDtoAsync(IAppDbContext db, LeadOrder order, DateTime now, CancellationToken ct)
    {
        var (day, month) = (order.DayPeriod(now), order.MonthPeriod(now));
        var counts = await db.CapCounters.AsNoTracking().Where(c => c.Scope == order.CapScope && (c.Period == day || c.Period == month))
            .ToDictionaryAsync(c => c.Period, c => c.Count, ct);
        return ToDto(order, counts.GetValueOrDefault(day), counts.GetValueOrDefault(month), now);
    }
}

public sealed record CreateLeadOrderCommand(LeadOrderInput Input) : IRequest<LeadOrderDto>;

public sealed class CreateLeadOrderHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<CreateLeadOrderCommand, LeadOrderDto>
{
    public Task<LeadOrderDto> Handle(CreateLeadOrderCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<LeadOrderDto> ExecuteAsync(CreateLeadOrderCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        var (terms, errors) = LeadOrderMapping.Parse(request.Input);
        if (terms is null) throw ValidationException.From(errors);
        var (currency, refErrors) = await LeadOrderMapping.CheckReferencesAsync(db, terms, ct);
        if (refErrors.Count > 0) throw ValidationException.From(refErrors);
        var now = clock.UtcNow;
        var order = LeadOrder.Create(advertiserId, currency, terms, now);
        if (request.Input.Active == false) order.Pause("Paused by the advertiser.", false, now);
        db.LeadOrders.Add(order);
        await db.SaveChangesAsync(ct);
        return await LeadOrderMapping.LoadDtoAsync(db, order, now, ct);
    }
}

public sealed record UpdateLeadOrderCommand(Guid Id, LeadOrderInput Input) : IRequest<LeadOrderDto>;

public sealed class UpdateLeadOrderHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<UpdateLeadOrderCommand, LeadOrderDto>
{
    public Task<LeadOrderDto> Handle(UpdateLeadOrderCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<LeadOrderDto> ExecuteAsync(UpdateLeadOrderCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        var order = await db.LeadOrders.FirstOrDefaultAsync(o => o.Id == request.Id && o.AdvertiserId == advertiserId, ct)
                    ?? throw new NotFoundException("Lead order");
        var (terms, errors) = LeadOrderMapping.Parse(request.Input with
        {
            Niche = request.Input.Niche ?? order.NicheCode,
            MaxPrice = request.Input.MaxPrice ?? (order.IsSubscription ? order.MaxPrice : null),
        });
        if (terms is null) throw ValidationException.From(errors);
        if (order.EndedAt is not null) throw new ConflictException("ended", "This order has ended; create a new one.");
        if (order.SellerOfferId is { } offerId)
        {
            // A subscription keeps its offer's niche, exclusivity and fixed price.
            var offer = await db.SellerOffers.AsNoTracking().FirstAsync(o => o.Id == offerId, ct);
            terms = offer.Bind(terms);
        }
        var (_, refErrors) = await LeadOrderMapping.CheckReferencesAsync(db, terms, ct);
        if (refErrors.Count > 0) throw ValidationException.From(refErrors);
        var now = clock.UtcNow;
        order.Update(terms, now);
        if (request.Input.Active is { } active)
        {
            if (active && order.Status == LeadOrderStatus.Paused) order.Resume(now);
            else if (!active && order.Status == LeadOrderStatus.Active) order.Pause("Paused by the advertiser.", false, now);
        }
        await db.SaveChangesAsync(ct);
        return await LeadOrderMapping.LoadDtoAsync(db, order, now, ct);
    }
}

/// <summary>Pause or resume without touching the terms (the UI's buttons).</summary>
public sealed record SetLeadOrderActiveCommand(Guid Id, bool Active) : IRequest<LeadOrderDto>;

public sealed class SetLeadOrderActiveHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<SetLeadOrderActiveCommand, LeadOrderDto>
{
    public Task<LeadOrderDto> Handle(SetLeadOrderActiveCommand request, CancellationToken ct) => uow.RunAsync(token => ExecuteAsync(request, token), ct);

    private async Task<LeadOrderDto> ExecuteAsync(SetLeadOrderActiveCommand request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        var order = await db.LeadOrders.FirstOrDefaultAsync(o => o.Id == request.Id && o.AdvertiserId == advertiserId, ct)
                    ?? throw new NotFoundException("Lead order");
        var now = clock.UtcNow;
        if (request.Active && order.Status == LeadOrderStatus.Paused) order.Resume(now);
        else if (!request.Active && order.Status == LeadOrderStatus.Active) order.Pause("Paused by the advertiser.", false, now);
        await db.SaveChangesAsync(ct);
        return await LeadOrderMapping.LoadDtoAsync(db, order, now, ct);
    }
}

public sealed record GetLeadOrderQuery(Guid Id) : IRequest<LeadOrderDto>;

public sealed class GetLeadOrderHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<GetLeadOrderQuery, LeadOrderDto>
{
    public async Task<LeadOrderDto> Handle(GetLeadOrderQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        var order = await db.LeadOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.Id && o.AdvertiserId == advertiserId, ct)
                    ?? throw new NotFoundException("Lead order");
        return await LeadOrderMapping.LoadDtoAsync(db, order, clock.UtcNow, ct);
    }
}

public sealed record ListLeadOrdersQuery(string? Status = null, string? Niche = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<LeadOrderDto>>;

public sealed class ListLeadOrdersHandler(IAppDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<ListLeadOrdersQuery, PagedResult<LeadOrderDto>>
{
    public async Task<PagedResult<LeadOrderDto>> Handle(ListLeadOrdersQuery request, CancellationToken ct)
    {
        user.RequireRole(Roles.Advertiser);
        var advertiserId = user.RequireUserId();
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.LeadOrders.AsNoTracking().Where(o => o.AdvertiserId == advertiserId);
        if (Enum.TryParse<LeadOrderStatus>(request.Status, true, out var status)) query = query.Where(o => o.Status == status);
        if (!string.IsNullOrWhiteSpace(request.Niche)) query = query.Where(o => o.NicheCode == request.Niche);
        var total = await query.CountAsync(ct);
        var orders = await query.OrderByDescending(o => o.CreatedAt).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        var now = clock.UtcNow;
        var scopes = orders.Select(o => o.CapScope).ToList();
        var counters = await db.CapCounters.AsNoTracking().Where(c => scopes.Contains(c.Scope)).ToListAsync(ct);
        int Count(LeadOrder o, string period) => counters.FirstOrDefault(c => c.Scope == o.CapScope && c.Period == period)?.Count ?? 0;
        var items = orders.Select(o => LeadOrderMapping.ToDto(o, Count(o, o.DayPeriod(now)), Count(o, o.MonthPeriod(now)), now)).ToList();
        return new PagedResult<LeadOrderDto>(items, page, size, total);
    }
}
