using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Payments;
using LeadExchange.Domain.Identity;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>
/// Manual top-ups: an admin credits an advertiser's bank transfer (or a demo credit), up to the maximum top-up; recent
/// top-ups below. Manual adjustments: an admin debits an advertiser's available balance, with the reason.
/// </summary>
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
        var settings = await Mediator.Send(new GetPlatformSettingsQuery(), ct);
        var amount = Validate(form, FormPrefix);
        // Said here in the page's language; the command refuses it too (the API's answer).
        if (amount > settings.TopUpMax)
            ModelState.AddModelError($"{FormPrefix}.{nameof(form.Amount)}",
                L["A manual top-up is at most {0} (the maximum top-up in Settings); record a larger transfer as several top-ups.",
                    Display.Money(settings.TopUpMax, form.Currency ?? "RUB")]);
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
                ModelState.AddErrors(e, FormPrefix, ManualMoneyFormModel.FieldName);
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

    /// <summary>The manual adjustment form: its own page, so the top-up form's labels stay unique on theirs.</summary>
    [HttpGet]
    public IActionResult Adjust() => View(new ManualAdjustmentPage(ManualAdjustmentFormModel.New()));

    /// <summary>Records a manual adjustment (a debit of the advertiser's available balance, never below zero).</summary>
    [HttpPost]
    [ActionName(nameof(Adjust))]
    public async Task<IActionResult> RecordAdjustment([Bind(Prefix = FormPrefix)] ManualAdjustmentFormModel form, CancellationToken ct)
    {
        var amount = Validate(form, FormPrefix);
        if (string.IsNullOrWhiteSpace(form.Reason))
            ModelState.AddModelError($"{FormPrefix}.{nameof(form.Reason)}", "Say why the balance is adjusted; the reason is kept in the ledger.");
        if (ModelState.IsValid)
        {
            try
            {
                var done = await Mediator.Send(new ManualAdjustmentCommand(null, form.Email!.Trim(), amount!.Value, form.Currency ?? "", form.Reason,
                    form.IdempotencyKey), ct);
                Notice(L["Debited {0} from {1}.", Display.Money(done.Amount, done.Currency), form.Email.Trim()]);
                return RedirectToAction(nameof(Adjust));
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, FormPrefix, ManualMoneyFormModel.FieldName);
            }
            catch (ConflictException e) when (e.Code == "insufficient_funds")
            {
                ModelState.AddModelError($"{FormPrefix}.{nameof(form.Amount)}",
                    L["More than the advertiser's available balance: an adjustment cannot take it below zero. Nothing was debited."]);
            }
            catch (ConflictException e) when (e.Code == "duplicate_request")
            {
                Notice("This adjustment was already recorded; the form was sent twice and debited once.");
                return RedirectToAction(nameof(Adjust));
            }
        }
        return View(nameof(Adjust), new ManualAdjustmentPage(form));
    }

    /// <summary>The email and the amount as typed; the amount in minor units, or null with the error beside its field.</summary>
    private long? Validate(ManualMoneyFormModel form, string prefix)
    {
        form.IdempotencyKey ??= Guid.NewGuid().ToString("N");
        if (string.IsNullOrWhiteSpace(form.Email))
            ModelState.AddModelError($"{prefix}.{nameof(form.Email)}", "Enter the advertiser's email.");
        return form.ToMinor(ModelState, prefix);
    }

    private async Task<IActionResult> PageView(ManualTopUpFormModel form, int? page, CancellationToken ct)
    {
        var recent = await Mediator.Send(new ListTopUpsQuery(Page: page), ct);
        var settings = await Mediator.Send(new GetPlatformSettingsQuery(), ct);
        return View("Index", new ManualTopUpPage(form, recent, await UserLabels.LoadAsync(Mediator, Roles.Advertiser, ct), settings.TopUpMax));
    }
}
