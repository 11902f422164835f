using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Disputes;
using LeadExchange.Application.Reference;
using LeadExchange.Domain.Common;
using LeadExchange.Domain.Disputes;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>
/// The buyer's disputes (status and the moderator's note) and the "Dispute this lead" form for one purchase:
/// reason, comment and up to five evidence files, within the niche's dispute window.
/// </summary>
[NoStore]
public sealed class DisputesController(IMediator mediator) : AdvertiserController(mediator)
{
    private const string FormPrefix = "Form";

    /// <summary>Five files of 2 MB plus the form's own fields and multipart framing.</summary>
    private const long MaxRequestBytes = DisputeEvidence.MaxFiles * DisputeEvidence.MaxBytes + 1024 * 1024;

    /// <summary>How many still-disputable purchases the list offers (newest first); older ones are reached from the purchase itself.</summary>
    private const int DisputableShown = 20;

    [HttpGet]
    public async Task<IActionResult> Index(int? page, CancellationToken ct)
    {
        var items = await Mediator.Send(new ListDisputesQuery(Page: page), ct);
        var disputed = await DisputedSalesAsync(ct);
        var purchases = await Mediator.Send(new ListPurchasesQuery(PageSize: Paging.MaxPageSize), ct);
        var disputable = purchases.Items.Where(p => p.DisputeUntil > UtcNow && !disputed.ContainsKey(p.SaleId)).Take(DisputableShown).ToList();
        return View(new BuyerDisputesPage(items, disputable, await Mediator.Send(new ListNichesQuery(IncludeInactive: true), ct)));
    }

    /// <summary>GET /Advertiser/Disputes/Open/{saleId}: the form, or why this purchase cannot be disputed.</summary>
    [HttpGet]
    public async Task<IActionResult> Open(Guid id, CancellationToken ct)
    {
        var purchase = await Mediator.Send(new GetPurchaseQuery(id), ct);
        if ((await DisputedSalesAsync(ct)).ContainsKey(id))
            return View(new OpenDisputePage(purchase, new OpenDisputeFormModel(), AlreadyDisputed));
        return View(new OpenDisputePage(purchase, new OpenDisputeFormModel(), purchase.DisputeUntil < UtcNow ? WindowClosed(purchase) : null));
    }

    [HttpPost]
    [ActionName(nameof(Open))]
    [RequestSizeLimit(MaxRequestBytes)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
    public async Task<IActionResult> OpenDispute(Guid id, [Bind(Prefix = FormPrefix)] OpenDisputeFormModel form, CancellationToken ct)
    {
        var purchase = await Mediator.Send(new GetPurchaseQuery(id), ct);
        var files = (form.Evidence ?? []).Where(f => !string.IsNullOrEmpty(f.FileName)).ToList();
        var evidenceKey = $"{FormPrefix}.{nameof(form.Evidence)}";
        if (files.Count > DisputeEvidence.MaxFiles)
            ModelState.AddModelError(evidenceKey, $"Attach at most {DisputeEvidence.MaxFiles} files.");
        foreach (var file in files.Where(f => f.Length > DisputeEvidence.MaxBytes))
            ModelState.AddModelError(evidenceKey, $"{file.FileName}: files are at most {DisputeEvidence.MaxBytes / 1024 / 1024} MB.");
        if (!ModelState.IsValid) return View(new OpenDisputePage(purchase, form));

        var evidence = new List<EvidenceInput>();
        foreach (var file in files)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            evidence.Add(new EvidenceInput(file.FileName, file.ContentType, buffer.ToArray()));
        }
        try
        {
            var dispute = await Mediator.Send(new OpenDisputeCommand(id, form.Reason, form.Comment, evidence), ct);
            Notice(dispute.Status == "upheld"
                ? $"Upheld automatically: {dispute.DecisionNote} {Display.Money(dispute.Amount, dispute.Currency)} is back on your balance."
                : $"Dispute opened. The {Display.Money(dispute.Amount, dispute.Currency)} stays in escrow until a moderator decides, by {Display.Date(dispute.DueAt)}.");
            return RedirectToAction(nameof(Index));
        }
        catch (ValidationException e)
        {
            // The command lists the API's reason names; a person picked from labelled options.
            ModelState.AddErrors(new ValidationException(e.Errors.ToDictionary(kv => kv.Key,
                kv => kv.Key == "reason" ? ["Choose a reason from the list."] : kv.Value)), FormPrefix);
        }
        catch (DomainException e) when (e.Field is not null)
        {
            ModelState.AddModelError($"{FormPrefix}.{e.Field}", e.Message);
        }
        catch (ConflictException e) when (e.Code is "window_closed" or "already_disputed")
        {
            return View(new OpenDisputePage(purchase, form, e.Code == "window_closed" ? WindowClosed(purchase) : AlreadyDisputed));
        }
        return View(new OpenDisputePage(purchase, form));
    }

    private const string AlreadyDisputed = "You have already disputed this purchase; a purchase can be disputed once. Its status is on your Disputes page.";

    private static string WindowClosed(PurchaseDto purchase) =>
        $"The dispute window for this lead closed at {Display.Date(purchase.DisputeUntil)}; it can no longer be disputed.";

    /// <summary>
    /// The buyer's disputed sales: the first <see cref="Paging.MaxPageSize"/> of the list (open ones, then the latest decided).
    /// Good enough to hide them from the offers; the command itself refuses a second dispute.
    /// </summary>
    private async Task<IReadOnlyDictionary<Guid, DisputeDto>> DisputedSalesAsync(CancellationToken ct)
    {
        var mine = await Mediator.Send(new ListDisputesQuery(PageSize: Paging.MaxPageSize), ct);
        return mine.Items.GroupBy(d => d.SaleId).ToDictionary(g => g.Key, g => g.First());
    }
}
