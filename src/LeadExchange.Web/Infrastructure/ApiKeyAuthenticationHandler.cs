using System.Security.Claims;
using System.Text.Encodings.Web;
using LeadExchange.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LeadExchange.Web.Infrastructure;

/// <summary>Authenticates /api/v1 calls by the X-Api-Key header.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string TwoFactorRequiredCode = "two_factor_required";
    private const string TwoFactorMissingItem = "lx:api-key-two-factor-missing";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || string.IsNullOrWhiteSpace(values.ToString()))
            return AuthenticateResult.NoResult();
        var principal = await authenticator.AuthenticateAsync(values.ToString().Trim(), Context.RequestAborted);
        if (principal is null)
            return AuthenticateResult.Fail("Invalid or revoked API key.");
        if (principal.TwoFactorMissing)
        {
            Context.Items[TwoFactorMissingItem] = true;
            return AuthenticateResult.Fail("The key's owner is an admin or moderator without two-factor sign-in.");
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, principal.UserId),
            new(ClaimTypes.Name, principal.UserName),
        };
        claims.AddRange(principal.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = 401,
            Title = "Authentication required",
            Detail = $"Send a valid API key in the {HeaderName} header.",
            Type = "https://httpstatuses.io/401",
        };
        if (Context.Items.ContainsKey(TwoFactorMissingItem))
        {
            // The key is right, but keys of admins and moderators work only while their two-factor sign-in is on.
            problem.Detail = "This key belongs to an admin or moderator without two-factor sign-in: turn it on (Account, Two-factor sign-in) and the key works again.";
            problem.Extensions["code"] = TwoFactorRequiredCode;
        }
        await Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = 403,
            Title = "Forbidden",
            Detail = "Your role may not use this endpoint.",
            Type = "https://httpstatuses.io/403",
        }, options: null, contentType: "application/problem+json");
    }
}
