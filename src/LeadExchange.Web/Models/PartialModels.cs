using LeadExchange.Application.Common.Models;

namespace LeadExchange.Web.Models;

/// <summary>What Views/Shared/_Pager.cshtml needs of any paged list.</summary>
public sealed record PagerModel(int Page, int TotalPages, int Total, int PageSize)
{
    public static PagerModel From<T>(PagedResult<T> result) => new(result.Page, result.TotalPages, result.Total, result.PageSize);
}

/// <summary>What Views/Shared/_CopyField.cshtml shows: a read-only value with a Copy button (tracking links, new API keys).</summary>
public sealed record CopyFieldView(string Id, string Label, string Value);
