using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Reference;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Reference;

public sealed record NicheDto(
    string Code, string Name, string? Description, string Currency, int DedupWindowDays, int DisputeWindowHours,
    int LeadExpiryDays, int MaxSharedBuyers, int HotThreshold, int WarmThreshold, string ConsentText,
    IReadOnlyList<NicheField> Fields, bool IsActive, int? CommissionBp = null, Domain.Leads.ScoringWeights? Weights = null)
{
    /// <summary>Weights are always filled in (the niche's, or the defaults) so an edit round-trips them.</summary>
    public static NicheDto From(Niche n) => new(n.Code, n.Name, n.Description, n.Currency, n.DedupWindowDays, n.DisputeWindowHours,
        n.LeadExpiryDays, n.MaxSharedBuyers, n.HotThreshold, n.WarmThreshold, n.ConsentText, n.Fields, n.IsActive, n.CommissionBp, n.Weights);
}

public sealed record RegionDto(string Code, string Name, string? NameRu, string? ParentCode, string CountryCode, bool IsActive);

public sealed record ListNichesQuery(bool IncludeInactive = false) : IRequest<IReadOnlyList<NicheDto>>;

public sealed class ListNichesHandler(IAppDbContext db) : IRequestHandler<ListNichesQuery, IReadOnlyList<NicheDto>>
{
    public async Task<IReadOnlyList<NicheDto>> Handle(ListNichesQuery request, CancellationToken cancellationToken)
    {
        var niches = await db.Niches.AsNoTracking().Where(n => request.IncludeInactive || n.IsActive)
            .OrderBy(n => n.Name).ToListAsync(cancellationToken);
        return niches.Select(NicheDto.From).ToList();
    }
}

public sealed record GetNicheQuery(string Code) : IRequest<NicheDto>;

public sealed class GetNicheHandler(IAppDbContext db) : IRequestHandler<GetNicheQuery, NicheDto>
{
    public async Task<NicheDto> Handle(GetNicheQuery request, CancellationToken cancellationToken) =>
        NicheDto.From(await db.Niches.AsNoTracking().FirstOrDefaultAsync(n => n.Code == request.Code, cancellationToken)
                      ?? throw new NotFoundException("Niche"));
}

/// <summary>Admin creates (IsNew) or edits a niche. The code is fixed once created.</summary>
public sealed record SaveNicheCommand(NicheDto Niche, bool IsNew) : IRequest<string>;

public sealed class SaveNicheHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, Audit.IAuditLog audit) : IRequestHandler<SaveNicheCommand, string>
{
    public Task<string> Handle(SaveNicheCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<string> ExecuteAsync(SaveNicheCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var input = request.Niche;
        var code = (input.Code ?? "").Trim().ToLowerInvariant();
        var errors = new List<(string, string)>();
        if (!System.Text.RegularExpressions.Regex.IsMatch(code, "^[a-z0-9][a-z0-9-]{1,39}$"))
            errors.Add((nameof(NicheDto.Code), "Code is 2-40 lowercase letters, digits or '-'."));
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100)
            errors.Add((nameof(NicheDto.Name), "Name is required (at most 100 characters)."));
        if (!Domain.Common.Currencies.IsSupported(input.Currency))
            errors.Add((nameof(NicheDto.Currency), "Unsupported currency."));
        if (input.ConsentText is { Length: > 2000 })
            errors.Add((nameof(NicheDto.ConsentText), "Consent text is at most 2000 characters."));
        foreach (var (f, i) in (input.Fields ?? []).Select((f, i) => (f, i)))
            if (string.IsNullOrWhiteSpace(f.Key) || !System.Text.RegularExpressions.Regex.IsMatch(f.Key, "^[a-z][a-z0-9_]{0,39}$"))
                errors.Add(($"Fields[{i}].Key", "Field key is lowercase letters, digits and '_' (at most 40)."));

        Niche niche;
        if (request.IsNew)
        {
            if (await db.Niches.AnyAsync(n => n.Code == code, cancellationToken))
                errors.Add((nameof(NicheDto.Code), "A niche with this code exists."));
            niche = new Niche(code, input.Name?.Trim() ?? "", input.Currency ?? "RUB");
        }
        else
        {
            niche = await db.Niches.FirstOrDefaultAsync(n => n.Code == code, cancellationToken) ?? throw new NotFoundException("Niche");
        }
        var before = request.IsNew ? new Dictionary<string, object?>() : Snapshot(niche);
        niche.Name = input.Name?.Trim() ?? "";
        niche.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        niche.Currency = input.Currency ?? "RUB";
        niche.DedupWindowDays = input.DedupWindowDays;
        niche.DisputeWindowHours = input.DisputeWindowHours;
        niche.LeadExpiryDays = input.LeadExpiryDays;
        niche.MaxSharedBuyers = input.MaxSharedBuyers;
        niche.HotThreshold = input.HotThreshold;
        niche.WarmThreshold = input.WarmThreshold;
        niche.ConsentText = input.ConsentText?.Trim() ?? "";
        niche.Fields = (input.Fields ?? []).ToList();
        niche.IsActive = input.IsActive;
        niche.CommissionBp = input.CommissionBp;
        // Omitted = keep what the niche has; the defaults are stored as null.
        if (input.Weights is { } weights) niche.ScoringWeights = weights == Domain.Leads.ScoringWeights.Default ? null : weights;
        errors.AddRange(niche.Validate());
        if (errors.Count > 0) throw ValidationException.From(errors);

        if (request.IsNew) db.Niches.Add(niche);
        await db.SaveChangesAsync(cancellationToken);
        var (changedBefore, changedAfter) = Audit.AuditDiff.Changed(before, Snapshot(niche));
        if (request.IsNew || changedAfter.Count > 0)
            await audit.AddAsync(request.IsNew ? Audit.AuditActions.NicheCreated : Audit.AuditActions.NicheUpdated, Audit.AuditTargets.Niche, niche.Code,
                request.IsNew ? null : changedBefore, changedAfter, cancellationToken);
        return niche.Code;
    }

    /// <summary>The audited fields of a niche (fields and weights as JSON text, so a change of one of them compares as a value).</summary>
    private static Dictionary<string, object?> Snapshot(Niche n) => new()
    {
        ["name"] = n.Name, ["description"] = n.Description, ["currency"] = n.Currency, ["isActive"] = n.IsActive,
        ["commissionBp"] = n.CommissionBp, ["dedupWindowDays"] = n.DedupWindowDays, ["disputeWindowHours"] = n.DisputeWindowHours,
        ["leadExpiryDays"] = n.LeadExpiryDays, ["maxSharedBuyers"] = n.MaxSharedBuyers, ["hotThreshold"] = n.HotThreshold,
        ["warmThreshold"] = n.WarmThreshold, ["consentText"] = n.ConsentText,
        ["fields"] = System.Text.Json.JsonSerializer.Serialize(n.Fields),
        ["scoringWeights"] = n.ScoringWeights is null ? null : System.Text.Json.JsonSerializer.Serialize(n.ScoringWeights),
    };
}

public sealed record ListRegionsQuery(string? Country = null, bool IncludeInactive = false) : IRequest<IReadOnlyList<RegionDto>>;

public sealed class ListRegionsHandler(IAppDbContext db) : IRequestHandler<ListRegionsQuery, IReadOnlyList<RegionDto>>
{
    public async Task<IReadOnlyList<RegionDto>> Handle(ListRegionsQuery request, CancellationToken cancellationToken)
    {
        var query = db.Regions.AsNoTracking().Where(r => request.IncludeInactive || r.IsActive);
        if (!string.IsNullOrWhiteSpace(request.Country))
        {
            var country = request.Country.Trim().ToUpperInvariant();
            query = query.Where(r => r.CountryCode == country);
        }
        var regions = await query.ToListAsync(cancellationToken);
        // Countries first, each followed by its subdivisions.
        return regions.OrderBy(r => r.CountryCode).ThenBy(r => r.ParentCode is null ? 0 : 1).ThenBy(r => r.Name)
            .Select(r => new RegionDto(r.Code, r.Name, r.NameRu, r.ParentCode, r.CountryCode, r.IsActive)).ToList();
    }
}

/// <summary>Admin adds (IsNew) or edits a region. Code and parent are fixed once created.</summary>
public sealed record SaveRegionCommand(string Code, string Name, string? NameRu, string? ParentCode, bool IsActive, bool IsNew) : IRequest<string>;

public sealed class SaveRegionHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user) : IRequestHandler<SaveRegionCommand, string>
{
    public Task<string> Handle(SaveRegionCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<string> ExecuteAsync(SaveRegionCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        var code = (request.Code ?? "").Trim().ToUpperInvariant();
        var parent = string.IsNullOrWhiteSpace(request.ParentCode) ? null : request.ParentCode.Trim().ToUpperInvariant();
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
            errors.Add((nameof(SaveRegionCommand.Name), "Name is required (at most 100 characters)."));
        if (request.NameRu is { Length: > 100 })
            errors.Add((nameof(SaveRegionCommand.NameRu), "Russian name is at most 100 characters."));

        if (!request.IsNew)
        {
            var existing = await db.Regions.FirstOrDefaultAsync(r => r.Code == code, cancellationToken) ?? throw new NotFoundException("Region");
            if (errors.Count > 0) throw ValidationException.From(errors);
            existing.Name = request.Name!.Trim();
            existing.NameRu = string.IsNullOrWhiteSpace(request.NameRu) ? null : request.NameRu.Trim();
            existing.IsActive = request.IsActive;
            await db.SaveChangesAsync(cancellationToken);
            return code;
        }

        if (!Region.IsWellFormedCode(code))
            errors.Add((nameof(SaveRegionCommand.Code), "Code is ISO 3166 style: 'DE' for a country, 'DE-BY' for a subdivision."));
        else if (await db.Regions.AnyAsync(r => r.Code == code, cancellationToken))
            errors.Add((nameof(SaveRegionCommand.Code), "A region with this code exists."));
        var isSubdivision = code.Contains('-');
        if (isSubdivision && parent is null)
            errors.Add((nameof(SaveRegionCommand.ParentCode), "A subdivision needs its country as parent."));
        if (!isSubdivision && parent is not null)
            errors.Add((nameof(SaveRegionCommand.ParentCode), "A country has no parent."));
        if (parent is not null)
        {
            if (!code.StartsWith(parent + "-", StringComparison.Ordinal))
                errors.Add((nameof(SaveRegionCommand.ParentCode), $"The parent of {code} must be its country."));
            else if (!await db.Regions.AnyAsync(r => r.Code == parent, cancellationToken))
                errors.Add((nameof(SaveRegionCommand.ParentCode), $"Unknown parent region '{parent}'."));
        }
        if (errors.Count > 0) throw ValidationException.From(errors);

        db.Regions.Add(new Region(code, request.Name!.Trim(), parent)
        {
            NameRu = string.IsNullOrWhiteSpace(request.NameRu) ? null : request.NameRu.Trim(),
            IsActive = request.IsActive,
        });
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }
}
