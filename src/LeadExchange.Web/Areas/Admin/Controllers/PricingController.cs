using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Pricing.Commands;
using LeadExchange.Application.Pricing.Queries;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>
/// The price tables: each niche's base/floor/ceiling, temperature multipliers and season curve (three forms on one
/// page, each saved and audited on its own) with a preview of the resulting prices; geo factors; the audit.
/// </summary>
public sealed class PricingController(IMediator mediator) : AdminController(mediator)
{
    private const string PricesPrefix = "Prices";
    private const string MultipliersPrefix = "Multipliers";
    private const string SeasonPrefix = "Season";
    private const string GeoPrefix = "Form";
    private const string DefaultCountry = "RU";

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new PricingIndexPage(
            await Mediator.Send(new ListNichePricingQuery(), ct),
            await Mediator.Send(new ListPricingChangesQuery(PageSize: 10), ct),
            await Mediator.Send(new ListDemandFactorsQuery(), ct)));

    [HttpGet]
    public async Task<IActionResult> Edit(string id, int? month, string? country, CancellationToken ct)
    {
        var settings = await Mediator.Send(new GetNichePricingQuery(id), ct);
        return View("Edit", await PageAsync(id, month, country, NichePricesFormModel.From(settings), MultipliersFormModel.From(settings),
            SeasonFormModel.From(settings), ct));
    }

    [HttpPost]
    public async Task<IActionResult> Prices(string id, [Bind(Prefix = PricesPrefix)] NichePricesFormModel form, CancellationToken ct)
    {
        var settings = await Mediator.Send(new GetNichePricingQuery(id), ct);
        return await SaveNicheAsync(id, form.ToCommand(settings.Niche, settings.Currency, ModelState, PricesPrefix), PricesPrefix, "Prices",
            () => PageAsync(id, null, null, form, MultipliersFormModel.From(settings), SeasonFormModel.From(settings), ct), ct);
    }

    [HttpPost]
    public async Task<IActionResult> Multipliers(string id, [Bind(Prefix = MultipliersPrefix)] MultipliersFormModel form, CancellationToken ct)
    {
        var settings = await Mediator.Send(new GetNichePricingQuery(id), ct);
        return await SaveNicheAsync(id, form.ToCommand(settings.Niche, ModelState, MultipliersPrefix), MultipliersPrefix, "Temperature multipliers",
            () => PageAsync(id, null, null, NichePricesFormModel.From(settings), form, SeasonFormModel.From(settings), ct), ct);
    }

    [HttpPost]
    public async Task<IActionResult> Season(string id, [Bind(Prefix = SeasonPrefix)] SeasonFormModel form, CancellationToken ct)
    {
        var settings = await Mediator.Send(new GetNichePricingQuery(id), ct);
        return await SaveNicheAsync(id, form.ToCommand(settings.Niche, ModelState, SeasonPrefix), SeasonPrefix, "Season curve",
            () => PageAsync(id, null, null, NichePricesFormModel.From(settings), MultipliersFormModel.From(settings), form, ct), ct);
    }

    [HttpGet]
    public async Task<IActionResult> Geo(string? niche, CancellationToken ct) =>
        View(await GeoPageAsync(niche, new GeoFactorFormModel { Niche = niche }, ct));

    [HttpPost]
    [ActionName(nameof(Geo))]
    public Task<IActionResult> SetGeo(string? niche, [Bind(Prefix = GeoPrefix)] GeoFactorFormModel form, CancellationToken ct) =>
        SaveAsync(form.ToCommand(ModelState, GeoPrefix), GeoPrefix,
            changed => changed ? $"Geo factor of {form.Region?.Trim().ToUpperInvariant()} saved." : "Nothing changed.",
            () => RedirectToAction(nameof(Geo), new { niche }),
            async () => View(nameof(Geo), await GeoPageAsync(niche, form, ct)), ct);

    [HttpPost]
    public async Task<IActionResult> RemoveGeo(string region, string? factorNiche, string? niche, CancellationToken ct)
    {
        var removed = await Mediator.Send(new RemoveGeoFactorCommand(region, factorNiche), ct);
        Notice(removed ? $"Geo factor of {region} removed: it inherits from its parent region now." : "Nothing to remove.");
        return RedirectToAction(nameof(Geo), new { niche });
    }

    [HttpGet]
    public async Task<IActionResult> Changes(string? niche, int? page, CancellationToken ct) =>
        View(new PricingChangesPage(niche, await Mediator.Send(new ListPricingChangesQuery(niche, page), ct),
            await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct)));

    [HttpPost]
    public async Task<IActionResult> Recompute(CancellationToken ct)
    {
        var changed = await Mediator.Send(new RecomputeDemandCommand(), ct);
        Notice($"Demand recomputed: {changed} factor(s) changed.");
        return RedirectToAction(nameof(Index));
    }

    private Task<IActionResult> SaveNicheAsync(string id, IRequest<bool>? command, string prefix, string what,
        Func<Task<NichePricingPage>> page, CancellationToken ct) =>
        SaveAsync(command, prefix, changed => changed ? $"{what} saved." : "Nothing changed.",
            () => RedirectToAction(nameof(Edit), new { id }), async () => View("Edit", await page()), ct);

    /// <summary>Sends a form's command: saved, a notice and <paramref name="saved"/>; refused, its field errors beside the fields and <paramref name="again"/>.</summary>
    private async Task<IActionResult> SaveAsync(IRequest<bool>? command, string prefix, Func<bool, string> notice,
        Func<IActionResult> saved, Func<Task<IActionResult>> again, CancellationToken ct)
    {
        if (command is not null && ModelState.IsValid)
        {
            try
            {
                Notice(notice(await Mediator.Send(command, ct)));
                return saved();
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, prefix);
            }
        }
        return await again();
    }

    private async Task<NichePricingPage> PageAsync(string id, int? month, string? country, NichePricesFormModel prices,
        MultipliersFormModel multipliers, SeasonFormModel season, CancellationToken ct)
    {
        var settings = await Mediator.Send(new GetNichePricingQuery(id), ct);
        // "all" shows every country; nothing chosen shows Russia, where the seeded niches sell.
        var chosen = string.Equals(country, "all", StringComparison.OrdinalIgnoreCase) ? null : string.IsNullOrWhiteSpace(country) ? DefaultCountry : country;
        var preview = await Mediator.Send(new GetPriceTableQuery(settings.Niche, month is >= 1 and <= 12 ? month : null, chosen), ct);
        var countries = (await Mediator.Send(new ListRegionsQuery(), ct)).Where(r => r.ParentCode is null).ToList();
        var changes = await Mediator.Send(new ListPricingChangesQuery(settings.Niche, PageSize: 10), ct);
        return new NichePricingPage(settings, prices, multipliers, season, preview, chosen ?? "all", countries, changes);
    }

    private async Task<GeoFactorsPage> GeoPageAsync(string? niche, GeoFactorFormModel form, CancellationToken ct) =>
        new(niche, await Mediator.Send(new ListGeoFactorsQuery(niche), ct), form,
            await Mediator.Send(new ListRegionsQuery(), ct), await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct));
}
