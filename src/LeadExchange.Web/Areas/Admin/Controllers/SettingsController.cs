using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Payments;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>Platform money settings: commission, top-up limits, payout minimum and schedule.</summary>
public sealed class SettingsController(IMediator mediator) : AdminController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var settings = await Mediator.Send(new GetPlatformSettingsQuery(), ct);
        return View(new SettingsPage(SettingsFormModel.From(settings), settings.StripeConfigured));
    }

    [HttpPost]
    [ActionName(nameof(Index))]
    public async Task<IActionResult> Save([Bind(Prefix = FormPrefix)] SettingsFormModel form, CancellationToken ct)
    {
        var command = form.ToCommand(ModelState, FormPrefix);
        if (command is not null && ModelState.IsValid)
        {
            try
            {
                await Mediator.Send(command, ct);
                Notice("Settings saved.");
                return RedirectToAction(nameof(Index));
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, FormPrefix, SettingsFormModel.FieldName);
            }
        }
        var settings = await Mediator.Send(new GetPlatformSettingsQuery(), ct);
        return View("Index", new SettingsPage(form, settings.StripeConfigured));
    }
}
