using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Conversions;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Web.Controllers;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>
/// The advertiser's postback pages: the log of postback calls (Index, with CSV) and the postback settings
/// (signature, IP allow-list, token and secret rotation). Each offer's URLs are on its integration page
/// (<see cref="IntegrationController"/>).
/// </summary>
public sealed class PostbackController(IMediator mediator) : AdvertiserController(mediator)
{
    private const string FormPrefix = "Form";

    [HttpGet]
    public async Task<IActionResult> Index([FromQuery] PostbackLogFilter filter, CancellationToken ct)
    {
        var items = await Mediator.Send(filter.ToQuery(), ct);
        Guid? firstOffer = null;
        if (items.Total == 0 && !filter.IsFiltered)
            firstOffer = (await Mediator.Send(new ListOffersQuery(PageSize: 1), ct)).Items.FirstOrDefault()?.Id;
        return View(new PostbackLogPage(filter, items, firstOffer));
    }

    [HttpGet]
    public async Task<IActionResult> Csv([FromQuery] PostbackLogFilter filter, CancellationToken ct)
    {
        var rows = await PagedExport.AllAsync(page => Mediator.Send(filter.ToQuery(page, Paging.MaxPageSize), ct));
        return CsvFile.Download("postback-log", rows, PostbackLogCsv.Columns);
    }

    [HttpGet]
    public async Task<IActionResult> Settings(CancellationToken ct)
    {
        var saved = await Mediator.Send(new GetPostbackSettingsQuery(), ct);
        return View(new PostbackSettingsPage(PostbackSettingsFormModel.From(saved), saved, YourIp()));
    }

    [HttpPost]
    public async Task<IActionResult> Settings([Bind(Prefix = FormPrefix)] PostbackSettingsFormModel form, CancellationToken ct)
    {
        try
        {
            await Mediator.Send(form.ToCommand(), ct);
            Notice("Postback settings saved. They apply to the next postback.");
            return RedirectToAction(nameof(Settings));
        }
        catch (ValidationException e)
        {
            ModelState.AddErrors(e, FormPrefix);
        }
        return View(new PostbackSettingsPage(form, await Mediator.Send(new GetPostbackSettingsQuery(), ct), YourIp()));
    }

    /// <summary>A new token or signing secret; the saved signature rule and allow-list stay as they are.</summary>
    [HttpPost]
    public async Task<IActionResult> Rotate(PostbackSecretAction what, CancellationToken ct)
    {
        if (what == PostbackSecretAction.None) return RedirectToAction(nameof(Settings));
        var saved = await Mediator.Send(new GetPostbackSettingsQuery(), ct);
        await Mediator.Send(new UpdatePostbackSettingsCommand(saved.RequireSignature, saved.AllowedIps, what), ct);
        Notice(what == PostbackSecretAction.RotateToken
            ? "New postback token created: the old one stops working now. Copy the new postback URLs into your tracker."
            : "New signing secret created: signatures made with the old one are refused now. Update your server.");
        return RedirectToAction(nameof(Settings));
    }

    private string? YourIp() => IntegrationController.ClientIp(HttpContext);
}
