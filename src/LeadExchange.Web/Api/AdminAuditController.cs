using LeadExchange.Application.Audit;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Api;

/// <summary>The audit log, read-only: there is no route that edits or deletes an entry.</summary>
[Route("api/v1/admin/audit")]
[Authorize(AuthenticationSchemes = Infrastructure.ApiKeyAuthenticationHandler.SchemeName, Roles = Roles.Admin)]
public sealed class AdminAuditController(IMediator mediator) : ApiControllerBase(mediator)
{
    /// <summary>Privileged and money-moving actions, newest first; filters action, actorId, targetType, targetId, from (inclusive), to (exclusive).</summary>
    [HttpGet]
    public Task<PagedResult<AuditEntryDto>> List([FromQuery] string? action, [FromQuery] string? actorId, [FromQuery] string? targetType,
        [FromQuery] string? targetId, [FromQuery] DateTime? from, [FromQuery] DateTime? to, [FromQuery] int? page, [FromQuery] int? pageSize,
        CancellationToken ct) =>
        Mediator.Send(new ListAuditEntriesQuery(action, actorId, targetType, targetId, from, to, page, pageSize), ct);
}
