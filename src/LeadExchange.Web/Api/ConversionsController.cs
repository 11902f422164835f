using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Conversions;
using LeadExchange.Domain.Tracking;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

public sealed record ConversionStatusRequest(ConversionStatus Status, string? Note);

public sealed record PostbackSettingsRequest(bool RequireSignature, IReadOnlyList<string>? AllowedIps, PostbackSecretAction Rotate = PostbackSecretAction.None);

public sealed record WebmasterPostbackRequest(string? UrlTemplate, bool Enabled);

[Route("api/v1")]
public sealed class ConversionsController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>The postback URL of an offer with the token filled in, per goal, and the accepted aliases.</summary>
    [HttpGet("offers/{id:guid}/postback-url")]
    public Task<OfferPostbackUrlDto> PostbackUrl(Guid id, CancellationToken ct) => Mediator.Send(new GetOfferPostbackUrlQuery(id), ct);

    /// <summary>Conversions: the advertiser's on their offers, the webmaster's own; moderators and admins see all.</summary>
    [HttpGet("conversions")]
    public Task<PagedResult<ConversionDto>> List([FromQuery] ConversionStatus? status, [FromQuery] Guid? offerId, [FromQuery] bool? reviewRequired,
        [FromQuery] DateTime? from, [FromQuery] DateTime? to, [FromQuery] string? sub1, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListConversionsQuery(status, offerId, reviewRequired, from?.ToUniversalTime(), to?.ToUniversalTime(), sub1, page, pageSize), ct);

    /// <summary>Approve or reject a conversion of your offer (or, as a moderator, one under fraud review).</summary>
    [HttpPost("conversions/{id:guid}/status")]
    public Task<StatusChange> ChangeStatus(Guid id, ConversionStatusRequest request, CancellationToken ct) =>
        Mediator.Send(new ChangeConversionStatusCommand(id, request.Status, request.Note), ct);

    /// <summary>Advertiser: postback token, signing secret, signature requirement and IP allow-list.</summary>
    [HttpGet("postback-settings")]
    public Task<PostbackSettingsDto> Settings(CancellationToken ct) => Mediator.Send(new GetPostbackSettingsQuery(), ct);

    [HttpPut("postback-settings")]
    public Task<PostbackSettingsDto> UpdateSettings(PostbackSettingsRequest request, CancellationToken ct) =>
        Mediator.Send(new UpdatePostbackSettingsCommand(request.RequireSignature, request.AllowedIps, request.Rotate), ct);

    /// <summary>Every postback call received with your token, with the answer given; <c>failed=true</c> for refused ones.</summary>
    [HttpGet("postback-log")]
    public Task<PagedResult<PostbackLogDto>> Log([FromQuery] bool? failed, [FromQuery] string? result, [FromQuery] DateTime? from, [FromQuery] DateTime? to,
        [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListPostbackLogQuery(failed, result, from?.ToUniversalTime(), to?.ToUniversalTime(), page, pageSize), ct);

    /// <summary>Webmaster: the outbound postback fired on every status change of your conversions.</summary>
    [HttpGet("webmaster-postback")]
    public Task<WebmasterPostbackDto> WebmasterPostback(CancellationToken ct) => Mediator.Send(new GetWebmasterPostbackQuery(), ct);

    [HttpPut("webmaster-postback")]
    public Task<WebmasterPostbackDto> UpdateWebmasterPostback(WebmasterPostbackRequest request, CancellationToken ct) =>
        Mediator.Send(new UpdateWebmasterPostbackCommand(request.UrlTemplate, request.Enabled), ct);

    /// <summary>Every delivery attempt of your outbound postbacks, with the response code.</summary>
    [HttpGet("webmaster-postback/deliveries")]
    public Task<PagedResult<PostbackDeliveryDto>> Deliveries([FromQuery] bool? failed, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListPostbackDeliveriesQuery(failed, page, pageSize), ct);
}
