using System.Text.Json;
using LeadExchange.Application.Payouts;
using LeadExchange.Domain.Outbox;
using MediatR;

namespace LeadExchange.Infrastructure.Outbox;

public sealed class PayoutTransferOutboxHandler(IMediator mediator) : IOutboxHandler
{
    public string Type => PayoutMessages.Transfer;

    public async Task HandleAsync(OutboxMessage message, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<PayoutMessages.TransferPayload>(message.Payload)
                      ?? throw new InvalidOperationException("Empty payout transfer payload.");
        await mediator.Send(new ProcessPayoutTransferCommand(payload.PayoutId), ct);
    }
}
