namespace LeadExchange.Web.Infrastructure;

/// <summary>
/// Response headers every answer gets (docs/security.md). Set when the request starts, so an action that needs its own
/// (evidence downloads: a sandbox CSP; the hosted lead form: any site may frame it) simply overwrites them, and antiforgery,
/// which adds X-Frame-Options only when it is missing, leaves them alone.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts and styles only from this origin: the views have no inline script, event handler, style block or style
    /// attribute (scripts set styles through the CSSOM, which the CSP allows). No form-action: the top-up and Stripe Connect
    /// forms end in redirects to Stripe's hosted pages, which browsers would block.
    /// </summary>
    public static string ContentSecurityPolicy(string frameAncestors = "'self'") =>
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
        $"connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors {frameAncestors}";

    /// <summary>Swagger UI (NSwag's page) configures itself with an inline script; it shows no data, only the API's description.</summary>
    private const string SwaggerPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

    private static readonly string DefaultPolicy = ContentSecurityPolicy();

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        var path = context.Request.Path;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        headers.ContentSecurityPolicy = path.StartsWithSegments("/swagger") ? SwaggerPolicy : DefaultPolicy;
        // Not on the click redirect: the landing page should see the referrer the visitor's browser would send anyway.
        if (!path.StartsWithSegments("/c")) headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        return next(context);
    });
}
