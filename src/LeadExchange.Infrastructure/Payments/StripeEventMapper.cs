using LeadExchange.Application.Payments;
using Stripe;

namespace LeadExchange.Infrastructure.Payments;

/// <summary>Turns a verified Stripe.net <see cref="Event"/> into the application's command (Stripe.net types stay out of Application).</summary>
public static class StripeEventMapper
{
    public static HandleStripeEventCommand ToCommand(Event stripeEvent) =>
        new(stripeEvent.Id, stripeEvent.Type ?? "", stripeEvent.Data?.Object switch
        {
            Stripe.Checkout.Session s => new CheckoutSessionPayload(s.Id, s.PaymentStatus, s.AmountTotal, s.Currency?.ToUpperInvariant(),
                s.PaymentIntentId, s.ClientReferenceId, s.Metadata?.GetValueOrDefault("topup_id")),
            Charge c => new ChargePayload(c.Id, c.PaymentIntentId, c.Amount, c.AmountRefunded, c.Currency?.ToUpperInvariant()),
            Dispute d => new DisputePayload(d.Id, d.ChargeId, d.PaymentIntentId, d.Amount, d.Currency?.ToUpperInvariant(), d.Status),
            Account a => new ConnectedAccountPayload(a.Id, a.DetailsSubmitted, a.PayoutsEnabled, a.Capabilities?.Transfers),
            _ => null,
        });
}
