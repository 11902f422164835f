using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Controllers;

/// <summary>
/// Friendly pages for unhandled exceptions (/error) and empty error statuses (/error/{code}). Requests
/// that were meant for /api get problem details instead of a page.
/// </summary>
[Route("error")]
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
        var originalPath = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
                           ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        if (originalPath?.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) == true)
            return Problem(statusCode: status, title: ReasonPhrase(status));

        Response.StatusCode = status;
        return View(status);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}
