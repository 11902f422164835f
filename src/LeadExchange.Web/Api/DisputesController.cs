using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Disputes;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

/// <summary>An evidence file in the JSON body: base64 content, at most 2 MB each, PNG/JPEG/PDF/plain text.</summary>
public sealed record EvidenceRequest(string? FileName, string? ContentType, string? Base64);

public sealed record OpenDisputeRequest(string? Reason, string? Comment, IReadOnlyList<EvidenceRequest>? Evidence);

public sealed record DecisionRequest(string? Decision, string? Note);

/// <summary>API.md: POST /api/v1/purchases/{saleId}/dispute, GET /api/v1/disputes, POST /api/v1/disputes/{id}/decision (+ claim, case, evidence).</summary>
[Route("api/v1")]
public sealed class DisputesController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>Dispute a bought lead within the niche's window: {reason, comment, evidence[]}. 201; 409 window_closed or already_disputed.</summary>
    [HttpPost("purchases/{saleId:guid}/dispute")]
    [RequestSizeLimit(16 * 1024 * 1024)]
    public async Task<ActionResult<DisputeDto>> Open(Guid saleId, OpenDisputeRequest request, CancellationToken ct)
    {
        var files = new List<EvidenceInput>();
        foreach (var e in request.Evidence ?? [])
        {
            byte[] content;
            try
            {
                content = Convert.FromBase64String(e.Base64 ?? "");
            }
            catch (FormatException)
            {
                throw new ValidationException("evidence", $"{e.FileName}: the content is not base64.");
            }
            files.Add(new EvidenceInput(e.FileName, e.ContentType, content));
        }
        var dispute = await Mediator.Send(new OpenDisputeCommand(saleId, request.Reason, request.Comment, files), ct);
        return CreatedAtAction(nameof(Case), new { id = dispute.Id }, dispute);
    }

    /// <summary>Moderators: the queue (open first, oldest first), filters status, niche, reason, sellerId, buyerId, overdue. Buyers: their disputes. Sellers: disputes about their leads.</summary>
    [HttpGet("disputes")]
    public Task<PagedResult<DisputeDto>> List([FromQuery] string? status, [FromQuery] string? niche, [FromQuery] string? reason, [FromQuery] string? sellerId,
        [FromQuery] string? buyerId, [FromQuery] bool? overdue, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
        Mediator.Send(new ListDisputesQuery(status, niche, reason, sellerId, buyerId, overdue, page, pageSize), ct);

    /// <summary>The case: dispute, lead and its source, seller and buyer records, other buyers, timeline (by role).</summary>
    [HttpGet("disputes/{id:guid}")]
    public Task<DisputeCaseDto> Case(Guid id, CancellationToken ct) => Mediator.Send(new GetDisputeQuery(id), ct);

    /// <summary>Decide once: {decision: uphold or reject, note}. 409 already_decided, or claimed by another moderator.</summary>
    [HttpPost("disputes/{id:guid}/decision")]
    public Task<DisputeDto> Decide(Guid id, DecisionRequest request, CancellationToken ct) =>
        Mediator.Send(new DecideDisputeCommand(id, request.Decision, request.Note), ct);

    /// <summary>Claim for 30 minutes so other moderators leave it; DELETE releases the claim.</summary>
    [HttpPost("disputes/{id:guid}/claim")]
    public Task<DisputeDto> Claim(Guid id, CancellationToken ct) => Mediator.Send(new ClaimDisputeCommand(id), ct);

    [HttpDelete("disputes/{id:guid}/claim")]
    public Task<DisputeDto> Release(Guid id, CancellationToken ct) => Mediator.Send(new ClaimDisputeCommand(id, Release: true), ct);

    /// <summary>An evidence file, always as a download (never rendered inline).</summary>
    [HttpGet("disputes/{id:guid}/evidence/{evidenceId:guid}")]
    public async Task<IActionResult> Evidence(Guid id, Guid evidenceId, CancellationToken ct)
    {
        return Controllers.EvidenceDownload.For(this, await Mediator.Send(new GetEvidenceQuery(id, evidenceId), ct));
    }
}
