using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadExchange.Web.Controllers;

/// <summary>
/// Base of every MVC page controller: mediator access, one-shot notices (TempData) and the mapping of
/// application exceptions to what a person sees. Actions catch only the ValidationException of the form
/// they re-render; everything else is handled by <see cref="UiExceptionFilterAttribute"/>.
/// </summary>
[UiExceptionFilter]
public abstract class UiController(IMediator mediator) : Controller
{
    public const string NoticeKey = "Notice";
    public const string ErrorKey = "Error";
    public const string NewApiKeyKey = "NewApiKey";

    protected IMediator Mediator { get; } = mediator;

    /// <summary>The UI text in the request's language (key: the English text), for notices set here.</summary>
    protected IStringLocalizer L => HttpContext.RequestServices.GetRequiredService<IStringLocalizer>();

    /// <summary>The app's clock (never the machine's directly), so pages agree with the handlers and tests can move it.</summary>
    protected DateTime UtcNow => HttpContext.RequestServices.GetRequiredService<LeadExchange.Application.Common.Interfaces.IClock>().UtcNow;

    protected void Notice(string message) => TempData[NoticeKey] = message;

    protected void Error(string message) => TempData[ErrorKey] = message;
}

/// <summary>
/// Not found: 404 page. Forbidden: the access-denied page. A conflict or broken business rule on a
/// button press (join, archive, decide): the message as an error notice, back on the page the person
/// came from. Anything else is a real error and goes to the exception handler.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class UiExceptionFilterAttribute : ExceptionFilterAttribute
{
    public override void OnException(ExceptionContext context)
    {
        var message = context.Exception switch
        {
            ConflictException c => c.Message,
            DomainException d => d.Message,
            LeadExchange.Application.Leads.TooManyRequestsException t => t.Message,
            ValidationException v => string.Join(" ", v.Errors.SelectMany(e => e.Value)),
            DbUpdateException => "The change conflicts with another one made at the same time; reload and try again.",
            _ => null,
        };
        switch (context.Exception)
        {
            case NotFoundException:
                context.Result = new NotFoundResult();
                break;
            case ForbiddenException:
                context.Result = new ForbidResult();
                break;
            case not null when message is not null:
                var services = context.HttpContext.RequestServices;
                // Application messages are English; a translation of the exact text is shown when there is one.
                services.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(context.HttpContext)[UiController.ErrorKey] =
                    services.GetRequiredService<IStringLocalizer>()[message].Value;
                context.Result = new RedirectResult(BackUrl(context.HttpContext, services.GetRequiredService<IUrlHelperFactory>().GetUrlHelper(context)));
                break;
            default:
                return;
        }
        context.ExceptionHandled = true;
    }

    /// <summary>The page the form was on (same-site Referer), else the home page.</summary>
    private static string BackUrl(HttpContext http, IUrlHelper url)
    {
        var referer = http.Request.Headers.Referer.ToString();
        if (Uri.TryCreate(referer, UriKind.Absolute, out var uri) &&
            string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            var local = uri.PathAndQuery;
            if (url.IsLocalUrl(local)) return local;
        }
        return "/";
    }
}
