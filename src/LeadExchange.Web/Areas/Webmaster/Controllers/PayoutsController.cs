using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payments;
using LeadExchange.Application.Payouts;
using LeadExchange.Domain.Common;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>
/// "Earnings &amp; payouts": balance tiles, the payout request, how payouts are paid (Stripe Connect
/// onboarding, or bank transfer by the platform), the payouts list, and the statement tab with CSV.
/// Stripe sends the person back to /webmaster/payouts?onboarding=return|refresh, see StartOnboardingHandler.
/// </summary>
public sealed class PayoutsController(IMediator mediator, LeadExchange.Application.Common.Interfaces.IPublicUrls urls) : WebmasterController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public Task<IActionResult> Index(int? page, string? onboarding, CancellationToken ct)
    {
        switch (onboarding)
        {
            case "return":
                Notice("Back from Stripe. Stripe checks your details and tells us when payouts are enabled; this page shows the status.");
                break;
            case "refresh":
                Error("The Stripe onboarding link expired or was already used. Press the button again for a fresh one.");
                break;
        }
        return PageView(page, null, ct);
    }

    /// <summary>A payout request. Posts to the page's own URL so a re-render with errors keeps working links.</summary>
    [HttpPost]
    [ActionName(nameof(Index))]
    public async Task<IActionResult> RequestPayout([Bind(Prefix = FormPrefix)] PayoutFormModel form, CancellationToken ct)
    {
        var amount = form.ToMinor(ModelState, FormPrefix);
        if (amount is not null && ModelState.IsValid)
        {
            try
            {
                var payout = await Mediator.Send(new RequestPayoutCommand(amount.Value, form.Currency ?? ""), ct);
                Notice(payout.Method == Domain.Payments.PaymentMethod.Stripe
                    ? $"Payout of {Display.Money(payout.Amount, payout.Currency)} requested; Stripe sends it to your account."
                    : $"Payout of {Display.Money(payout.Amount, payout.Currency)} requested; the platform pays it by bank transfer.");
                return RedirectToAction(nameof(Index));
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, FormPrefix);
            }
            catch (Exception e) when (e is DomainException or ConflictException)
            {
                // Not enough available earnings, or Stripe onboarding unfinished: a notice above the page, the form keeps its values.
                Error(e.Message);
            }
        }
        return await PageView(null, form, ct);
    }

    /// <summary>Creates the Stripe Express account once and sends the person to Stripe's onboarding.</summary>
    [HttpPost]
    public async Task<IActionResult> Onboarding(CancellationToken ct)
    {
        try
        {
            var link = await Mediator.Send(new StartOnboardingCommand(urls.BaseUrl), ct);
            return Redirect(link.Url);
        }
        catch (PaymentGatewayException e)
        {
            Error(e.Transient
                ? "Stripe could not be reached. Please try again in a minute."
                : $"Stripe refused to start onboarding: {e.Message}");
            return RedirectToAction(nameof(Index));
        }
    }

    [HttpGet]
    public async Task<IActionResult> Statement([FromQuery] StatementFilter filter, CancellationToken ct)
    {
        var balance = await Mediator.Send(new GetBalanceQuery(), ct);
        var lines = await Mediator.Send(filter.ToQuery(all: false), ct);
        return View(new EarningsStatementPage(balance, new StatementView(filter, lines, "Webmaster", "Payouts", nameof(Statement),
            EmptyHint: "Earnings appear here when your leads are sold or conversions approved: first as pending, then available after the hold period.")));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] StatementFilter filter, CancellationToken ct)
    {
        var lines = await Mediator.Send(filter.ToQuery(all: true), ct);
        return CsvFile.Download("earnings-statement", lines.Items, StatementCsv.Columns(forAdmin: false));
    }

    private async Task<IActionResult> PageView(int? page, PayoutFormModel? form, CancellationToken ct)
    {
        var balance = await Mediator.Send(new GetBalanceQuery(), ct);
        var setup = await Mediator.Send(new GetPayoutSetupQuery(), ct);
        var payouts = await Mediator.Send(new ListPayoutsQuery(Page: page), ct);
        form ??= new PayoutFormModel
        {
            Currency = balance.Currency,
            // Suggest the whole available amount once it reaches the minimum.
            Amount = balance.Available >= setup.PayoutMin ? Display.Major(balance.Available, balance.Currency) : null,
        };
        if (!Currencies.IsSupported(form.Currency)) form.Currency = Currencies.Supported[0];
        return View("Index", new EarningsPage(balance, setup, form, payouts));
    }
}
