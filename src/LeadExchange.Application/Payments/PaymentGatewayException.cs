namespace LeadExchange.Application.Payments;

/// <summary>
/// Stripe refused or could not be reached for a call a user is waiting on (checkout session, connected
/// account, onboarding link). <see cref="Transient"/>: a timeout, 5xx or 429, so trying again may work.
/// Transfers never throw this: they answer a <see cref="Common.Interfaces.TransferResult"/> for the outbox.
/// </summary>
public sealed class PaymentGatewayException(string code, string message, bool transient, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;
    public bool Transient { get; } = transient;
}
