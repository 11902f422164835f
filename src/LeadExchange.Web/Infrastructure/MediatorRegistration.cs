using LeadExchange.Application.Common.Behaviours;
using LeadExchange.Application.Common.Validation;
using LeadExchange.Application.Offers.Commands;
using MediatR;

namespace LeadExchange.Web.Infrastructure;

/// <summary>
/// MediatR 5.1.0 has no DI package here (docs/architecture.md): register the service factory, the mediator, every
/// handler and validator (Scrutor scan), the feature services the use cases share, and the pipeline in order: logging,
/// validation. Transactions are not a behaviour: each use case runs its own unit of work (IUnitOfWork) around exactly
/// what must commit together.
/// </summary>
public static class MediatorRegistration
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.Scan(scan => scan.FromAssemblyOf<CreateOfferCommand>()
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false).AsImplementedInterfaces().WithScopedLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IValidator<>)), publicOnly: false).AsImplementedInterfaces().WithScopedLifetime());
        services.AddScoped<LeadExchange.Application.Ledger.LedgerPoster>();
        services.AddSingleton<LeadExchange.Application.Ledger.LedgerAccountCache>();
        services.AddScoped<LeadExchange.Application.Ledger.EscrowService>();
        services.AddScoped<LeadExchange.Application.Payouts.PayoutSettlement>();
        services.AddScoped<LeadExchange.Application.Conversions.ConversionLifecycle>();
        services.AddSingleton<LeadExchange.Application.Conversions.ConversionWriter>();
        services.AddScoped<LeadExchange.Application.Buying.LeadDistributor>();
        services.AddScoped<LeadExchange.Application.Buying.LeadSeller>();
        services.AddScoped<LeadExchange.Application.Leads.SellerReturnRate>();
        services.AddSingleton<LeadExchange.Application.Leads.SellerReturnRateCache>();
        services.AddScoped<LeadExchange.Application.Reports.ReportRollupWriter>();
        services.AddScoped<LeadExchange.Application.Reports.ReportReader>();
        services.AddScoped<LeadExchange.Application.Ledger.BalanceReader>();
        services.AddScoped<LeadExchange.Application.Disputes.DisputeDecider>();
        services.AddScoped<LeadExchange.Application.Audit.IAuditLog, LeadExchange.Application.Audit.AuditLog>();
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        return services;
    }
}
