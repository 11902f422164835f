using System.Net;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Payments;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace LeadExchange.Infrastructure.Payments;

/// <summary>
/// Stripe through Stripe.net's StripeClient (API version pinned by the library: StripeConfiguration.ApiVersion).
/// Stripe.net's network retries are off (0): a transfer's retry belongs to the outbox, which repeats it
/// later with the same idempotency key, and a user-facing call should fail within one timeout.
/// </summary>
public sealed class StripePaymentGateway : IPaymentGateway, IDisposable
{
    /// <summary>Error codes that mean the transfer did not and will not happen as asked: the money goes back.</summary>
    private static readonly HashSet<string> KnownDefiniteTransferCodes =
        ["balance_insufficient", "insufficient_capabilities_for_transfer", "account_invalid"];

    private readonly HttpClient _http;
    private readonly StripeClient _client;
    private readonly StripeOptions _options;
    private readonly ILogger<StripePaymentGateway> _logger;

    public StripePaymentGateway(IOptions<StripeOptions> options, ILogger<StripePaymentGateway> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (!_options.IsConfigured) throw new InvalidOperationException("StripePaymentGateway needs Stripe:SecretKey.");
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
        };
        var clientOptions = new StripeClientOptions
        {
            ApiKey = _options.SecretKey,
            HttpClient = new SystemNetHttpClient(_http, maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
        };
        if (!string.IsNullOrWhiteSpace(_options.ApiBase)) clientOptions.ApiBase = _options.ApiBase.TrimEnd('/');
        if (!string.IsNullOrWhiteSpace(_options.ConnectBase)) clientOptions.ConnectBase = _options.ConnectBase.TrimEnd('/');
        if (!string.IsNullOrWhiteSpace(_options.FilesBase)) clientOptions.FilesBase = _options.FilesBase.TrimEnd('/');
        _client = new StripeClient(clientOptions);
    }

    public bool IsConfigured => true;

    public async Task<CheckoutSessionResult> CreateCheckoutSessionAsync(Guid topUpId, string customerEmail, long amount, string currency,
        string successUrl, string cancelUrl, CancellationToken ct)
    {
        var metadata = new Dictionary<string, string> { ["topup_id"] = topUpId.ToString("D") };
        var options = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = topUpId.ToString("D"),
            CustomerEmail = string.IsNullOrWhiteSpace(customerEmail) ? null : customerEmail,
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = currency.ToLowerInvariant(),
                        UnitAmount = amount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = _options.TopUpProductName },
                    },
                },
            ],
            Metadata = metadata,
            // The same id on the payment intent, so an operator can match charges in the dashboard.
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string>(metadata) },
        };
        var session = await CallAsync("checkout session", () => _client.V1.Checkout.Sessions.CreateAsync(options,
            new RequestOptions { IdempotencyKey = $"topup-{topUpId:N}" }, ct), ct);
        if (string.IsNullOrEmpty(session.Url))
            throw new PaymentGatewayException("stripe_no_url", "Stripe returned a checkout session without a URL.", transient: false);
        return new CheckoutSessionResult(session.Id, session.Url);
    }

    public async Task<string> CreateConnectedAccountAsync(string userId, string email, CancellationToken ct)
    {
        var options = new AccountCreateOptions
        {
            Type = "express",
            Email = string.IsNullOrWhiteSpace(email) ? null : email,
            Capabilities = new AccountCapabilitiesOptions
            {
                Transfers = new AccountCapabilitiesTransfersOptions { Requested = true },
            },
            Metadata = new Dictionary<string, string> { ["user_id"] = userId },
        };
        // One account per user even if two onboarding requests race (within Stripe's 24 h key window).
        var account = await CallAsync("connected account", () => _client.V1.Accounts.CreateAsync(options,
            new RequestOptions { IdempotencyKey = $"connect-account-{userId}" }, ct), ct);
        return account.Id;
    }

    public async Task<string> CreateAccountLinkAsync(string accountId, string refreshUrl, string returnUrl, CancellationToken ct)
    {
        var options = new AccountLinkCreateOptions
        {
            Account = accountId,
            RefreshUrl = refreshUrl,
            ReturnUrl = returnUrl,
            Type = "account_onboarding",
        };
        var link = await CallAsync("account link", () => _client.V1.AccountLinks.CreateAsync(options, null, ct), ct);
        return link.Url;
    }

    public async Task<TransferResult> CreateTransferAsync(long amount, string currency, string destinationAccountId, string idempotencyKey,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct)
    {
        var options = new TransferCreateOptions
        {
            Amount = amount,
            Currency = currency.ToLowerInvariant(),
            Destination = destinationAccountId,
            Metadata = metadata.ToDictionary(m => m.Key, m => m.Value),
        };
        try
        {
            var transfer = await _client.V1.Transfers.CreateAsync(options, new RequestOptions { IdempotencyKey = idempotencyKey }, ct);
            return new TransferResult.Succeeded(transfer.Id);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Classify(ex) is { } failure)
        {
            var (definite, code, message) = failure;
            _logger.Log(definite ? LogLevel.Warning : LogLevel.Information, ex,
                "Stripe transfer {Key} to {Account}: {Kind} {Code}", idempotencyKey, destinationAccountId, definite ? "failed" : "outcome unknown", code);
            return definite
                ? new TransferResult.DefinitelyFailed(code, TransferFailureReason(code, message))
                : new TransferResult.Ambiguous($"{code}: {message}");
        }
    }

    /// <summary>Runs a user-facing call; any failure becomes a <see cref="PaymentGatewayException"/> (transient when ambiguous).</summary>
    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && Classify(ex) is { } failure)
        {
            var (definite, code, message) = failure;
            _logger.LogWarning(ex, "Stripe {What} failed: {Code} {Message}", what, code, message);
            throw new PaymentGatewayException(code, $"Stripe could not create the {what}: {message}", transient: !definite, ex);
        }
    }

    /// <summary>
    /// (definite?, code, message) for a failed call, or null for exceptions that are not Stripe's or the
    /// network's. Definite: a 4xx with an error body, except 409 (idempotency_key_in_use: the first
    /// request is still running), 429 (rate limited), idempotency_error (a request with this key but other
    /// parameters happened, so it may have paid) and anything Stripe marks Stripe-Should-Retry: true.
    /// Ambiguous: timeouts, connection failures, 5xx: the request may or may not have been carried out.
    /// </summary>
    internal static (bool Definite, string Code, string Message)? Classify(Exception ex)
    {
        switch (ex)
        {
            case StripeException stripe when stripe.StripeError is not null && (int)stripe.HttpStatusCode >= 400:
            {
                var status = (int)stripe.HttpStatusCode;
                var error = stripe.StripeError;
                var code = error.Code ?? error.Type ?? $"http_{status}";
                var message = error.Message ?? stripe.Message;
                var shouldRetry = stripe.StripeResponse?.Headers is { } headers
                                  && headers.TryGetValues("Stripe-Should-Retry", out var values) && values.Any(v => v == "true");
                var ambiguous = status >= 500 || status == (int)HttpStatusCode.TooManyRequests || status == (int)HttpStatusCode.Conflict
                                || code is "idempotency_key_in_use" or "lock_timeout" or "rate_limit"
                                || error.Type is "idempotency_error" or "api_error" or "rate_limit_error"
                                || shouldRetry;
                if (KnownDefiniteTransferCodes.Contains(code)) ambiguous = false;
                return (!ambiguous, code, message);
            }
            case StripeException stripe:
                // No error body: the request failed on the way (Stripe.net wraps network errors) or the answer was unreadable.
                return (false, stripe.InnerException is TaskCanceledException or TimeoutException ? "timeout" : "network_error", stripe.Message);
            case TaskCanceledException or TimeoutException:
                return (false, "timeout", "No answer from Stripe within the timeout.");
            case HttpRequestException http:
                return (false, "network_error", http.Message);
            default:
                return null;
        }
    }

    private static string TransferFailureReason(string code, string stripeMessage)
    {
        var reason = code switch
        {
            "balance_insufficient" => "The platform's Stripe balance cannot cover this payout right now.",
            "insufficient_capabilities_for_transfer" => "Your Stripe account cannot receive transfers yet; finish Stripe onboarding.",
            "account_invalid" => "Your Stripe account is not valid for transfers; contact support or onboard again.",
            _ => $"Stripe refused the transfer: {stripeMessage}",
        };
        return reason.Length <= 500 ? reason : reason[..500];
    }

    public void Dispose() => _http.Dispose();
}
