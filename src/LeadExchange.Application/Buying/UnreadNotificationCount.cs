using LeadExchange.Application.Common.Interfaces;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Application.Buying;

/// <summary>
/// The number on the navigation bell: one COUNT per page render. ListNotificationsQuery(unreadOnly) would also load a
/// page of rows the bell never shows.
/// </summary>
public sealed record CountUnreadNotificationsQuery : IRequest<int>;

public sealed class CountUnreadNotificationsHandler(IAppDbContext db, ICurrentUser user) : IRequestHandler<CountUnreadNotificationsQuery, int>
{
    public Task<int> Handle(CountUnreadNotificationsQuery request, CancellationToken ct)
    {
        var me = user.RequireUserId();
        return db.Notifications.AsNoTracking().CountAsync(n => n.UserId == me && n.ReadAt == null, ct);
    }
}
