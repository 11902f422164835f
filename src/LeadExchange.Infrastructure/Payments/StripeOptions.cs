using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Payments;

/// <summary>
/// Section "Stripe". Without SecretKey the app runs in manual mode (NullPaymentGateway): admins credit
/// top-ups and settle payouts by hand. Secrets come from the environment (Stripe__SecretKey, ...), never the repo.
/// </summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>sk_live_... / sk_test_... (or a restricted key rk_... allowed to create checkout sessions, accounts, account links, transfers).</summary>
    public string? SecretKey { get; set; }

    /// <summary>Signing secret (whsec_...) of the platform endpoint /stripe/webhook.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Signing secret (whsec_...) of the Connect endpoint /stripe/connect-webhook.</summary>
    public string? ConnectWebhookSecret { get; set; }

    /// <summary>Stripe's API base; only set to point Stripe.net at a Stripe-compatible test server.</summary>
    public string? ApiBase { get; set; }

    public string? ConnectBase { get; set; }

    public string? FilesBase { get; set; }

    /// <summary>HTTP timeout of one Stripe call. Stripe.net's own retries are off: the outbox retries transfers with the same idempotency key.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>How old a webhook signature may be (seconds), as Stripe recommends: 300.</summary>
    [Range(1, 3600)]
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>Currency of a top-up or payout request that names none.</summary>
    public string DefaultCurrency { get; set; } = "RUB";

    /// <summary>The line item's name on the Checkout page.</summary>
    [Required, MaxLength(200)]
    public string TopUpProductName { get; set; } = "LeadExchange balance top-up";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey);

    /// <summary>Start-up checks beyond the attributes: a key without the webhook secret could never credit a top-up.</summary>
    public IEnumerable<string> Problems()
    {
        if (IsConfigured && string.IsNullOrWhiteSpace(WebhookSecret))
            yield return "Stripe:SecretKey is set but Stripe:WebhookSecret is not: top-ups could never be credited.";
        if (!Domain.Common.Currencies.IsSupported(DefaultCurrency?.Trim().ToUpperInvariant()))
            yield return $"Stripe:DefaultCurrency must be one of {string.Join(", ", Domain.Common.Currencies.Supported)}.";
        foreach (var (name, value) in new[] { ("ApiBase", ApiBase), ("ConnectBase", ConnectBase), ("FilesBase", FilesBase) })
            if (!string.IsNullOrWhiteSpace(value) && !Uri.TryCreate(value, UriKind.Absolute, out _))
                yield return $"Stripe:{name} must be an absolute URL.";
    }
}

/// <summary>Fails start-up (ValidateOnStart) with every Stripe configuration problem spelled out.</summary>
public sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
