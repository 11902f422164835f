using System.Text.Json;
using LeadExchange.Application.Ledger;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>
/// The platform ledger: every posting, filterable and exportable, and the reconciliation check. The check
/// sums every posting, so it runs when asked ("Run check"), not on every page view; its result is shown
/// once after the redirect.
/// </summary>
public sealed class LedgerController(IMediator mediator) : AdminController(mediator)
{
    private const string CheckKey = "LedgerCheck";

    /// <summary>The problem lists in the one-shot result are cut to this many each (TempData lives in a cookie).</summary>
    private const int MaxListed = 20;

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] StatementFilter filter, CancellationToken ct)
    {
        var (ownerId, ownerError) = await UserLabels.ResolveOwnerAsync(Mediator, filter.Owner, ct);
        var lines = ownerError is null
            ? await Mediator.Send(filter.ToQuery(all: false, ownerId), ct)
            : new Application.Common.Models.PagedResult<StatementLineDto>([], 1, 20, 0);
        var labels = await UserLabels.LoadAsync(Mediator, null, ct);
        var check = TempData[CheckKey] is string json ? JsonSerializer.Deserialize<ReconciliationDto>(json) : null;
        return View(new LedgerPage(new StatementView(filter, lines, "Admin", "Ledger", ForAdmin: true, OwnerLabels: labels,
            EmptyHint: "Top-ups, sales, releases, refunds and payouts post here as they happen.", OwnerError: ownerError), check));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] StatementFilter filter, CancellationToken ct)
    {
        var (ownerId, ownerError) = await UserLabels.ResolveOwnerAsync(Mediator, filter.Owner, ct);
        if (ownerError is not null)
        {
            Error(ownerError);
            return RedirectToAction(nameof(Index), filter.RouteValues());
        }
        var lines = await Mediator.Send(filter.ToQuery(all: true, ownerId), ct);
        var labels = await UserLabels.LoadAsync(Mediator, null, ct);
        return CsvFile.Download("ledger", lines.Items, StatementCsv.Columns(forAdmin: true, labels));
    }

    /// <summary>Runs the reconciliation and shows its result on the ledger page the admin came from.</summary>
    [HttpPost]
    public async Task<IActionResult> Check(string? returnUrl, CancellationToken ct)
    {
        var result = await Mediator.Send(new ReconcileLedgerQuery(), ct);
        TempData[CheckKey] = JsonSerializer.Serialize(result with
        {
            UnbalancedEntries = Cut(result.UnbalancedEntries),
            DriftedAccounts = Cut(result.DriftedAccounts),
            NegativeAccounts = Cut(result.NegativeAccounts),
            Overflows = Cut(result.Overflows),
        });
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    private static IReadOnlyList<string> Cut(IReadOnlyList<string> items) =>
        items.Count <= MaxListed ? items : [.. items.Take(MaxListed), $"… and {items.Count - MaxListed} more"];
}
