using LeadExchange.Application.Pricing;
using LeadExchange.Application.Pricing.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadExchange.Infrastructure.Pricing;

public static class PricingServices
{
    public static IServiceCollection AddPricing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PricingOptions>().Bind(configuration.GetSection(PricingOptions.Section));
        services.AddSingleton<PricingTablesCache>();
        services.AddScoped<IPriceQuoter, PriceQuoter>();
        services.AddScoped<PricingAdmin>();
        services.AddSingleton<IDemandSignalSource, NoOrderBookDemandSignals>();
        return services;
    }
}

/// <summary>
/// The order book does not exist yet (lead orders come with a later issue) and lead intake is not merged: no
/// orders, no supply. Demand therefore stays 1.0 everywhere and forecasts say "no supply data yet". Replace
/// with queries over active lead orders (niche, regions covering the region, max price, daily cap) and leads
/// received per (niche, region) once those tables exist.
/// </summary>
public sealed class NoOrderBookDemandSignals : IDemandSignalSource
{
    public Task<IReadOnlyList<DemandSignals>> LoadAsync(DateTime since, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<DemandSignals>>([]);

    public Task<IReadOnlyDictionary<string, int>> RecentSupplyAsync(string nicheCode, IReadOnlyCollection<string> regionCodes, DateTime since, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>());
}
