using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;

namespace LeadExchange.Web.Api;

/// <summary>Turns application exceptions into RFC 7807 problem details for /api/v1.</summary>
public sealed class ApiExceptionFilter(ILogger<ApiExceptionFilter> logger) : IExceptionFilter
{
    private static IActionResult TooMany(ExceptionContext context, LeadExchange.Application.Leads.TooManyRequestsException t)
    {
        context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, t.RetryAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Problem(429, "Too many requests", t.Message, "rate_limited");
    }

    private IActionResult DatabaseUnavailable(ExceptionContext context)
    {
        logger.LogError(context.Exception, "Database unavailable on {Path}", context.HttpContext.Request.Path);
        context.HttpContext.Response.Headers.RetryAfter =
            LeadExchange.Infrastructure.Persistence.DatabaseFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.DatabaseUnavailable();
    }

    public void OnException(ExceptionContext context)
    {
        var result = context.Exception switch
        {
            ValidationException v => ApiProblems.Validation(v.Errors),
            NotFoundException n => ApiProblems.Problem(404, "Not found", n.Message),
            ForbiddenException f => ApiProblems.Problem(403, "Forbidden", f.Message),
            AuthenticationFailedException a => ApiProblems.Problem(401, "Authentication failed", a.Message),
            ConflictException c => ApiProblems.Problem(409, "Conflict", c.Message, c.Code),
            LeadExchange.Application.Leads.TooManyRequestsException t => TooMany(context, t),
            LeadExchange.Application.Payments.PaymentGatewayException g => ApiProblems.Problem(g.Transient ? 503 : 502, "Payment provider error", g.Message, g.Code),
            // An advertiser must top up (402); a webmaster asking for more than is available is a conflict (409, below).
            LeadExchange.Application.Ledger.InsufficientFundsException { Account: LeadExchange.Domain.Ledger.AccountType.AdvertiserBalance } i =>
                ApiProblems.Problem(402, "Payment required", i.Message, i.Code),
            LeadExchange.Application.Ledger.DuplicateEntryException => ApiProblems.Problem(409, "Conflict", "This was already recorded.", "duplicate"),
            DomainException d when d.Field is not null => ApiProblems.Validation(new Dictionary<string, string[]> { [d.Field] = [d.Message] }),
            DomainException d => ApiProblems.Problem(409, "Conflict", d.Message, d.Code),
            // Before DbUpdateException: a save that failed because the database went away is not a conflict.
            _ when LeadExchange.Infrastructure.Persistence.DatabaseFailures.IsUnavailable(context.Exception) => DatabaseUnavailable(context),
            DbUpdateException => ApiProblems.Problem(409, "Conflict", "The change conflicts with another one made at the same time; reload and try again.", "concurrent_change"),
            _ => null,
        };
        if (result is null) return;
        if (context.Exception is DbUpdateException)
            logger.LogWarning(context.Exception, "Database conflict on {Path}", context.HttpContext.Request.Path);
        context.Result = result;
        context.ExceptionHandled = true;
    }
}

public static class ApiProblems
{
    public static ObjectResult Problem(int status, string title, string detail, string? code = null) =>
        new(Details(status, title, detail, code)) { StatusCode = status, ContentTypes = { "application/problem+json" } };

    /// <summary>The problem details body with its <c>code</c>; for answers written outside MVC (rate limits, admission control).</summary>
    public static ProblemDetails Details(int status, string title, string detail, string? code = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
        if (code is not null) problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>503 while the database does not answer (down, restarting, out of connections); the caller sets Retry-After.</summary>
    public static ObjectResult DatabaseUnavailable() =>
        Problem(503, "Database unavailable", "The database did not answer, so the request was not completed. Try again in a few seconds.", "database_unavailable");

    /// <summary>422 with an errors map whose keys are the camelCase JSON paths of the fields ("goals[0].webmasterAmount").</summary>
    public static ObjectResult Validation(IReadOnlyDictionary<string, string[]> errors)
    {
        var problem = new ValidationProblemDetails(errors.ToDictionary(e => CamelPath(e.Key), e => e.Value))
        {
            Status = 422,
            Title = "One or more fields are invalid.",
            Type = "https://httpstatuses.io/422",
        };
        return new ObjectResult(problem) { StatusCode = 422, ContentTypes = { "application/problem+json" } };
    }

    /// <summary>
    /// Model-binding failures (malformed JSON, a string where a number belongs). The parameter-level
    /// "field is required" entry that accompanies a broken body is dropped when field entries exist,
    /// and System.Text.Json's type names are replaced by a plain message.
    /// </summary>
    public static ObjectResult FromModelState(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        var entries = modelState.Where(e => e.Value?.Errors.Count > 0).Select(e => (RawKey: e.Key, e.Value!.Errors)).ToList();
        // Body fields come keyed "$.holdDays"; the action parameter itself ("input") only adds "field is required".
        var fieldEntries = entries.Where(e => e.RawKey.StartsWith('$')).ToList();
        var chosen = fieldEntries.Count > 0 ? fieldEntries : entries;
        return Validation(chosen.ToDictionary(
            e => e.RawKey.TrimStart('$').TrimStart('.') is { Length: > 0 } key ? key : "body",
            e => e.Errors.Select(x => x.Exception is not null || x.ErrorMessage.Contains("could not be converted", StringComparison.Ordinal)
                ? "The value has the wrong type or format."
                : string.IsNullOrEmpty(x.ErrorMessage) ? "The value is not valid." : x.ErrorMessage).Distinct().ToArray()));
    }

    public static string CamelPath(string path) =>
        string.Join('.', path.Split('.').Select(segment =>
            segment.Length == 0 || segment.StartsWith('$') ? segment : char.ToLowerInvariant(segment[0]) + segment[1..]));
}
