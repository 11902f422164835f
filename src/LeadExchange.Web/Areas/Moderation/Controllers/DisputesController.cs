using System.Security.Claims;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Disputes;
using LeadExchange.Application.Reference;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Moderation.Controllers;

/// <summary>
/// The dispute queue (open first, oldest first, due dates, claims, filters, CSV) and the case page where a
/// moderator claims a dispute and decides it once, with a note; the money moves in the same transaction.
/// </summary>
public sealed class DisputesController(IMediator mediator) : ModerationController(mediator)
{
    private const string FormPrefix = "Form";

    private string MyId => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] DisputeFilter filter, CancellationToken ct)
    {
        var items = await Mediator.Send(filter.ToQuery(), ct);
        return View(new DisputeQueuePage(filter, items, await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct), MyId));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] DisputeFilter filter, CancellationToken ct)
    {
        var rows = await PagedExport.AllAsync(page => Mediator.Send(filter.ToQuery(page, Paging.MaxPageSize), ct));
        return CsvFile.Download("disputes", rows, DisputeCsv.Columns);
    }

    [HttpGet]
    public Task<IActionResult> Details(Guid id, CancellationToken ct) => CaseView(id, new DecisionFormModel(), null, ct);

    /// <summary>Decides the dispute. Posts to the case's own URL so a re-render with errors keeps working links.</summary>
    [HttpPost]
    [ActionName(nameof(Details))]
    public async Task<IActionResult> Decide(Guid id, [Bind(Prefix = FormPrefix)] DecisionFormModel form, CancellationToken ct)
    {
        try
        {
            var decided = await Mediator.Send(new DecideDisputeCommand(id, form.Decision, form.Note), ct);
            Notice(decided.Status == "upheld" ? UpheldNotice(decided) : "Rejected: the money proceeds to the seller as usual.");
            return RedirectToAction(nameof(Details), new { id });
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix);
            return await CaseView(id, form, null, ct);
        }
        catch (ConflictException e) when (e.Code is "already_decided" or "claimed" or "hold_settled")
        {
            // Someone else was first: show the case as it is now, with what was typed.
            return await CaseView(id, form, ConflictMessage(e), ct);
        }
    }

    [HttpPost]
    public async Task<IActionResult> Claim(Guid id, CancellationToken ct)
    {
        try
        {
            var claimed = await Mediator.Send(new ClaimDisputeCommand(id), ct);
            Notice(L["Claimed until {0}: other moderators cannot decide it meanwhile.", Display.Date(claimed.ClaimedUntil)]);
        }
        catch (ConflictException e)
        {
            Error(ConflictMessage(e));
        }
        return RedirectToAction(nameof(Details), new { id });
    }

    [HttpPost]
    public async Task<IActionResult> Release(Guid id, CancellationToken ct)
    {
        await Mediator.Send(new ClaimDisputeCommand(id, Release: true), ct);
        Notice("Released: any moderator can take the dispute now.");
        return RedirectToAction(nameof(Details), new { id });
    }

    /// <summary>An evidence file, always as a download (never rendered inline).</summary>
    [HttpGet]
    public async Task<IActionResult> Evidence(Guid id, Guid evidenceId, CancellationToken ct)
    {
        return EvidenceDownload.For(this, await Mediator.Send(new GetEvidenceQuery(id, evidenceId), ct));
    }

    private async Task<IActionResult> CaseView(Guid id, DecisionFormModel form, string? conflict, CancellationToken ct)
    {
        var @case = await Mediator.Send(new GetDisputeQuery(id), ct);
        var niches = await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct);
        var nicheName = niches.FirstOrDefault(n => n.Code == @case.Dispute.Niche)?.Name ?? @case.Dispute.Niche;
        return View("Details", new DisputeCasePage(@case, form, MyId, nicheName, UtcNow, conflict));
    }

    private static string UpheldNotice(DisputeDto d)
    {
        var moved = DisputeDisplay.Moved(d, forSeller: false).Select(m => $"{m.Label.ToLowerInvariant()} {Display.Money(m.Amount, d.Currency)}");
        return "Upheld: " + string.Join("; ", moved) + ".";
    }

    private static string ConflictMessage(ConflictException e) => e.Code switch
    {
        "already_decided" => "Another moderator decided this dispute first; nothing was changed. Its decision is below.",
        "claimed" => "Another moderator has claimed this dispute and is working on it; you can decide it when they release it or their claim expires.",
        _ => e.Message,
    };
}
