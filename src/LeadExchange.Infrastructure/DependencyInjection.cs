using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Tracking;
using LeadExchange.Infrastructure.Common;
using LeadExchange.Infrastructure.Identity;
using LeadExchange.Infrastructure.Persistence;
using LeadExchange.Infrastructure.Persistence.Seed;
using LeadExchange.Infrastructure.Redis;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadExchange.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section))
            .Validate<Microsoft.Extensions.Hosting.IHostEnvironment>(
                (o, environment) => !o.Enabled || o.AllowInProduction || !Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions.IsProduction(environment),
                DemoOptions.InProductionMessage)
            .ValidateOnStart();

        var provider = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider ?? DatabaseProvider.Sqlite;
        var connectionString = ResolveConnectionString(configuration, provider, contentRoot);
        services.AddDbContext<AppDbContext>(o => DbContextOptionsFactory.Configure(o, provider, connectionString).AddInterceptors(DbStatistics.Interceptors));
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        services.AddScoped<IUnitOfWork, UnitOfWork>();

        services.AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 8;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Tokens.AuthenticatorTokenProvider = OnceOnlyAuthenticatorTokenProvider.Name;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserStore<HashedRecoveryCodesUserStore>()
            .AddTokenProvider<OnceOnlyAuthenticatorTokenProvider>(OnceOnlyAuthenticatorTokenProvider.Name)
            .AddPasswordValidator<MaxLengthPasswordValidator>()
            .AddDefaultTokenProviders()
            .AddSignInManager<TimingSafeSignInManager>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock, SystemClock>();
        services.AddScoped<IIdentityService, IdentityService>();
        services.AddScoped<ITwoFactorService, TwoFactorService>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<DatabaseInitializer>();

        services.AddOptions<Jobs.JobOptions>().Bind(configuration.GetSection(Jobs.JobOptions.Section));
        services.AddOptions<Outbox.OutboxOptions>().Bind(configuration.GetSection(Outbox.OutboxOptions.Section));
        services.AddSingleton<Outbox.OutboxDispatcher>();
        services.AddScoped<Outbox.IOutboxHandler, Outbox.PayoutTransferOutboxHandler>();
        services.AddScoped<Outbox.IOutboxHandler, Conversions.WebmasterPostbackOutboxHandler>();
        services.AddScoped<Outbox.IOutboxHandler, Buying.BuyerWebhookOutboxHandler>();
        var allowPrivateTargets = configuration.GetValue<bool>($"{Application.Conversions.PostbackOptions.Section}:AllowPrivateTargets");
        services.AddHttpClient(Conversions.WebmasterPostbackOutboxHandler.HttpClientName, (sp, c) =>
        {
            c.Timeout = OutboundTimeout(sp);
            c.DefaultRequestHeaders.UserAgent.ParseAdd("LeadExchange-Postback/1.0");
        }).ConfigurePrimaryHttpMessageHandler(() => Conversions.OutboundHttp.Handler(allowPrivateTargets));
        services.AddHttpClient(Buying.BuyerWebhookOutboxHandler.HttpClientName, (sp, c) =>
        {
            c.Timeout = OutboundTimeout(sp);
            c.DefaultRequestHeaders.UserAgent.ParseAdd("LeadExchange-Webhook/1.0");
        }).ConfigurePrimaryHttpMessageHandler(() => Conversions.OutboundHttp.Handler(allowPrivateTargets));
        services.AddSingleton<Jobs.BackgroundJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.BackgroundJobs>());
        services.AddOptions<Payments.StripeOptions>().Bind(configuration.GetSection(Payments.StripeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Payments.StripeOptions>, Payments.StripeOptionsValidator>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{Payments.StripeOptions.Section}:SecretKey"]))
            services.AddSingleton<IPaymentGateway, Payments.StripePaymentGateway>();
        else
            services.AddSingleton<IPaymentGateway, Payments.NullPaymentGateway>();
        services.AddHostedService<Payments.StripeStartupLog>();

        AddTracking(services, configuration);
        AddLeads(services, configuration);
        Pricing.PricingServices.AddPricing(services, configuration);
        AddRedis(services, configuration);
        return services;
    }

    private static TimeSpan OutboundTimeout(IServiceProvider services) =>
        TimeSpan.FromSeconds(Math.Max(0.1, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Outbox.OutboxOptions>>().Value.HttpTimeoutSeconds));

    /// <summary>SQLite defaults to a file in the app's data folder; the other providers need ConnectionStrings:Default.</summary>
    public static string ResolveConnectionString(IConfiguration configuration, DatabaseProvider provider, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Default");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        if (provider != DatabaseProvider.Sqlite)
            throw new InvalidOperationException($"Database:Provider is {provider}: set ConnectionStrings:Default.");
        var dataDir = Path.Combine(contentRoot, "data");
        Directory.CreateDirectory(dataDir);
        return $"Data Source={Path.Combine(dataDir, "leadexchange.db")};Cache=Shared";
    }

    private static void AddLeads(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Application.Leads.LeadIntakeOptions>().Bind(configuration.GetSection(Application.Leads.LeadIntakeOptions.Section));
        services.AddOptions<Application.Buying.BuyerWebhookOptions>().Bind(configuration.GetSection(Application.Buying.BuyerWebhookOptions.Section));
        services.AddOptions<Application.Conversions.ConversionWriterOptions>().Bind(configuration.GetSection(Application.Conversions.ConversionWriterOptions.Section));
        var demo = configuration.GetValue<bool>("Demo:Enabled");
        services.AddOptions<Leads.ContactKeyOptions>().Bind(configuration.GetSection(Leads.ContactKeyOptions.Section))
            .PostConfigure(o =>
            {
                // Demo and tests only: a fixed, public key. Production must bring its own (start-up fails without one).
                if (string.IsNullOrWhiteSpace(o.ContactKey) && demo) o.ContactKey = Leads.ContactKeyOptions.DevelopmentKey;
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.ContactKey), "Leads:ContactKey is required (base64 of 32 random bytes, the same on every node); lead contact data is encrypted with it.")
            .ValidateOnStart();
        services.AddSingleton<IContactProtector, Leads.ContactProtector>();
    }

    private static void AddTracking(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Tracking.TrackingOptions>().Bind(configuration.GetSection(Tracking.TrackingOptions.Section));
        services.AddOptions<Tracking.ClickWriterOptions>().Bind(configuration.GetSection(Tracking.ClickWriterOptions.Section));
        services.AddOptions<Domain.Tracking.ClickFraudOptions>().Bind(configuration.GetSection(Domain.Tracking.ClickFraudOptions.Section));
        services.AddOptions<Domain.Conversions.ConversionFraudOptions>().Bind(configuration.GetSection(Domain.Conversions.ConversionFraudOptions.Section));
        services.AddOptions<Application.Conversions.PostbackOptions>().Bind(configuration.GetSection(Application.Conversions.PostbackOptions.Section));
        services.AddOptions<Domain.Common.MoneyLimitsOptions>().Bind(configuration.GetSection(Domain.Common.MoneyLimitsOptions.Section))
            .Validate(Domain.Common.MoneyLimitsOptions.IsValid, Domain.Common.MoneyLimitsOptions.InvalidMessage).ValidateOnStart();
        services.AddSingleton<Application.Conversions.IPostbackAuthCache, Conversions.PostbackAuthCache>();
        services.AddSingleton<Conversions.PostbackLogWriter>();
        services.AddSingleton<Application.Conversions.IPostbackLogSink>(sp => sp.GetRequiredService<Conversions.PostbackLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<Conversions.PostbackLogWriter>());
        services.AddSingleton<Tracking.TrackingLinkCache>();
        services.AddSingleton<ITrackingLinkCache>(sp => sp.GetRequiredService<Tracking.TrackingLinkCache>());
        services.AddSingleton<IIpBlocklist, Tracking.IpBlocklist>();
        services.AddSingleton<Tracking.ClickInserter>();
        services.AddSingleton<Tracking.ClickWriter>();
        services.AddOptions<Tracking.ClickStreamOptions>().Bind(configuration.GetSection(Tracking.ClickStreamOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Tracking.ClickStreamOptions>>().Value);
        services.AddSingleton<IClickQueue>(sp => new Tracking.ClickQueue(sp.GetRequiredService<Tracking.ClickWriter>(), sp.GetService<Tracking.ClickStreamWriter>()));
        services.AddHostedService(sp => sp.GetRequiredService<Tracking.ClickWriter>());
    }

    private static int TimeoutMilliseconds(IConfiguration configuration) => configuration.GetValue("Redis:TimeoutMilliseconds", 1000);

    private static void AddRedis(IServiceCollection services, IConfiguration configuration)
    {
        var redis = configuration.GetConnectionString("Redis");
        var prefix = configuration["Redis:KeyPrefix"] ?? "lx:";
        services.AddSingleton(new RedisKeyPrefix(prefix));
        // The in-process stand-ins: the whole store with one node, the fallback while Redis is away with several.
        services.AddSingleton<InProcessKeyValueStore>();
        services.AddSingleton<InProcessRateCounters>();
        services.AddSingleton<Tracking.InProcessClickCounters>();
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IDedupStore, InProcessDedupStore>();
            services.AddSingleton<IRateCounters>(sp => sp.GetRequiredService<InProcessRateCounters>());
            services.AddSingleton<IRedisStatus, InProcessRedisStatus>();
            services.AddSingleton<IClickCounters>(sp => sp.GetRequiredService<Tracking.InProcessClickCounters>());
            services.AddSingleton<ITrafficCounters, Tracking.InProcessTrafficCounters>();
            services.AddSingleton<ICacheInvalidation, Tracking.InProcessCacheInvalidation>();
            return;
        }
        var options = ConfigurationOptions.Parse(redis);
        // Start even when Redis is down; the multiplexer reconnects by itself.
        options.AbortOnConnectFail = false;
        // A hot-path call waits at most this long for a Redis that hangs (the library's default is 5 s); a
        // timeout opens the circuit, so later requests do not wait at all. An explicit value in the string wins.
        if (!redis.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase)) options.SyncTimeout = TimeoutMilliseconds(configuration);
        if (!redis.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase)) options.AsyncTimeout = TimeoutMilliseconds(configuration);
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        var breakSeconds = configuration.GetValue("Redis:BreakSeconds", 5.0);
        services.AddSingleton(sp => new RedisCircuit(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(breakSeconds), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RedisCircuit>>()));
        services.AddSingleton<IDedupStore, RedisDedupStore>();
        services.AddSingleton<IRateCounters, RedisRateCounters>();
        services.AddSingleton<IRedisStatus, RedisStatus>();
        services.AddSingleton<IClickCounters, Tracking.RedisClickCounters>();
        services.AddSingleton<Tracking.ClickStreamWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<Tracking.ClickStreamWriter>());
        services.AddSingleton<ITrafficCounters, Tracking.RedisTrafficCounters>();
        services.AddSingleton<ICacheInvalidation, Tracking.RedisCacheInvalidation>();
        services.AddHostedService<Tracking.OfferChangeSubscriber>();
    }
}
