using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Leads;
using LeadExchange.Domain.Leads;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>
/// Blocked phones, emails and sellers: intake refuses their leads (phones and emails are kept only as hashes); blocked IP
/// addresses: their clicks are flagged and their conversions refused.
/// </summary>
public sealed class BlocklistController(IMediator mediator) : AdminController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public Task<IActionResult> Index(BlocklistKind? kind, string? q, int? page, CancellationToken ct) =>
        PageView(new BlocklistFormModel { Kind = kind ?? BlocklistKind.Phone }, kind, q, page, ct);

    /// <summary>Adds an entry. Posts to the page's own URL so a re-render with errors keeps working links.</summary>
    [HttpPost]
    [ActionName(nameof(Index))]
    public async Task<IActionResult> Add([Bind(Prefix = FormPrefix)] BlocklistFormModel form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                await Mediator.Send(form.ToCommand(), ct);
                Notice(form.Kind == BlocklistKind.Ip
                    ? "Blocked: clicks from this IP address are flagged and its conversions refused from now on."
                    : $"Blocked: intake refuses leads with this {BlocklistPage.KindName(form.Kind).ToLowerInvariant()} from now on.");
                return RedirectToAction(nameof(Index));
            }
            catch (ValidationException e)
            {
                ModelState.AddErrors(e, FormPrefix);
            }
        }
        return await PageView(form, null, null, null, ct);
    }

    [HttpPost]
    public async Task<IActionResult> Remove(Guid id, CancellationToken ct)
    {
        await Mediator.Send(new RemoveBlocklistEntryCommand(id), ct);
        Notice("Unblocked: intake accepts it again.");
        return RedirectToAction(nameof(Index));
    }

    private async Task<IActionResult> PageView(BlocklistFormModel form, BlocklistKind? kind, string? search, int? page, CancellationToken ct) =>
        View("Index", new BlocklistPage(form, await Mediator.Send(new ListBlocklistQuery(kind, search, page), ct), kind, search));
}
