namespace LeadExchange.Application.Common.Interfaces;

public sealed record CheckoutSessionResult(string SessionId, string Url);

public abstract record TransferResult
{
    public sealed record Succeeded(string TransferId) : TransferResult;
    /// <summary>Stripe said no for good (balance_insufficient, account_invalid, ...): return the money.</summary>
    public sealed record DefinitelyFailed(string Code, string Message) : TransferResult;
    /// <summary>Timeout, 5xx, 429, idempotency_key_in_use: we do not know; retry later with the same key.</summary>
    public sealed record Ambiguous(string Message) : TransferResult;
}

/// <summary>Stripe, behind a port. <see cref="IsConfigured"/> is false without keys (demo): manual mode.</summary>
public interface IPaymentGateway
{
    bool IsConfigured { get; }

    Task<CheckoutSessionResult> CreateCheckoutSessionAsync(Guid topUpId, string customerEmail, long amount, string currency,
        string successUrl, string cancelUrl, CancellationToken ct);

    Task<string> CreateConnectedAccountAsync(string userId, string email, CancellationToken ct);

    Task<string> CreateAccountLinkAsync(string accountId, string refreshUrl, string returnUrl, CancellationToken ct);

    Task<TransferResult> CreateTransferAsync(long amount, string currency, string destinationAccountId, string idempotencyKey,
        IReadOnlyDictionary<string, string> metadata, CancellationToken ct);
}
