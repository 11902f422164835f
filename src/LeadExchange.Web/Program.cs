using System.Text.Json.Serialization;
using LeadExchange.Application.Offers;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Infrastructure;
using LeadExchange.Infrastructure.Persistence;
using LeadExchange.Infrastructure.Persistence.Seed;
using LeadExchange.Web.Api;
using LeadExchange.Web.Infrastructure;
using LeadExchange.Web.Infrastructure.Localization;
using LeadExchange.Web.OpenApi;
using LeadExchange.Web.Tracking;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

NJsonSchemaLoaderFix.Install();

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;
var configuration = builder.Configuration;
builder.AddRequestBodyLimit();

services.AddInfrastructure(configuration, builder.Environment.ContentRootPath);
services.AddApplication();
services.AddAutoMapper(cfg => cfg.LicenseKey = configuration["AutoMapper:LicenseKey"], typeof(OfferMappingProfile).Assembly);
services.AddHttpContextAccessor();
services.AddScoped<ICurrentUser, CurrentUser>();
services.AddScoped<IPublicUrls, PublicUrls>();
services.AddScoped<ApiExceptionFilter>();
services.AddAppRateLimits(configuration);
services.AddAdmissionControl(configuration);

if (configuration.GetValue<bool>("DataProtection:Redis") && !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
{
    // Several nodes must read each other's cookies and antiforgery tokens: share the key ring through Redis.
    services.AddDataProtection().SetApplicationName("LeadExchange");
    services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
        .Configure<IServiceProvider>((o, sp) => o.XmlRepository = new Microsoft.AspNetCore.DataProtection.StackExchangeRedis.RedisXmlRepository(
            () => sp.GetRequiredService<IConnectionMultiplexer>().GetDatabase(), (configuration["Redis:KeyPrefix"] ?? "lx:") + "dataprotection-keys"));
}

services.AddAuthentication()
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/account/login";
    o.LogoutPath = "/account/logout";
    o.AccessDeniedPath = "/account/denied";
    o.Cookie.Name = "lx.auth";
    o.Cookie.HttpOnly = true;
    o.Cookie.SameSite = SameSiteMode.Lax;
    o.SlidingExpiration = true;
    // A session ends on the server (sign-out, role change): its stamp is checked on every page (SessionValidation).
    o.Events.OnValidatePrincipal = SessionValidation.ValidatePrincipalAsync;
});
// "Don't ask for a code on this browser": 30 days, or until the account's security stamp changes (sign-out, role change).
services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(
    Microsoft.AspNetCore.Identity.IdentityConstants.TwoFactorRememberMeScheme, o => o.ExpireTimeSpan = TimeSpan.FromDays(30));
// The antiforgery and TempData cookies (TempData carries a new API key to the next page) are never Secure by default;
// follow the request like the sign-in cookie (HTTPS behind the proxy).
services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
// Identity's own validator, run by SessionValidation after its per-page stamp check: rebuilds the cookie's claims once a minute.
services.Configure<Microsoft.AspNetCore.Identity.SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

services.AddUiLocalization();
services.AddControllersWithViews(o =>
    {
        o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
        o.Filters.Add<TranslateModelErrorsFilter>();
        o.Filters.Add<RequireTwoFactorSetupFilter>();
    })
    .AddDataAnnotationsLocalization()
    .AddJsonOptions(o =>
    {
        o.JsonSerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        o.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    })
    .ConfigureApiBehaviorOptions(o =>
    {
        // Malformed or mistyped fields in /api/v1 bodies: 422 with the field paths, like every other validation error.
        o.InvalidModelStateResponseFactory = context => ApiProblems.FromModelState(context.ModelState);
    });

services.AddOpenApiDocument(d =>
{
    d.Title = "LeadExchange API";
    d.Version = "v1";
    d.DocumentName = "v1";
    d.AddSecurity("ApiKey", new NSwag.OpenApiSecurityScheme
    {
        Type = NSwag.OpenApiSecuritySchemeType.ApiKey,
        Name = ApiKeyAuthenticationHandler.HeaderName,
        In = NSwag.OpenApiSecurityApiKeyLocation.Header,
    });
    d.OperationProcessors.Add(new NSwag.Generation.Processors.Security.AspNetCoreOperationSecurityScopeProcessor("ApiKey"));
    // Only the public API, not MVC pages.
    d.AddOperationFilter(ctx => ctx.OperationDescription.Path.StartsWith("/api/", StringComparison.Ordinal));
});

// Traces and metrics to an OTLP collector when OpenTelemetry:OtlpEndpoint is set; otherwise nothing is registered.
var telemetryExport = services.AddAppTelemetry(configuration);

services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
    .AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);

var app = builder.Build();

var startupLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LeadExchange.Startup");
var dbOptions = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
startupLog.LogInformation("Database provider: {Provider}", dbOptions.Provider);
// Connect to Redis now, not on the first hot-path request (a burst would queue behind the handshake).
if (app.Services.GetService<IConnectionMultiplexer>() is { } multiplexer)
    startupLog.LogInformation("Redis connected: {Connected}", multiplexer.IsConnected);
startupLog.LogInformation(app.Services.GetRequiredService<IRedisStatus>().Mode == "redis"
    ? "Redis: using StackExchange.Redis at the configured ConnectionStrings:Redis"
    : "Redis: ConnectionStrings:Redis not set, using the in-process stand-in (one node only)");
if (telemetryExport.Endpoint is { } otlpEndpoint)
    startupLog.LogInformation("OpenTelemetry: exporting to {Endpoint} ({Protocol})", otlpEndpoint, telemetryExport.Protocol);
else
    startupLog.LogInformation("OpenTelemetry: no exporter configured (set {Setting} to export traces and metrics)", TelemetrySetup.EndpointSetting);
if (string.IsNullOrWhiteSpace(configuration["AutoMapper:LicenseKey"]))
    startupLog.LogWarning("AutoMapper:LicenseKey is not set; fine for development, set it in production.");

using (var scope = app.Services.CreateScope())
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error");
    app.UseHsts();
}
app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.UseStaticFiles();
app.UseRouting();
app.UseRequestBodyLimit(RequestBodyLimit.Configured(configuration));
app.UseRateLimiter();
app.UseMiddleware<AdmissionMiddleware>();
app.UseAuthentication();
// After authentication: a signed-in person's language is a claim of their cookie.
app.UseRequestLocalization();
app.UseAuthorization();

app.UseOpenApi(o => o.Path = "/swagger/{documentName}/swagger.json");
app.UseSwaggerUi(o =>
{
    o.Path = "/swagger";
    o.DocumentPath = "/swagger/{documentName}/swagger.json";
});

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = c => c.Tags.Contains("ready"),
    ResponseWriter = async (http, report) =>
    {
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), detail = e.Value.Description }),
        });
    },
});

app.MapClickEndpoint();
app.MapPostbackEndpoints();
if (configuration.GetValue<bool>(BaselineEndpoints.Setting)) app.MapBenchmarkBaselines();
app.MapControllerRoute("areas", "{area:exists}/{controller=Home}/{action=Index}/{id?}");
app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");

app.Run();

/// <summary>Entry point, public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
