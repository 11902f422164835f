using System.Text;
using System.Text.Json;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Conversions;
using LeadExchange.Application.Offers.Queries;
using LeadExchange.Domain.Conversions;
using LeadExchange.Domain.Tracking;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace LeadExchange.Web.Areas.Advertiser.Controllers;

/// <summary>
/// An offer's integration page (/Advertiser/Integration/Offer/{id}): the postback and pixel URLs with the
/// token filled in, per goal, the parameters and aliases, examples with signing, and a test postback.
/// </summary>
public sealed class IntegrationController(IMediator mediator, IPublicUrls urls) : AdvertiserController(mediator)
{
    private static readonly string[] SecretNames = PostbackParameters.Aliases["token"];

    [HttpGet]
    public async Task<IActionResult> Offer(Guid id, CancellationToken ct)
    {
        // First: it answers 404 unless the offer is the caller's.
        var offerUrls = await Mediator.Send(new GetOfferPostbackUrlQuery(id), ct);
        var offer = await Mediator.Send(new GetOfferQuery(id), ct);
        var settings = await Mediator.Send(new GetPostbackSettingsQuery(), ct);
        return View(new OfferIntegrationPage(offer, offerUrls, settings, urls.BaseUrl, ClientIp(HttpContext)));
    }

    /// <summary>
    /// Sends the offer's test URL through the real postback handling, from this browser's address: the
    /// token, the IP allow-list and (signed here with the secret when signing is required) the signature
    /// are checked exactly as for the advertiser's server. Without a click id no conversion is recorded; with
    /// the click id of the advertiser's own test visit it is that click's real postback on the default goal
    /// (pending, charged to escrow), so a whole integration can be tried from this page. The call is logged.
    /// </summary>
    [HttpPost]
    public async Task<IActionResult> Test(Guid id, string? clickId, CancellationToken ct)
    {
        var offerUrls = await Mediator.Send(new GetOfferPostbackUrlQuery(id), ct);
        var settings = await Mediator.Send(new GetPostbackSettingsQuery(), ct);
        var query = offerUrls.TestUrl[(offerUrls.TestUrl.IndexOf('?') + 1)..];
        const string dryRun = "click_id=" + RecordPostbackHandler.TestClickId;
        if (clickId?.Trim() is { Length: > 0 } real && query.StartsWith(dryRun, StringComparison.Ordinal))
            query = "click_id=" + Uri.EscapeDataString(real) + query[dryRun.Length..];
        var signed = Encoding.UTF8.GetBytes(query);
        var parameters = QueryHelpers.ParseQuery(query).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString())).ToList();
        var request = new PostbackRequest("postback", HttpMethods.Get, parameters, signed,
            settings.RequireSignature ? Signatures.Sign(settings.SigningSecret, signed) : null,
            HttpContext.Connection.RemoteIpAddress, PostbackLogEntry.Redact(query, SecretNames));
        var answer = await Mediator.Send(new RecordPostbackCommand(request), ct);

        // The JSON the postback endpoint answers, so the person sees what their server would get.
        var json = JsonSerializer.Serialize(Tracking.PostbackEndpoint.Body(answer));
        var signedNote = settings.RequireSignature ? " It was signed with your signing secret, as signing is required." : "";
        if (answer.Result == "ok") Notice($"Test postback: HTTP {answer.HttpStatus} {json}{signedNote}");
        else Error($"Test postback refused: HTTP {answer.HttpStatus} {json}{signedNote}");
        return RedirectToAction(nameof(Offer), new { id });
    }

    /// <summary>The address a browser's requests come from, as the IP allow-list compares it.</summary>
    internal static string? ClientIp(HttpContext http) => http.Connection.RemoteIpAddress is { } ip
        ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
        : null;
}
