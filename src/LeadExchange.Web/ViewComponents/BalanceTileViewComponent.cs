using LeadExchange.Application.Ledger;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.ViewComponents;

/// <summary>
/// The available-balance tile on the advertiser and webmaster dashboards, linking to the money page.
/// A view component so each dashboard shows it with one line, without its controller loading money.
/// </summary>
public sealed class BalanceTileViewComponent(IMediator mediator) : ViewComponent
{
    /// <summary><paramref name="area"/>: "Advertiser" (links to Balance) or "Webmaster" (links to Earnings &amp; payouts).</summary>
    public async Task<IViewComponentResult> InvokeAsync(string area)
    {
        var balance = await mediator.Send(new GetBalanceQuery(), HttpContext.RequestAborted);
        return View(new BalanceTileView(area, balance));
    }
}

public sealed record BalanceTileView(string Area, BalanceSummaryDto Balance);
