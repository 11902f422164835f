using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Leads;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Webmaster.Controllers;

/// <summary>The webmaster's hosted lead forms: create one per niche (optionally for an offer), copy its link or iframe, switch it off.</summary>
public sealed class LeadFormsController(IMediator mediator) : WebmasterController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) => await PageView(new LeadFormFormModel(), ct);

    /// <summary>Creates the form. Posts to the page's own URL so a re-render with errors keeps working links.</summary>
    [HttpPost]
    [ActionName(nameof(Index))]
    public async Task<IActionResult> Create([Bind(Prefix = FormPrefix)] LeadFormFormModel form, CancellationToken ct)
    {
        try
        {
            var created = await Mediator.Send(form.ToCommand(), ct);
            Notice(L["Form created: {0} — share the link or paste the embed code into your site.", created.Url]);
            return RedirectToAction(nameof(Index));
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix);
        }
        return await PageView(form, ct);
    }

    [HttpPost]
    public async Task<IActionResult> Active(string code, bool active, CancellationToken ct)
    {
        var now = await Mediator.Send(new SetLeadFormActiveCommand(code, active), ct);
        Notice(now ? "The form is on: its link takes requests again." : "The form is off: its link shows \"not available\" and takes no requests.");
        return RedirectToAction(nameof(Index));
    }

    private async Task<IActionResult> PageView(LeadFormFormModel form, CancellationToken ct) =>
        View("Index", new LeadFormsPage(form, await Mediator.Send(new ListNichesQuery(), ct), await Mediator.Send(new ListLeadFormOffersQuery(), ct),
            await Mediator.Send(new ListLeadFormsQuery(), ct)));
}
