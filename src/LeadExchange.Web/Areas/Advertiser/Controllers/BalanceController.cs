using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payments;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>
/// The advertiser's money: available and held balances, a Stripe Checkout top-up (or, without Stripe,
/// how to get a bank transfer credited) and the statement with CSV export. Stripe sends the person back
/// to /advertiser/balance?topup=…&amp;session_id=… (or &amp;cancelled=1), see StartTopUpHandler.
/// </summary>
public sealed class BalanceController(IMediator mediator, LeadExchange.Application.Common.Interfaces.IPublicUrls urls) : AdvertiserController(mediator)
{
    private const string FormPrefix = "TopUp";

    [HttpGet]
    public Task<IActionResult> Index([FromQuery] StatementFilter filter, Guid? topup, bool cancelled, CancellationToken ct)
    {
        if (topup is not null)
        {
            if (cancelled) Error("The card payment was cancelled; nothing was charged.");
            else Notice("Thank you — your payment was submitted to Stripe. The balance is credited as soon as Stripe confirms the payment, usually within a minute; reload to see it.");
        }
        return PageView(filter, new TopUpFormModel(), ct);
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] StatementFilter filter, CancellationToken ct)
    {
        var lines = await Mediator.Send(filter.ToQuery(all: true), ct);
        return CsvFile.Download("statement", lines.Items, StatementCsv.Columns(forAdmin: false));
    }

    /// <summary>Starts a card top-up and sends the person to Stripe Checkout. Posts to the page's own URL so a re-render keeps working links.</summary>
    [HttpPost]
    [ActionName(nameof(Index))]
    public async Task<IActionResult> StartTopUp([Bind(Prefix = FormPrefix)] TopUpFormModel form, CancellationToken ct)
    {
        var settings = await Mediator.Send(new GetPlatformSettingsQuery(), ct);
        var amount = form.ToMinor(ModelState, FormPrefix);
        if (amount is { } minor && (minor < settings.TopUpMin || minor > settings.TopUpMax))
            ModelState.AddModelError($"{FormPrefix}.{nameof(form.Amount)}",
                $"Top up between {Display.Money(settings.TopUpMin, form.Currency ?? "RUB")} and {Display.Money(settings.TopUpMax, form.Currency ?? "RUB")}.");
        if (amount is not null && ModelState.IsValid)
        {
            try
            {
                var started = await Mediator.Send(new StartTopUpCommand(amount.Value, form.Currency, urls.BaseUrl), ct);
                return Redirect(started.CheckoutUrl);
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, FormPrefix);
            }
            catch (PaymentGatewayException e)
            {
                Error(e.Transient
                    ? "Stripe could not be reached, so the payment page could not be opened; nothing was charged. Please try again in a minute."
                    : $"Stripe refused to start the payment: {e.Message}");
            }
        }
        return await PageView(new StatementFilter(), form, ct);
    }

    private async Task<IActionResult> PageView(StatementFilter filter, TopUpFormModel form, CancellationToken ct)
    {
        var balance = await Mediator.Send(new GetBalanceQuery(), ct);
        var settings = await Mediator.Send(new GetPlatformSettingsQuery(), ct);
        if (Request.Method == HttpMethods.Get) form.Currency = balance.Currency;
        var recent = settings.StripeConfigured ? (await Mediator.Send(new ListTopUpsQuery(PageSize: 5), ct)).Items : [];
        var lines = await Mediator.Send(filter.ToQuery(all: false), ct);
        var statement = new StatementView(filter, lines, "Advertiser", "Balance",
            EmptyHint: settings.StripeConfigured
                ? "Top up by card above; every top-up, lead purchase, refund and escrow movement is listed here."
                : "When an administrator records your bank transfer, it shows here, followed by every lead purchase, refund and escrow movement.");
        return View("Index", new BalancePage(balance, settings, form, recent, statement));
    }
}
