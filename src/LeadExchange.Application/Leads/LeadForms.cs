using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Offers;
using LeadExchange.Domain.Reference;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Leads;

// ---------- Webmaster: hosted lead forms (/f/{code}) ----------

/// <summary>A webmaster's hosted form with its public address.</summary>
public sealed record LeadFormDto(string Code, string NicheCode, string NicheName, Guid? OfferId, string? OfferTitle, string? Title,
    bool IsActive, DateTime CreatedAt, string Url);

public static class LeadFormUrls
{
    /// <summary>The form's public address, e.g. https://app.example.com/f/Ab3dEf6hIj9k.</summary>
    public static string Public(string baseUrl, string code) => $"{baseUrl}/f/{Uri.EscapeDataString(code)}";
}

/// <summary>An offer the webmaster may tie a new form to (approved in it), with its niche.</summary>
public sealed record LeadFormOfferOption(Guid OfferId, string Title, string NicheCode);

/// <summary>The calling webmaster's approved offers that are not archived: the choices for a form's offer.</summary>
public sealed record ListLeadFormOffersQuery : IRequest<IReadOnlyList<LeadFormOfferOption>>;

public sealed class ListLeadFormOffersHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListLeadFormOffersQuery, IReadOnlyList<LeadFormOfferOption>>
{
    public async Task<IReadOnlyList<LeadFormOfferOption>> Handle(ListLeadFormOffersQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var webmasterId = user.RequireUserId();
        return await db.OfferParticipations.AsNoTracking()
            .Where(p => p.WebmasterId == webmasterId && p.Status == ParticipationStatus.Approved && p.Offer!.Status != OfferStatus.Archived)
            .OrderBy(p => p.Offer!.Title)
            .Select(p => new LeadFormOfferOption(p.OfferId, p.Offer!.Title, p.Offer.NicheCode))
            .ToListAsync(cancellationToken);
    }
}

/// <summary>
/// A new hosted form of the calling webmaster for an active niche, optionally tied to an offer they are approved in
/// (the same niche). Errors by field: Niche, OfferId, Title.
/// </summary>
public sealed record CreateLeadFormCommand(string? Niche, Guid? OfferId = null, string? Title = null) : IRequest<LeadFormDto>
{
    public const int TitleMaxLength = 120;
    /// <summary>Forms per webmaster, active or not: far above any real need, a bound on what one account can create.</summary>
    public const int MaxFormsPerWebmaster = 200;
}

public sealed class CreateLeadFormHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user, IClock clock, IPublicUrls urls)
    : IRequestHandler<CreateLeadFormCommand, LeadFormDto>
{
    public Task<LeadFormDto> Handle(CreateLeadFormCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<LeadFormDto> ExecuteAsync(CreateLeadFormCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var webmasterId = user.RequireUserId();
        var errors = new List<(string Field, string Message)>();

        var nicheCode = request.Niche?.Trim().ToLowerInvariant();
        var niche = string.IsNullOrEmpty(nicheCode) ? null
            : await db.Niches.AsNoTracking().Where(n => n.Code == nicheCode && n.IsActive).Select(n => new { n.Code, n.Name }).FirstOrDefaultAsync(cancellationToken);
        if (niche is null)
            errors.Add((nameof(CreateLeadFormCommand.Niche), string.IsNullOrEmpty(nicheCode) ? "Choose a niche." : "There is no active niche with this code."));

        var title = request.Title?.Trim();
        if (title is { Length: > CreateLeadFormCommand.TitleMaxLength })
            errors.Add((nameof(CreateLeadFormCommand.Title), $"Title is at most {CreateLeadFormCommand.TitleMaxLength} characters."));

        string? offerTitle = null;
        if (request.OfferId is { } offerId)
        {
            var offer = await db.OfferParticipations.AsNoTracking()
                .Where(p => p.OfferId == offerId && p.WebmasterId == webmasterId && p.Status == ParticipationStatus.Approved)
                .Select(p => new { p.Offer!.Title, p.Offer.NicheCode, p.Offer.Status }).FirstOrDefaultAsync(cancellationToken);
            if (offer is null || offer.Status == OfferStatus.Archived)
                errors.Add((nameof(CreateLeadFormCommand.OfferId), "Choose an offer you are approved in, or none."));
            else if (niche is not null && offer.NicheCode != niche.Code)
                errors.Add((nameof(CreateLeadFormCommand.OfferId), $"This offer buys leads of another niche ({offer.NicheCode}); pick an offer of {niche.Name} or none."));
            else offerTitle = offer.Title;
        }

        if (await db.LeadForms.CountAsync(f => f.WebmasterId == webmasterId, cancellationToken) >= CreateLeadFormCommand.MaxFormsPerWebmaster)
            errors.Add(("General", $"You have {CreateLeadFormCommand.MaxFormsPerWebmaster} forms, the most an account may have; reuse one of them."));
        if (errors.Count > 0) throw ValidationException.From(errors);

        var form = new LeadForm(webmasterId, niche!.Code, request.OfferId, title, clock.UtcNow);
        db.LeadForms.Add(form);
        await db.SaveChangesAsync(cancellationToken);
        return new LeadFormDto(form.Code, form.NicheCode, niche.Name, form.OfferId, offerTitle, form.Title, form.IsActive, form.CreatedAt,
            LeadFormUrls.Public(urls.BaseUrl, form.Code));
    }
}

/// <summary>The calling webmaster's forms, newest first.</summary>
public sealed record ListLeadFormsQuery : IRequest<IReadOnlyList<LeadFormDto>>;

public sealed class ListLeadFormsHandler(IAppDbContext db, ICurrentUser user, IPublicUrls urls) : IRequestHandler<ListLeadFormsQuery, IReadOnlyList<LeadFormDto>>
{
    public async Task<IReadOnlyList<LeadFormDto>> Handle(ListLeadFormsQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var webmasterId = user.RequireUserId();
        var forms = await db.LeadForms.AsNoTracking().Where(f => f.WebmasterId == webmasterId)
            .OrderByDescending(f => f.CreatedAt).ThenBy(f => f.Code).ToListAsync(cancellationToken);
        var nicheCodes = forms.Select(f => f.NicheCode).Distinct().ToList();
        var niches = await db.Niches.AsNoTracking().Where(n => nicheCodes.Contains(n.Code))
            .Select(n => new { n.Code, n.Name }).ToDictionaryAsync(n => n.Code, n => n.Name, cancellationToken);
        var offerIds = forms.Where(f => f.OfferId is not null).Select(f => f.OfferId!.Value).Distinct().ToList();
        var offers = await db.Offers.AsNoTracking().Where(o => offerIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Title }).ToDictionaryAsync(o => o.Id, o => o.Title, cancellationToken);
        var baseUrl = urls.BaseUrl;
        return forms.Select(f => new LeadFormDto(f.Code, f.NicheCode, niches.GetValueOrDefault(f.NicheCode) ?? f.NicheCode, f.OfferId,
            f.OfferId is { } id ? offers.GetValueOrDefault(id) : null, f.Title, f.IsActive, f.CreatedAt, LeadFormUrls.Public(baseUrl, f.Code))).ToList();
    }
}

/// <summary>Switches one of the caller's forms on or off; someone else's (or no) form is 404. Returns the new state.</summary>
public sealed record SetLeadFormActiveCommand(string Code, bool Active) : IRequest<bool>;

public sealed class SetLeadFormActiveHandler(IUnitOfWork uow, IAppDbContext db, ICurrentUser user) : IRequestHandler<SetLeadFormActiveCommand, bool>
{
    public Task<bool> Handle(SetLeadFormActiveCommand request, CancellationToken cancellationToken) => uow.RunAsync(token => ExecuteAsync(request, token), cancellationToken);

    private async Task<bool> ExecuteAsync(SetLeadFormActiveCommand request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Webmaster);
        var webmasterId = user.RequireUserId();
        var form = await db.LeadForms.FirstOrDefaultAsync(f => f.Code == request.Code && f.WebmasterId == webmasterId, cancellationToken)
                   ?? throw new NotFoundException("Lead form");
        form.SetActive(request.Active);
        await db.SaveChangesAsync(cancellationToken);
        return form.IsActive;
    }
}

// ---------- Public: what the hosted form shows ----------

/// <summary>
/// What /f/{code} renders: the niche's fields and consent text and the regions a visitor may pick. <see cref="WebmasterId"/>
/// is the seller the lead is submitted for; it is never shown. <see cref="OfferId"/> is the form's offer while the webmaster is
/// still approved in it (afterwards the form keeps working without the offer).
/// </summary>
public sealed record PublicLeadFormDto(string Code, string WebmasterId, string NicheCode, string NicheName, string? Title, Guid? OfferId,
    string ConsentText, IReadOnlyList<NicheField> Fields, IReadOnlyList<RegionDto> Regions);

/// <summary>
/// The public view of a form; null when the code is unknown, the form or its niche is inactive, or the seller is blocked
/// (all look the same to a visitor). Regions: the active ones, limited to the offer's regions (and their subdivisions) when
/// the form's offer has any — niches themselves are not tied to countries.
/// </summary>
public sealed record GetPublicLeadFormQuery(string Code) : IRequest<PublicLeadFormDto?>;

public sealed class GetPublicLeadFormHandler(IAppDbContext db) : IRequestHandler<GetPublicLeadFormQuery, PublicLeadFormDto?>
{
    /// <summary>Used when an admin left the niche's consent text empty: a form must never ask for consent to nothing.</summary>
    public const string FallbackConsentText =
        "I agree to the processing of my personal data and to being contacted by phone, messenger or email about this request.";

    public async Task<PublicLeadFormDto?> Handle(GetPublicLeadFormQuery request, CancellationToken cancellationToken)
    {
        if (!TokenGenerator.IsWellFormed(request.Code, LeadForm.CodeLength)) return null;
        var form = await db.LeadForms.AsNoTracking().FirstOrDefaultAsync(f => f.Code == request.Code && f.IsActive, cancellationToken);
        if (form is null) return null;
        var niche = await db.Niches.AsNoTracking().FirstOrDefaultAsync(n => n.Code == form.NicheCode && n.IsActive, cancellationToken);
        if (niche is null) return null;
        if (await db.Blocklist.AnyAsync(b => b.Kind == BlocklistKind.Seller && b.Value == form.WebmasterId, cancellationToken)) return null;

        Guid? offerId = null;
        List<string> offerRegions = [];
        if (form.OfferId is { } id && await db.OfferParticipations.AnyAsync(p => p.OfferId == id && p.WebmasterId == form.WebmasterId
                && p.Status == ParticipationStatus.Approved && p.Offer!.Status != OfferStatus.Archived, cancellationToken))
        {
            offerId = id;
            offerRegions = await db.Offers.AsNoTracking().Where(o => o.Id == id).SelectMany(o => o.Regions.Select(r => r.RegionCode)).ToListAsync(cancellationToken);
        }

        var regions = await db.Regions.AsNoTracking().Where(r => r.IsActive).ToListAsync(cancellationToken);
        var parents = regions.ToDictionary(r => r.Code, r => r.ParentCode);
        var allowed = regions.Where(r => offerRegions.Count == 0 || offerRegions.Any(o => Region.Covers(o, r.Code, c => parents.GetValueOrDefault(c))))
            .OrderBy(r => r.CountryCode).ThenBy(r => r.ParentCode is null ? 0 : 1).ThenBy(r => r.Name)
            .Select(r => new RegionDto(r.Code, r.Name, r.NameRu, r.ParentCode, r.CountryCode, r.IsActive)).ToList();

        return new PublicLeadFormDto(form.Code, form.WebmasterId, niche.Code, niche.Name, form.Title, offerId,
            string.IsNullOrWhiteSpace(niche.ConsentText) ? FallbackConsentText : niche.ConsentText.Trim(), niche.Fields, allowed);
    }
}
