using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Common.Models;
using LeadExchange.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Audit;

public sealed record AuditEntryDto(Guid Id, DateTime At, string ActorId, string? ActorEmail, string Action, string TargetType, string TargetId,
    string? Before, string? After);

/// <summary>The audit log for admins, newest first, filtered by action, actor, target and a time range [From, To).</summary>
public sealed record ListAuditEntriesQuery(string? Action = null, string? ActorId = null, string? TargetType = null, string? TargetId = null,
    DateTime? From = null, DateTime? To = null, int? Page = null, int? PageSize = null) : IRequest<PagedResult<AuditEntryDto>>;

public sealed class ListAuditEntriesHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<ListAuditEntriesQuery, PagedResult<AuditEntryDto>>
{
    public async Task<PagedResult<AuditEntryDto>> Handle(ListAuditEntriesQuery request, CancellationToken cancellationToken)
    {
        user.RequireRole(Roles.Admin);
        if (request.From is { } f && request.To is { } t && f > t)
            throw new ValidationException("From", "From must be before To.");
        var (page, size) = Paging.Normalize(request.Page, request.PageSize);
        var q = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Action)) q = q.Where(e => e.Action == request.Action.Trim());
        if (!string.IsNullOrWhiteSpace(request.ActorId)) q = q.Where(e => e.ActorId == request.ActorId.Trim());
        if (!string.IsNullOrWhiteSpace(request.TargetType)) q = q.Where(e => e.TargetType == request.TargetType.Trim());
        if (!string.IsNullOrWhiteSpace(request.TargetId)) q = q.Where(e => e.TargetId == request.TargetId.Trim());
        if (request.From is { } from) q = q.Where(e => e.At >= from);
        if (request.To is { } to) q = q.Where(e => e.At < to);
        var total = await q.CountAsync(cancellationToken);
        var items = await q.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((page - 1) * size).Take(size)
            .Select(e => new AuditEntryDto(e.Id, e.At, e.ActorId, e.ActorEmail, e.Action, e.TargetType, e.TargetId, e.Before, e.After))
            .ToListAsync(cancellationToken);
        return new PagedResult<AuditEntryDto>(items, page, size, total);
    }
}
