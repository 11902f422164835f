using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Conversions;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Tracking;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>Conversions on the advertiser's offers: filters, CSV, and approve / reject (with a note) inside the hold period.</summary>
public sealed class ConversionsController(IMediator mediator) : AdvertiserController(mediator)
{
    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] ConversionFilter filter, CancellationToken ct)
    {
        var items = await Mediator.Send(filter.ToQuery(), ct);
        var offers = await Mediator.Send(new ListOffersQuery(Sort: OfferSort.Title, PageSize: Paging.MaxPageSize), ct);
        return View(new ConversionsView(filter, items, offers.Items.Select(o => new OfferOption(o.Id, o.Title)).ToList(), "Advertiser",
            ForAdvertiser: true, await WebmasterNamesAsync(ct)));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] ConversionFilter filter, CancellationToken ct)
    {
        var rows = await PagedExport.AllAsync(page => Mediator.Send(filter.ToQuery(page, Paging.MaxPageSize), ct));
        var names = await WebmasterNamesAsync(ct);
        return CsvFile.Download("conversions", rows, ConversionCsv.Columns(forAdvertiser: true, id => names.GetValueOrDefault(id) ?? id));
    }

    [HttpPost]
    public async Task<IActionResult> Status(Guid id, ConversionStatus status, string? note, string? returnUrl, CancellationToken ct)
    {
        try
        {
            var change = await Mediator.Send(new ChangeConversionStatusCommand(id, status, string.IsNullOrWhiteSpace(note) ? null : note.Trim()), ct);
            switch (change.Outcome)
            {
                case StatusChangeOutcome.Approve:
                    Notice("Conversion approved. The webmaster is paid when the hold period ends.");
                    break;
                case StatusChangeOutcome.Reject:
                    Notice("Conversion rejected. Its payout went back to your balance.");
                    break;
                default:
                    // Refused changes (final, or back to pending) arrive as ConflictException below.
                    Notice($"The conversion is already {WebmasterPostbackMessages.StatusName(change.Status)}.");
                    break;
            }
        }
        catch (ConflictException e)
        {
            Error($"{e.Code}: {e.Message}");
        }
        return Redirect(Url.LocalOr(returnUrl, Url.Action(nameof(Index))!));
    }

    /// <summary>
    /// Webmaster names by id, from the participations in the advertiser's offers (conversions carry only
    /// the id). The latest <see cref="Paging.MaxPageSize"/> participations; anyone older shows by id.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> WebmasterNamesAsync(CancellationToken ct)
    {
        var participations = await Mediator.Send(new ListParticipationsQuery(PageSize: Paging.MaxPageSize), ct);
        return participations.Items.Where(p => p.WebmasterName.Length > 0)
            .GroupBy(p => p.WebmasterId).ToDictionary(g => g.Key, g => g.First().WebmasterName);
    }
}
