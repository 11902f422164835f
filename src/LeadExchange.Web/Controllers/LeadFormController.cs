using System.Globalization;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Leads;
using LeadExchange.Domain.Leads;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Web.Infrastructure.Localization;
using LeadExchange.Web.Models;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace LeadExchange.Web.Controllers;

/// <summary>
/// The hosted lead form of a webmaster (API.md "Lead submission": /f/{formCode}) for people without a server of their own:
/// linked directly or framed (?embed=1) on the webmaster's site. It posts the same data as POST /api/v1/leads, as the
/// form's webmaster, with the visitor's address, a honeypot and the time the person took. Whatever the intake decides about
/// a complete submission (accepted, duplicate, or refused as a bot) the visitor sees the same thank-you page.
/// </summary>
[AllowAnonymous]
[AllowFraming]
[Route("f/{code}")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class LeadFormController(IMediator mediator, IDataProtectionProvider protection, IClock clock, IPublicUrls urls) : Controller
{
    /// <summary>The intake accepts fill times up to a day; a form open longer gets a fresh measure and is sent again.</summary>
    private const int MaxFillSeconds = 86_400;

    private IDataProtector Tickets => protection.CreateProtector(LeadFormTicket.Purpose);

    [HttpGet("")]
    public async Task<IActionResult> Show(string code, string? embed, string? sub1, string? sub2, string? sub3, string? sub4, string? sub5,
        CancellationToken ct)
    {
        var framed = IsEmbed(embed);
        var form = await mediator.Send(new GetPublicLeadFormQuery(code), ct);
        if (form is null) return Unavailable(framed);
        var post = new HostedLeadFormModel { Ticket = NewTicket(code, framed) };
        post.TakeSubs(sub1, sub2, sub3, sub4, sub5);
        return FormView(form, post, framed);
    }

    [HttpPost("")]
    [EnableRateLimiting(RateLimitPolicies.Leads)]
    [AdmissionLane(AdmissionLanes.Leads)]
    // The form is public and anonymous: the POST never acts as a signed-in visitor (the lead is always the form
    // owner's), so there is no session for request forgery to ride on. Antiforgery's SameSite=Strict cookie would
    // also stop every POST from a form embedded on the webmaster's own site. The protected fill-time ticket still
    // proves the POST follows a GET of this form, and the rate limit and intake's velocity rules bound abuse.
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Submit(string code, string? embed, HostedLeadFormModel post, CancellationToken ct)
    {
        var framed = IsEmbed(embed);
        // Every value binds as text, so nothing here came from model binding; what counts is the intake's verdict.
        ModelState.Clear();
        var form = await mediator.Send(new GetPublicLeadFormQuery(code), ct);
        if (form is null) return Unavailable(framed);

        var now = clock.UtcNow;
        var ticket = LeadFormTicket.Read(Tickets, post.Ticket, code);
        // A missing or forged measure counts as no time at all: the intake refuses it as faster than a person.
        var fillSeconds = ticket is null ? 0 : (int)Math.Clamp(Math.Floor((now - ticket.RenderedAt).TotalSeconds), 0, int.MaxValue);
        if (fillSeconds > MaxFillSeconds)
        {
            post.Ticket = NewTicket(code, framed);
            return FormView(form, post, framed, "This page was open for more than a day. Please check your details and send them again.");
        }

        var ip = HttpContext.Connection.RemoteIpAddress is { } address ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString() : null;
        var consent = post.Consented ? new ConsentInput(form.ConsentText, now, ConsentPage(code, framed, ticket), ip) : null;
        try
        {
            // 201 accepted, 409 duplicate, 422 refused as a bot (honeypot, too fast): the answer is the same to the visitor.
            await mediator.Send(new SubmitLeadCommand(post.ToInput(form, consent, fillSeconds), LeadSource.Form,
                FormSellerId: form.WebmasterId, SubmitIp: ip, HoneypotFilled: post.HoneypotFilled), ct);
            return RedirectToAction(nameof(Thanks), new { code, embed = framed ? "1" : null, lang = UiLocalization.HostedFormLanguage(Request) });
        }
        catch (ValidationException e)
        {
            AddErrors(e, post.Consented);
            return FormView(form, post, framed);
        }
        catch (TooManyRequestsException e)
        {
            Response.Headers.RetryAfter = e.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return View("TryLater", new HostedLeadFormNotice(framed, e.RetryAfterSeconds));
        }
        catch (ForbiddenException)
        {
            // The seller was blocked after the page was shown.
            return Unavailable(framed);
        }
    }

    [HttpGet("thanks")]
    public IActionResult Thanks(string? embed) => View(new HostedLeadFormNotice(IsEmbed(embed)));

    private static bool IsEmbed(string? embed) => embed is "1" || string.Equals(embed, "true", StringComparison.OrdinalIgnoreCase);

    private ViewResult FormView(PublicLeadFormDto form, HostedLeadFormModel post, bool framed, string? message = null) =>
        View("Form", new HostedLeadFormPage(form, post, framed, message));

    private ViewResult Unavailable(bool framed)
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return View("Unavailable", new HostedLeadFormNotice(framed));
    }

    /// <summary>The render time, and for a framed form the page framing it (the iframe's referrer): where the person saw the consent text.</summary>
    private string NewTicket(string code, bool framed)
    {
        var referrer = Request.Headers.Referer.ToString();
        var host = framed && IsWebUrl(referrer) ? referrer : null;
        return LeadFormTicket.Issue(Tickets, code, clock.UtcNow, host);
    }

    /// <summary>consent.pageUrl: the framing page of an embedded form when known, else the form's own address.</summary>
    private string ConsentPage(string code, bool framed, LeadFormTicket.Contents? ticket) =>
        framed && ticket?.PageUrl is { } page && IsWebUrl(page) ? page : LeadFormUrls.Public(urls.BaseUrl, code);

    private static bool IsWebUrl(string? value) =>
        value is { Length: > 0 and <= Lead.UrlMaxLength } && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// Intake errors beside their inputs ("fields.rooms" → Fields[rooms]). A missing consent makes the intake complain about
    /// its text and time, which the visitor never typed: they get one message at the checkbox instead.
    /// </summary>
    private void AddErrors(ValidationException e, bool consented)
    {
        var errors = e.Errors.Where(kv => consented || !kv.Key.StartsWith("consent", StringComparison.Ordinal)).ToDictionary();
        if (errors.Count > 0) ModelState.AddErrors(new ValidationException(errors), fieldName: HostedLeadFormModel.InputFor);
        if (!consented) ModelState.AddModelError(nameof(HostedLeadFormModel.Consent), "Tick the box to agree: we can pass on your request only with your consent.");
    }
}

/// <summary>
/// Lets other sites frame the hosted form. Every answer gets X-Frame-Options: SAMEORIGIN and a CSP with
/// frame-ancestors 'self' (<see cref="SecurityHeaders"/>); for /f/* that header is dropped (just before the response
/// starts, after everything else has set headers) and the same CSP says frame-ancestors * instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowFramingAttribute : ActionFilterAttribute
{
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        var response = context.HttpContext.Response;
        response.OnStarting(() =>
        {
            response.Headers.Remove(HeaderNames.XFrameOptions);
            response.Headers[HeaderNames.ContentSecurityPolicy] = SecurityHeaders.ContentSecurityPolicy(frameAncestors: "*");
            return Task.CompletedTask;
        });
    }
}
