using Microsoft.AspNetCore.Mvc.Filters;

namespace LeadExchange.Web.Infrastructure;

/// <summary>
/// For answers that carry lead contacts (purchases, their CSV, the pages that show them): <c>Cache-Control: no-store</c>,
/// so neither a shared proxy nor the browser's disk cache keeps a copy that outlives the session (back button after
/// sign-out, a shared computer).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class NoStoreAttribute : ResultFilterAttribute
{
    public override void OnResultExecuting(ResultExecutingContext context)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        context.HttpContext.Response.Headers.Pragma = "no-cache";
    }
}
