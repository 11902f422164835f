using LeadExchange.Application.Common.Interfaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Payments;

/// <summary>Says at start-up whether Stripe is on, so an operator sees manual mode in the first log lines.</summary>
public sealed class StripeStartupLog(IPaymentGateway gateway, IOptions<StripeOptions> options, ILogger<StripeStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (gateway.IsConfigured)
        {
            logger.LogInformation("Stripe: configured (API version {ApiVersion}{Base})", Stripe.StripeConfiguration.ApiVersion,
                string.IsNullOrWhiteSpace(o.ApiBase) ? "" : $", API base {o.ApiBase}");
            if (string.IsNullOrWhiteSpace(o.ConnectWebhookSecret))
                logger.LogWarning("Stripe: ConnectWebhookSecret is not set; /stripe/connect-webhook refuses events, so Connect onboarding never completes");
        }
        else
        {
            logger.LogInformation("Stripe: not configured, manual mode (admins credit top-ups and settle payouts by hand)");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
