using LeadExchange.Application.Payouts;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Payments;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>
/// Webmaster payouts. Without Stripe they wait for a bank transfer: the admin marks each paid (with the
/// transfer's reference) or failed (with the reason the webmaster sees; the money returns to them).
/// </summary>
public sealed class PayoutsController(IMediator mediator) : AdminController(mediator)
{
    public const string AllStatuses = "all";

    /// <summary>Status: a PayoutStatus name, or "all"; none means the work queue (AwaitingManual).</summary>
    [HttpGet]
    public async Task<IActionResult> Index(string? status, int? page, CancellationToken ct)
    {
        PayoutStatus? filter = string.Equals(status, AllStatuses, StringComparison.OrdinalIgnoreCase) ? null
            : Enum.TryParse<PayoutStatus>(status, ignoreCase: true, out var parsed) ? parsed : PayoutStatus.AwaitingManual;
        var payouts = await Mediator.Send(new ListPayoutsQuery(filter, page), ct);
        return View(new AdminPayoutsPage(filter?.ToString() ?? AllStatuses, payouts, await UserLabels.LoadAsync(Mediator, Roles.Webmaster, ct)));
    }

    [HttpPost]
    public async Task<IActionResult> MarkPaid(Guid id, string? reference, string? returnUrl, CancellationToken ct)
    {
        var payout = await Mediator.Send(new SettlePayoutManuallyCommand(id, Paid: true, string.IsNullOrWhiteSpace(reference) ? null : reference), ct);
        Notice(L["Payout of {0} marked paid.", Display.Money(payout.Amount, payout.Currency)]);
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    /// <summary>The reason is required (the application says so if it is empty) and shown to the webmaster.</summary>
    [HttpPost]
    public async Task<IActionResult> MarkFailed(Guid id, string? reason, string? returnUrl, CancellationToken ct)
    {
        var payout = await Mediator.Send(new SettlePayoutManuallyCommand(id, Paid: false, reason), ct);
        Notice($"Payout of {Display.Money(payout.Amount, payout.Currency)} marked failed; the money is back in the webmaster's available balance.");
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }
}
