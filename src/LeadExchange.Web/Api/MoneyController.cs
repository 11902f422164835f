using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Ledger;
using LeadExchange.Application.Payments;
using LeadExchange.Application.Payouts;
using LeadExchange.Domain.Identity;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Payments;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

public sealed record PayoutRequest(long Amount, string? Currency);

[Route("api/v1")]
public sealed class MoneyController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>{currency, available, held, pending} in minor units, plus every currency in balances.</summary>
    [HttpGet("balance")]
    public Task<BalanceSummaryDto> Balance([FromQuery] string? currency, CancellationToken ct) => Mediator.Send(new GetBalanceQuery(currency), ct);

    /// <summary>Journal lines of the caller's accounts (admin: everyone's, or ?ownerId=).</summary>
    [HttpGet("ledger")]
    public Task<PagedResult<StatementLineDto>> Ledger([FromQuery] DateTime? from, [FromQuery] DateTime? to, [FromQuery] JournalEntryType? type,
        [FromQuery] AccountType? account, [FromQuery] string? currency, [FromQuery] string? ownerId, [FromQuery] int? page, [FromQuery] int? pageSize,
        CancellationToken ct) =>
        Mediator.Send(new GetStatementQuery(from?.ToUniversalTime(), to?.ToUniversalTime(), type, account, currency, ownerId, page, pageSize), ct);

    [HttpPost("payouts")]
    [ProducesResponseType<PayoutDto>(201)]
    public async Task<IActionResult> RequestPayout(PayoutRequest request, CancellationToken ct) =>
        StatusCode(201, await Mediator.Send(new RequestPayoutCommand(request.Amount, request.Currency ?? "RUB"), ct));

    [HttpGet("payouts")]
    public Task<PagedResult<PayoutDto>> Payouts([FromQuery] PayoutStatus? status, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListPayoutsQuery(status, page, pageSize), ct);
}

public sealed record ManualTopUpRequest(string? UserId, string? Email, long Amount, string? Currency, string? Note);

public sealed record ManualSettlementRequest(bool Paid, string? Reference);

/// <summary>Amount (minor units, positive) is what comes off the advertiser's available balance; reason is required.</summary>
public sealed record ManualAdjustmentRequest(string? UserId, string? Email, long Amount, string? Currency, string? Reason);

[Route("api/v1/admin")]
[Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Admin)]
public sealed class AdminMoneyController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>Credit an advertiser without Stripe. Send Idempotency-Key to make retries safe.</summary>
    [HttpPost("manual-top-ups")]
    [ProducesResponseType<ManualTopUpResult>(201)]
    public async Task<IActionResult> ManualTopUp(ManualTopUpRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct) =>
        StatusCode(201, await Mediator.Send(new ManualTopUpCommand(request.UserId, request.Email, request.Amount, request.Currency ?? "RUB", request.Note, idempotencyKey), ct));

    /// <summary>
    /// Debit an advertiser's available balance (a mistaken credit, a recalled transfer) with a required reason; recorded in the
    /// ledger with the admin's user id. 409 insufficient_funds when the balance holds less. Send Idempotency-Key to make retries safe.
    /// </summary>
    [HttpPost("manual-adjustments")]
    [ProducesResponseType<ManualAdjustmentResult>(201)]
    public async Task<IActionResult> ManualAdjustment(ManualAdjustmentRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken ct) =>
        StatusCode(201, await Mediator.Send(new ManualAdjustmentCommand(request.UserId, request.Email, request.Amount, request.Currency ?? "RUB", request.Reason,
            idempotencyKey), ct));

    /// <summary>Mark a manual (bank transfer) payout paid, or failed with the reason (money returns to the webmaster).</summary>
    [HttpPost("payouts/{id:guid}/settlement")]
    public Task<PayoutDto> SettlePayout(Guid id, ManualSettlementRequest request, CancellationToken ct) =>
        Mediator.Send(new SettlePayoutManuallyCommand(id, request.Paid, request.Reference), ct);

    [HttpGet("ledger/reconciliation")]
    public Task<ReconciliationDto> Reconcile(CancellationToken ct) => Mediator.Send(new ReconcileLedgerQuery(), ct);

    [HttpGet("settings")]
    public Task<PlatformSettingsDto> Settings(CancellationToken ct) => Mediator.Send(new GetPlatformSettingsQuery(), ct);

    [HttpPut("settings")]
    public async Task<PlatformSettingsDto> UpdateSettings(UpdatePlatformSettingsCommand request, CancellationToken ct)
    {
        await Mediator.Send(request, ct);
        return await Mediator.Send(new GetPlatformSettingsQuery(), ct);
    }
}
