using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Common;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>The exchange catalog: unsold leads with the contact masked, filters, and buying one (exclusive or a shared seat).</summary>
public sealed class LeadCatalogController(IMediator mediator) : AdvertiserController(mediator)
{
    /// <summary>TempData key of a refused purchase that needs a top-up link beside its message.</summary>
    public const string NeedsTopUpKey = "NeedsTopUp";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] LeadCatalogFilter filter, CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(), ct);
        var currency = niches.FirstOrDefault(n => n.Code == filter.Niche)?.Currency ?? "RUB";
        var (query, error) = filter.ToQuery(currency);
        var items = query is null ? new PagedResult<CatalogItemDto>([], 1, Paging.DefaultPageSize, 0) : await Mediator.Send(query, ct);
        return View(new LeadCatalogPage(filter, items, niches, await Mediator.Send(new ListRegionsQuery(), ct), error));
    }

    /// <summary>Buys the lead and opens the purchase with the contact; a lead someone else took, or a short balance, is explained on the catalog.</summary>
    [HttpPost]
    public async Task<IActionResult> Buy(Guid id, bool exclusive, string? returnUrl, CancellationToken ct)
    {
        var back = Url.LocalOr(returnUrl, Url.Action(nameof(Index))!);
        try
        {
            var purchase = await Mediator.Send(new BuyLeadCommand(id, exclusive), ct);
            Notice(L[purchase.Exclusive ? "Bought exclusively for {0}. The contact is below." : "Bought (shared) for {0}. The contact is below.", Display.Money(purchase.Price, purchase.Currency)]);
            return RedirectToAction(nameof(PurchasesController.Details), "Purchases", new { area = "Advertiser", id = purchase.SaleId });
        }
        catch (ConflictException e)
        {
            Error(e.Code switch
            {
                "already_sold" => "Not bought: " + e.Message + " Someone else was faster; pick another lead.",
                "already_bought" or "already_bought_person" => e.Message + " It is in your inbox.",
                _ => "Not bought: " + e.Message,
            });
        }
        catch (DomainException e) when (e.Code == "insufficient_funds")
        {
            Error("Your balance is too low for this lead. Top up, then buy it again.");
            TempData[NeedsTopUpKey] = true;
        }
        return Redirect(back);
    }
}
