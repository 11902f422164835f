using LeadExchange.Application.Leads;
using LeadExchange.Domain.Leads;
using LeadExchange.Web.Infrastructure;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadExchange.Web.Api;

[Route("api/v1/leads")]
public sealed class LeadsController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>
    /// Submit a lead (webmaster). 201 accepted {leadId, status, temperature, score, price, soldTo}; 409 {code: "duplicate",
    /// duplicateOf} (your own earlier lead of this person); 422 problem details per field (or a rejected lead: honeypot, fill
    /// time, not_accepted — a refusal that says nothing about other sellers' leads); 429 with Retry-After; 403 for a blocked seller. The same Idempotency-Key within 24 h returns the first answer.
    /// </summary>
    [HttpPost]
    [EnableRateLimiting(RateLimitPolicies.Leads)]
    [AdmissionLane(AdmissionLanes.Leads)]
    [ProducesResponseType<LeadAnswer>(201)]
    [ProducesResponseType<LeadAnswer>(409)]
    public async Task<IActionResult> Submit(SubmitLeadInput input, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken ct)
    {
        var result = await Mediator.Send(new SubmitLeadCommand(input, LeadSource.Api, IdempotencyKey: idempotencyKey,
            SubmitIp: HttpContext.Connection.RemoteIpAddress?.ToString()), ct);
        return StatusCode(result.HttpStatus, result.Answer);
    }
}
