using System.Globalization;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Infrastructure.Persistence;
using LeadExchange.Web.Api;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Controllers;

/// <summary>
/// Friendly pages for unhandled exceptions (/error) and empty error statuses (/error/{code}). Requests
/// that were meant for /api get problem details instead of a page. An exception that means the database is
/// unavailable for a moment (<see cref="DatabaseFailures"/>) answers 503 with Retry-After instead of 500.
/// </summary>
[Route("error")]
[AllowWithoutTwoFactor]
[Microsoft.AspNetCore.Authorization.AllowAnonymous]
[IgnoreAntiforgeryToken]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorController : Controller
{
    // No HTTP method attribute: the failed request is re-executed here with its own method.
    [Route("")]
    [Route("{code:int}")]
    public IActionResult Index(int? code)
    {
        var status = code is >= 400 and <= 599 ? code.Value : 500;
        var failed = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        var originalPath = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? failed?.Path;
        var api = originalPath?.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) == true;
        if (code is null && DatabaseFailures.IsUnavailable(failed?.Error))
        {
            status = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            if (api) return ApiProblems.DatabaseUnavailable();
            if (IsPostback(originalPath))
                // The postback contract's error shape (API.md), so the advertiser's server logs a reason and retries.
                return new ObjectResult(Tracking.PostbackEndpoint.ErrorBody("database_unavailable", "The tracker's database is briefly unavailable; retry after the Retry-After seconds."))
                { StatusCode = status };
            // The layout must not ask the database again (and wait out its retries) to draw the menu.
            HttpContext.Items[ViewComponents.NotificationBellViewComponent.DatabaseUnavailableKey] = true;
        }
        else if (api)
        {
            return Problem(statusCode: status, title: ReasonPhrase(status));
        }

        Response.StatusCode = status;
        return View(status);
    }

    private static bool IsPostback(string? path) =>
        path is not null && (path.StartsWith("/postback", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/pixel.gif", StringComparison.OrdinalIgnoreCase));

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
