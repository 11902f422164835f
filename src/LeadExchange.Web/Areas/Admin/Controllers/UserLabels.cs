using LeadExchange.Application.Common.Models;
using LeadExchange.Application.Identity;
using MediatR;

namespace LeadExchange.Web.Areas.Admin.Controllers;

/// <summary>
/// Emails to show instead of user ids in admin money tables. Best effort: the application has no
/// lookup by a list of ids, so this reads the first page (200, by email) of users in the role; anyone
/// beyond it is shown by id, never mislabelled.
/// </summary>
internal static class UserLabels
{
    public static async Task<IReadOnlyDictionary<string, string>> LoadAsync(IMediator mediator, string? role, CancellationToken ct)
    {
        var users = await mediator.Send(new ListUsersQuery(Role: role, PageSize: Paging.MaxPageSize), ct);
        return users.Items.ToDictionary(u => u.Id, u => u.Email);
    }

    /// <summary>A user id for an owner filter typed as an email (exact match), an id, or "platform".</summary>
    public static async Task<(string? OwnerId, string? Error)> ResolveOwnerAsync(IMediator mediator, string? owner, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(owner)) return (null, null);
        var text = owner.Trim();
        if (!text.Contains('@')) return (text, null);
        var matches = await mediator.Send(new ListUsersQuery(Search: text, PageSize: Paging.MaxPageSize), ct);
        var user = matches.Items.FirstOrDefault(u => string.Equals(u.Email, text, StringComparison.OrdinalIgnoreCase));
        return user is null ? (null, $"No user has the email {text}.") : (user.Id, null);
    }
}
