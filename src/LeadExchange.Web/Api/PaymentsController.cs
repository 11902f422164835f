using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Payments;
using LeadExchange.Domain.Payments;
using LeadExchange.Infrastructure.Payments;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadExchange.Web.Api;

public sealed record StartTopUpRequest(long Amount, string? Currency);

/// <summary>Stripe top-ups (advertisers) and Stripe Connect onboarding (webmasters).</summary>
[Route("api/v1")]
public sealed class PaymentsController(IMediator mediator, IPublicUrls urls, IOptions<StripeOptions> stripe) : ApiControllerBase(mediator)
{
    /// <summary>Starts a Stripe Checkout top-up: amount in minor units. The balance is credited when Stripe confirms payment.</summary>
    [HttpPost("top-ups")]
    [ProducesResponseType<StartTopUpResult>(201)]
    public async Task<IActionResult> StartTopUp(StartTopUpRequest request, CancellationToken ct) =>
        StatusCode(201, await Mediator.Send(new StartTopUpCommand(request.Amount, request.Currency ?? stripe.Value.DefaultCurrency, urls.BaseUrl), ct));

    /// <summary>The caller's top-ups, newest first (admin: everyone's).</summary>
    [HttpGet("top-ups")]
    public Task<PagedResult<TopUpDto>> TopUps([FromQuery] TopUpStatus? status, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListTopUpsQuery(status, page, pageSize), ct);

    /// <summary>Creates the webmaster's Stripe Express account once and answers a fresh onboarding link.</summary>
    [HttpPost("payouts/onboarding")]
    public Task<OnboardingLinkDto> StartOnboarding(CancellationToken ct) => Mediator.Send(new StartOnboardingCommand(urls.BaseUrl), ct);

    [HttpGet("payouts/setup")]
    public Task<PayoutSetupDto> PayoutSetup(CancellationToken ct) => Mediator.Send(new GetPayoutSetupQuery(), ct);
}
