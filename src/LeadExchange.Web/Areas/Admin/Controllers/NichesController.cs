using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

public sealed class NichesController(IMediator mediator) : AdminController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct));

    [HttpGet]
    public IActionResult Create() => View("Form", new NicheFormPage(true, new NicheFormModel()));

    [HttpPost]
    public Task<IActionResult> Create([Bind(Prefix = FormPrefix)] NicheFormModel form, CancellationToken ct) => Save(true, form, ct);

    [HttpGet]
    public async Task<IActionResult> Edit(string id, CancellationToken ct) =>
        View("Form", new NicheFormPage(false, NicheFormModel.From(await Mediator.Send(new GetNicheQuery(id), ct))));

    [HttpPost]
    public Task<IActionResult> Edit(string id, [Bind(Prefix = FormPrefix)] NicheFormModel form, CancellationToken ct)
    {
        form.Code = id;
        return Save(false, form, ct);
    }

    private async Task<IActionResult> Save(bool isNew, NicheFormModel form, CancellationToken ct)
    {
        try
        {
            if (ModelState.IsValid)
            {
                var code = await Mediator.Send(new SaveNicheCommand(form.ToDto(), isNew), ct);
                Notice(L["Niche \"{0}\" ({1}) saved.", form.Name?.Trim() ?? "", code]);
                return RedirectToAction(nameof(Index));
            }
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix);
        }
        return View("Form", new NicheFormPage(isNew, form));
    }
}
