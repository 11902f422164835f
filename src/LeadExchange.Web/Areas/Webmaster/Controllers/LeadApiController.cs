using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>The lead API guide (/Webmaster/LeadApi?niche=legal): the endpoint and a curl example for the chosen niche.</summary>
public sealed class LeadApiController(IMediator mediator, IPublicUrls urls, IClock clock) : WebmasterController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index(string? niche, CancellationToken ct)
    {
        var niches = await Mediator.Send(new ListNichesQuery(), ct);
        var chosen = niches.FirstOrDefault(n => n.Code == niche) ?? niches.FirstOrDefault();
        return View(new LeadApiPage(urls.BaseUrl, niches, chosen, clock.UtcNow));
    }
}
