using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

public sealed class RegionsController(IMediator mediator) : AdminController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index(string? country, CancellationToken ct)
    {
        var countries = await Countries(ct);
        var regions = await Mediator.Send(new ListRegionsQuery(country, IncludeInactive: true), ct);
        return View(new RegionsPage(country, regions, countries));
    }

    [HttpGet]
    public async Task<IActionResult> Create(string? parent, CancellationToken ct) =>
        View("Form", new RegionFormPage(true, new RegionFormModel { ParentCode = parent, Code = parent is null ? null : parent + "-" }, await Countries(ct)));

    [HttpPost]
    public Task<IActionResult> Create([Bind(Prefix = FormPrefix)] RegionFormModel form, CancellationToken ct) => Save(true, form, ct);

    [HttpGet]
    public async Task<IActionResult> Edit(string id, CancellationToken ct)
    {
        var code = id.Trim().ToUpperInvariant();
        var regions = await Mediator.Send(new ListRegionsQuery(code.Split('-')[0], IncludeInactive: true), ct);
        var region = regions.FirstOrDefault(r => r.Code == code) ?? throw new NotFoundException("Region");
        return View("Form", new RegionFormPage(false, RegionFormModel.From(region), await Countries(ct)));
    }

    [HttpPost]
    public Task<IActionResult> Edit(string id, [Bind(Prefix = FormPrefix)] RegionFormModel form, CancellationToken ct)
    {
        form.Code = id;
        return Save(false, form, ct);
    }

    private async Task<IActionResult> Save(bool isNew, RegionFormModel form, CancellationToken ct)
    {
        try
        {
            if (ModelState.IsValid)
            {
                var code = await Mediator.Send(new SaveRegionCommand(form.Code ?? "", form.Name ?? "", form.NameRu, form.ParentCode, form.IsActive, isNew), ct);
                Notice(L["Region {0} saved.", code]);
                return RedirectToAction(nameof(Index), new { country = code.Split('-')[0] });
            }
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix);
        }
        return View("Form", new RegionFormPage(isNew, form, await Countries(ct)));
    }

    private async Task<IReadOnlyList<RegionDto>> Countries(CancellationToken ct) =>
        (await Mediator.Send(new ListRegionsQuery(IncludeInactive: true), ct)).Where(r => r.ParentCode is null).ToList();
}
