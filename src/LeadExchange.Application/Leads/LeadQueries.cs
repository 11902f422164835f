using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Tracking;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Leads;

// ---------- Webmaster: my leads ----------

/// <summary>
/// A lead as its seller sees it: contact masked only (the seller already has the person's data; the exchange never hands it
/// back), what happened to it and what it is worth. Temperature, score and price are null for a rejected lead.
/// </summary>
public sealed record MyLeadDto(
    Guid Id, DateTime CreatedAt, string NicheCode, string NicheName, string RegionCode, string RegionName, string Source, string Status,
    string? RejectReason, string? Temperature, int? Score, long? Price, string Currency, int SoldCount,
    string MaskedName, string MaskedPhone, string? MaskedEmail, string? Sub1, string? Sub2, string? Sub3, string? Sub4, string? Sub5);

/// <summary>The calling webmaster's submitted leads, accepted and rejected, newest first. Dates: From inclusive, To exclusive.</summary>
public sealed record ListMyLeadsQuery(LeadStatus? Status = null, string? Niche = null, DateTime? From = null, DateTime? To = null,
    int? Page = null, int? PageSize = null) : IRequest<PagedResult<MyLeadDto>>;

public sealed class ListMyLeadsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListMyLeadsQuery, PagedResult<MyLeadDto>>
{
    public async Task<PagedResult<MyLeadDto>> Handle(ListMyLeadsQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var sellerId = user.RequireUserId();
        var query = db.Leads.AsNoTracking().Where(l => l.SellerId == sellerId);
        if (request.Status is { } status) query = query.Where(l => l.Status == status);
        if (!string.IsNullOrWhiteSpace(request.Niche))
        {
            var niche = request.Niche.Trim().ToLowerInvariant();
            query = query.Where(l => l.NicheCode == niche);
        }
        if (request.From is { } from) query = query.Where(l => l.CreatedAt >= from);
        if (request.To is { } to) query = query.Where(l => l.CreatedAt < to);

        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        // Only masked columns are read: the contact cipher never leaves the database for this list.
        var rows = await query.OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Id).Skip((page - 1) * size).Take(size)
            .Select(l => new
            {
                l.Id, l.CreatedAt, l.NicheCode, l.RegionCode, l.Source, l.Status, l.RejectReason, l.Temperature, l.Score, l.Price, l.Currency,
                l.SoldCount, l.MaskedName, l.MaskedPhone, l.MaskedEmail, l.Sub1, l.Sub2, l.Sub3, l.Sub4, l.Sub5,
            })
            .ToListAsync(cancellationToken);

        var nicheCodes = rows.Select(r => r.NicheCode).Distinct().ToList();
        var niches = await db.Niches.AsNoTracking().Where(n => nicheCodes.Contains(n.Code))
            .Select(n => new { n.Code, n.Name }).ToDictionaryAsync(n => n.Code, n => n.Name, cancellationToken);
        var regionCodes = rows.Select(r => r.RegionCode).Distinct().ToList();
        var regions = await db.Regions.AsNoTracking().Where(r => regionCodes.Contains(r.Code))
            .Select(r => new { r.Code, r.Name }).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);

        var items = rows.Select(r =>
        {
            var rejected = r.Status == LeadStatus.Rejected;
            return new MyLeadDto(r.Id, r.CreatedAt, r.NicheCode, niches.GetValueOrDefault(r.NicheCode) ?? r.NicheCode, r.RegionCode,
                regions.GetValueOrDefault(r.RegionCode) ?? r.RegionCode, LeadNames.Source(r.Source), LeadNames.Status(r.Status), r.RejectReason,
                rejected ? null : r.Temperature.ToString().ToLowerInvariant(), rejected ? null : r.Score, rejected ? null : r.Price, r.Currency,
                r.SoldCount, r.MaskedName, r.MaskedPhone, r.MaskedEmail, r.Sub1, r.Sub2, r.Sub3, r.Sub4, r.Sub5);
        }).ToList();
        return new PagedResult<MyLeadDto>(items, page, size, total);
    }
}

/// <summary>Lead values as the API writes them (API.md "Lead submission": status "on_sale" | "sold").</summary>
public static class LeadNames
{
    public static string Status(LeadStatus status) => status switch
    {
        LeadStatus.OnSale => "on_sale",
        LeadStatus.Sold => "sold",
        LeadStatus.Rejected => "rejected",
        _ => "expired",
    };

    public static string Source(LeadSource source) => source == LeadSource.Form ? "form" : "api";
}

// ---------- Admin: blocklist of phones, emails, sellers and IP addresses ----------

/// <summary>
/// A blocklist entry. Phones and emails are stored only as the keyed hash intake compares (so <see cref="Value"/> is a hash
/// and <see cref="Display"/> a short form of it); a seller entry shows the webmaster's email when the account exists.
/// </summary>
public sealed record BlocklistEntryDto(Guid Id, BlocklistKind Kind, string Value, string Display, string? Reason, string? CreatedBy, DateTime CreatedAt);

/// <summary>
/// Admin: blocklist entries, newest first. <paramref name="Search"/> finds the entry of a phone (international, "+..."), an
/// email or a seller (user id or email): it is normalised and hashed exactly as intake does, then matched.
/// </summary>
public sealed record ListBlocklistQuery(BlocklistKind? Kind = null, string? Search = null, int? Page = null, int? PageSize = null)
    : IRequest<PagedResult<BlocklistEntryDto>>;

public sealed class ListBlocklistHandler(IAppDbContext db, ICurrentUser user, IContactProtector protector, IIdentityService identity)
    : IRequestHandler<ListBlocklistQuery, PagedResult<BlocklistEntryDto>>
{
    public async Task<PagedResult<BlocklistEntryDto>> Handle(ListBlocklistQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var query = db.Blocklist.AsNoTracking();
        if (request.Kind is { } kind) query = query.Where(b => b.Kind == kind);
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var values = new List<string>();
            foreach (var k in Enum.GetValues<BlocklistKind>())
            {
                var (value, _) = await BlocklistValues.NormalizeAsync(k, request.Search, protector, identity, cancellationToken);
                if (value is not null) values.Add(value);
            }
            values.Add(request.Search.Trim());
            query = query.Where(b => values.Contains(b.Value));
        }

        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);

        var emails = new Dictionary<string, string>();
        foreach (var id in entries.Where(e => e.Kind == BlocklistKind.Seller).Select(e => e.Value)
                     .Concat(entries.Where(e => e.CreatedBy is not null).Select(e => e.CreatedBy!)).Distinct())
            if (await identity.FindByIdAsync(id, cancellationToken) is { } found) emails[id] = found.Email;

        var items = entries.Select(e => new BlocklistEntryDto(e.Id, e.Kind, e.Value,
            e.Kind switch
            {
                BlocklistKind.Seller => emails.GetValueOrDefault(e.Value) ?? e.Value,
                BlocklistKind.Ip => e.Value,
                _ => "hash " + e.Value[..Math.Min(12, e.Value.Length)] + "…",
            },
            e.Reason, e.CreatedBy is null ? null : emails.GetValueOrDefault(e.CreatedBy) ?? e.CreatedBy, e.CreatedAt)).ToList();
        return new PagedResult<BlocklistEntryDto>(items, page, size, total);
    }
}

/// <summary>
/// Admin blocks a phone, an email or a seller. Phones are typed internationally ("+7 916 123-45-67": the "+" prefix names the
/// country) and emails as addresses; both are normalised and hashed exactly as intake hashes a lead's contact, so every later
/// lead with that phone or email is refused whatever way it was typed. A seller is a webmaster's user id or email. An IP
/// address (IPv4 or IPv6) takes effect on this node at once and on the others at their next blocklist refresh.
/// Errors by field: Kind, Value, Reason. Returns the entry's id.
/// </summary>
public sealed record AddBlocklistEntryCommand(BlocklistKind Kind, string? Value, string? Reason = null) : IRequest<Guid>
{
    public const int ReasonMaxLength = 200;
}

public sealed class AddBlocklistEntryHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, IContactProtector protector, IIdentityService identity,
    IIpBlocklist ips, IAuditLog audit)
    : IRequestHandler<AddBlocklistEntryCommand, Guid>
{
    public Task<Guid> Handle(AddBlocklistEntryCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<Guid> ExecuteAsync(AddBlocklistEntryCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var errors = new List<(string Field, string Message)>();
        if (!Enum.IsDefined(request.Kind)) errors.Add((nameof(AddBlocklistEntryCommand.Kind), "Choose phone, email, seller or IP address."));
        if (request.Reason?.Trim() is { Length: > AddBlocklistEntryCommand.ReasonMaxLength })
            errors.Add((nameof(AddBlocklistEntryCommand.Reason), $"Reason is at most {AddBlocklistEntryCommand.ReasonMaxLength} characters."));
        string? value = null;
        if (errors.Count == 0)
        {
            (value, var error) = await BlocklistValues.NormalizeAsync(request.Kind, request.Value, protector, identity, cancellationToken);
            if (error is not null) errors.Add((nameof(AddBlocklistEntryCommand.Value), error));
            else if (await db.Blocklist.AnyAsync(b => b.Kind == request.Kind && b.Value == value, cancellationToken))
                errors.Add((nameof(AddBlocklistEntryCommand.Value), $"This {BlocklistValues.Noun(request.Kind)} is already blocked."));
        }
        if (errors.Count > 0) throw ValidationException.From(errors);

        var entry = new BlocklistEntry(request.Kind, value!, request.Reason, user.UserId, clock.UtcNow);
        db.Blocklist.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two admins blocked the same value at once: the unique (Kind, Value) index kept one.
            throw new ValidationException(nameof(AddBlocklistEntryCommand.Value), $"This {BlocklistValues.Noun(request.Kind)} is already blocked.");
        }
        await audit.AddAsync(AuditActions.BlocklistAdded, AuditTargets.BlocklistEntry, entry.Id.ToString(), null, AuditSnapshot(entry), cancellationToken);
        if (request.Kind == BlocklistKind.Ip) await ips.RefreshAsync(cancellationToken);
        return entry.Id;
    }

    /// <summary>What the audit keeps of an entry: phones and emails are stored protected, so only a seller's id or an IP is shown.</summary>
    internal static object AuditSnapshot(BlocklistEntry entry) => new
    {
        kind = entry.Kind.ToString(),
        value = entry.Kind is BlocklistKind.Seller or BlocklistKind.Ip ? entry.Value : null,
        reason = entry.Reason,
    };
}

/// <summary>Admin unblocks: removes one entry (404 when there is none).</summary>
public sealed record RemoveBlocklistEntryCommand(Guid Id) : IRequest<bool>;

public sealed class RemoveBlocklistEntryHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IIpBlocklist ips, IAuditLog audit) : IRequestHandler<RemoveBlocklistEntryCommand, bool>
{
    public Task<bool> Handle(RemoveBlocklistEntryCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<bool> ExecuteAsync(RemoveBlocklistEntryCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var entry = await db.Blocklist.FirstOrDefaultAsync(b => b.Id == request.Id, cancellationToken) ?? throw new NotFoundException("Blocklist entry");
        db.Blocklist.Remove(entry);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AddAsync(AuditActions.BlocklistRemoved, AuditTargets.BlocklistEntry, entry.Id.ToString(), AddBlocklistEntryHandler.AuditSnapshot(entry), null,
            cancellationToken);
        if (entry.Kind == BlocklistKind.Ip) await ips.RefreshAsync(cancellationToken);
        return true;
    }
}

/// <summary>What a typed phone, email or seller becomes in the blocklist: the same value intake looks up.</summary>
internal static class BlocklistValues
{
    /// <summary>Libphonenumber's "unknown region": the number must carry its country after "+".</summary>
    private const string InternationalOnly = "ZZ";

    public static string Noun(BlocklistKind kind) => kind switch
    {
        BlocklistKind.Phone => "phone",
        BlocklistKind.Email => "email",
        BlocklistKind.Ip => "IP address",
        _ => "seller",
    };

    /// <summary>The stored value (a keyed hash for phones and emails, a user id for sellers), or the reason it is not one.</summary>
    public static async Task<(string? Value, string? Error)> NormalizeAsync(BlocklistKind kind, string? raw, IContactProtector protector,
        IIdentityService identity, CancellationToken ct)
    {
        var text = raw?.Trim() ?? "";
        if (text.Length == 0) return (null, $"Enter the {Noun(kind)} to block.");
        if (text.Length > BlocklistEntry.ValueMaxLength) return (null, $"At most {BlocklistEntry.ValueMaxLength} characters.");
        switch (kind)
        {
            case BlocklistKind.Phone:
                if (!text.StartsWith('+')) return (null, "Type the phone internationally, starting with + and the country code (+7 916 123-45-67).");
                var phone = LeadContact.ParsePhone(text, InternationalOnly, out var phoneError);
                // The same key SubmitLead hashes: "phone:" + E.164.
                return phone is null ? (null, phoneError) : (protector.Hash("phone:" + phone.E164), null);
            case BlocklistKind.Email:
                var email = LeadContact.NormalizeEmail(text, out var emailError);
                if (email is null && text.Contains('@') && DisposableEmailDomains.IsDisposable(text[(text.LastIndexOf('@') + 1)..]))
                    return (null, "Intake already refuses every address at this disposable domain.");
                // The same key SubmitLead hashes: "email:" + the normalised address.
                return email is null ? (null, emailError ?? "Email is not a valid address.") : (protector.Hash("email:" + email), null);
            case BlocklistKind.Ip:
                if (!System.Net.IPAddress.TryParse(text, out var ip) || text.Contains('/'))
                    return (null, "Type one IPv4 or IPv6 address, e.g. 203.0.113.7.");
                // The form a click's address is stored and compared in: IPv4 dotted, IPv6 compressed.
                return ((ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString(), null);
            default:
                var seller = text.Contains('@') ? await identity.FindByEmailAsync(text, ct) : await identity.FindByIdAsync(text, ct);
                if (seller is null || !seller.Roles.Contains(Roles.Webmaster)) return (null, "No webmaster has this user id or email.");
                return (seller.Id, null);
        }
    }
}
