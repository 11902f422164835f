using LeadExchange.Application.Common.Interfaces;

namespace LeadExchange.Infrastructure.Payments;

/// <summary>No Stripe keys configured (demo, local): pages say so and admins settle money by hand.</summary>
public sealed class NullPaymentGateway : IPaymentGateway
{
    public bool IsConfigured => false;

    private static InvalidOperationException NotConfigured() => new("Stripe is not configured (Stripe:SecretKey).");

    public Task<CheckoutSessionResult> CreateCheckoutSessionAsync(Guid topUpId, string customerEmail, long amount, string currency, string successUrl, string cancelUrl, CancellationToken ct) =>
        throw NotConfigured();

    public Task<string> CreateConnectedAccountAsync(string userId, string email, CancellationToken ct) => throw NotConfigured();

    public Task<string> CreateAccountLinkAsync(string accountId, string refreshUrl, string returnUrl, CancellationToken ct) => throw NotConfigured();

    public Task<TransferResult> CreateTransferAsync(long amount, string currency, string destinationAccountId, string idempotencyKey, IReadOnlyDictionary<string, string> metadata, CancellationToken ct) =>
        throw NotConfigured();
}
