using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Payments;
using LeadExchange.Domain.Identity;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>Manual top-ups: an admin credits an advertiser's bank transfer (or a demo credit); recent top-ups below.</summary>
public sealed class TopUpsController(IMediator mediator) : AdminController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public Task<IActionResult> Index(int? page, CancellationToken ct) => PageView(ManualTopUpFormModel.New(), page, ct);

    /// <summary>Records the top-up. Posts to the page's own URL so a re-render with errors keeps working links.</summary>
    [HttpPost]
    [ActionName(nameof(Index))]
    public async Task<IActionResult> Create([Bind(Prefix = FormPrefix)] ManualTopUpFormModel form, CancellationToken ct)
    {
        form.IdempotencyKey ??= Guid.NewGuid().ToString("N");
        if (string.IsNullOrWhiteSpace(form.Email))
            ModelState.AddModelError($"{FormPrefix}.{nameof(form.Email)}", "Enter the advertiser's email.");
        long? amount = null;
        if (!MajorUnits.TryParseMoney(form.Amount, form.Currency ?? "", out amount, out var error))
            ModelState.AddModelError($"{FormPrefix}.{nameof(form.Amount)}", error!);
        else if (amount is null or <= 0)
            ModelState.AddModelError($"{FormPrefix}.{nameof(form.Amount)}", "Enter an amount above zero.");
        if (ModelState.IsValid)
        {
            try
            {
                var done = await Mediator.Send(new ManualTopUpCommand(null, form.Email!.Trim(), amount!.Value, form.Currency ?? "", form.Note,
                    form.IdempotencyKey), ct);
                Notice(L["Credited {0} to {1}.", Display.Money(done.Amount, done.Currency), form.Email.Trim()]);
                return RedirectToAction(nameof(Index));
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, FormPrefix, ManualTopUpFormModel.FieldName);
            }
            catch (ConflictException e) when (e.Code == "duplicate_request")
            {
                // The same form arrived twice (double click, resend): the first one was recorded.
                Notice("This top-up was already recorded; the form was sent twice and credited once.");
                return RedirectToAction(nameof(Index));
            }
        }
        return await PageView(form, null, ct);
    }

    private async Task<IActionResult> PageView(ManualTopUpFormModel form, int? page, CancellationToken ct)
    {
        var recent = await Mediator.Send(new ListTopUpsQuery(Page: page), ct);
        return View("Index", new ManualTopUpPage(form, recent, await UserLabels.LoadAsync(Mediator, Roles.Advertiser, ct)));
    }
}
