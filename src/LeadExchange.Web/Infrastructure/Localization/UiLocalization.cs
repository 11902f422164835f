using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using LeadExchange.Infrastructure.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.WebEncoders;

namespace LeadExchange.Web.Infrastructure.Localization;

/// <summary>
/// The UI languages and where a request's language comes from: the signed-in person's stored language
/// (a claim of the sign-in cookie), else the lx.culture cookie set by the language switcher, else English.
/// Accept-Language is deliberately not read: a visitor sees English until they choose, the same page for
/// every crawler and test. /api/ and the tracking endpoints always run in English: their bodies are
/// machine-read and must not change with whoever calls them.
/// </summary>
public static class UiLocalization
{
    public const string DefaultCulture = "en";
    public const string CookieName = "lx.culture";

    public static readonly IReadOnlyList<string> Cultures = [DefaultCulture, "ru"];

    /// <summary>The switcher's labels, each in its own language.</summary>
    public static readonly IReadOnlyDictionary<string, string> NativeNames = new Dictionary<string, string> { ["en"] = "English", ["ru"] = "Русский" };

    public static bool IsSupported(string? culture) => culture is not null && Cultures.Contains(culture);

    public static IServiceCollection AddUiLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // Razor's encoder escapes every non-Latin letter by default (&#x41A;...): Russian pages would be several times
        // larger and unreadable in the source. Only the characters HTML needs escaped are escaped.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddSingleton(_ => new Translations(Translations.Embedded(typeof(UiLocalization).Assembly)));
        services.AddSingleton<JsonStringLocalizer>();
        services.AddSingleton<IStringLocalizer>(sp => sp.GetRequiredService<JsonStringLocalizer>());
        services.AddSingleton<IStringLocalizerFactory, JsonStringLocalizerFactory>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = Cultures.Select(c => new CultureInfo(c)).ToList();
            o.DefaultRequestCulture = new RequestCulture(DefaultCulture);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders =
            [
                new MachinePathsCultureProvider(),
                new HostedFormCultureProvider(),
                new SignedInUserCultureProvider(),
                new CookieRequestCultureProvider { CookieName = CookieName },
            ];
        });
        return services;
    }

    /// <summary>The cookie the switcher sets for a year (the signed-in person's stored language still wins).</summary>
    public static void WriteCookie(HttpResponse response, string culture) =>
        response.Cookies.Append(CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            IsEssential = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = response.HttpContext.Request.IsHttps,
        });

    private sealed class SignedInUserCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
            Task.FromResult(httpContext.User.FindFirst(AppClaimTypes.Culture)?.Value is { Length: > 0 } culture
                ? new ProviderCultureResult(culture)
                : null);
    }

    /// <summary>
    /// The hosted lead form (/f/{code}) is for the webmaster's visitors, who have chosen nothing here: the link or
    /// embed code says the language (?lang=ru), and the form carries it through its POST and thank-you page.
    /// </summary>
    private sealed class HostedFormCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
            Task.FromResult(httpContext.Request.Path.StartsWithSegments("/f") && HostedFormLanguage(httpContext.Request) is { } lang
                ? new ProviderCultureResult(lang)
                : null);
    }

    /// <summary>The supported ?lang= of a hosted form request, else null.</summary>
    public static string? HostedFormLanguage(HttpRequest request) =>
        request.Query["lang"].ToString() is var lang && IsSupported(lang) ? lang : null;

    private sealed class MachinePathsCultureProvider : RequestCultureProvider
    {
        private static readonly string[] Prefixes = ["/api/", "/postback", "/pixel.gif", "/c/", "/health/", "/swagger", "/_bench/"];

        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var path = httpContext.Request.Path.Value ?? "";
            return Task.FromResult(Prefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                ? new ProviderCultureResult(DefaultCulture)
                : null);
        }
    }
}
