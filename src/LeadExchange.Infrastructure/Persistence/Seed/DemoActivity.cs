using System.Text.Json;
using LeadExchange.Application.Buying;
using LeadExchange.Application.Common.Exceptions;
using LeadExchange.Application.Common.Interfaces;
using LeadExchange.Application.Leads;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Disputes;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Reference;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadExchange.Infrastructure.Persistence.Seed;

/// <summary>
/// A little activity for a fresh demo database (Demo:SampleActivity, on by default; tests turn it off), so every
/// role's pages have something to show on first run: leads from the demo webmaster on sale in the catalog, two
/// of them bought by the demo advertiser (one of them disputed, waiting in the moderators' queue), and a paused
/// lead order to resume. Everything goes through the same commands as real traffic (intake, sale), so money and
/// dedup are as real as anywhere else.
/// </summary>
public sealed class DemoActivity(AppDbContext db, IMediator mediator, IUnitOfWork uow, LeadSeller seller, IClock clock, ILogger<DemoActivity> logger)
{
    private sealed record Sample(string Niche, string Region, string Name, string Phone, string? Email, Dictionary<string, object> Fields, int FillSeconds);

    private static readonly Sample[] Samples =
    [
        new("real-estate", "RU-MOW", "Anna Smirnova", "+7 916 200-11-01", "anna.smirnova@mail.example", new() { ["deal_type"] = "buy", ["rooms"] = 2, ["budget"] = 14_000_000, ["timeframe"] = "now" }, 52),
        new("real-estate", "RU-SPE", "Pavel Orlov", "+7 921 200-11-02", null, new() { ["deal_type"] = "rent", ["rooms"] = 1, ["budget"] = 60_000, ["timeframe"] = "later" }, 35),
        new("legal", "RU-MOW", "Irina Volkova", "+7 903 200-11-03", "i.volkova@mail.example", new() { ["practice_area"] = "family", ["description"] = "Divorce and child custody" }, 64),
        new("legal", "RU-MUR", "Oleg Petrov", "+7 911 200-11-04", null, new() { ["practice_area"] = "labour" }, 28),
        new("credit", "RU-MOW", "Dmitry Sokolov", "+7 925 200-11-05", "d.sokolov@mail.example", new() { ["amount"] = 500_000, ["term_months"] = 24, ["purpose"] = "consumer", ["employment"] = "employed" }, 47),
        new("credit", "RU-SPE", "Elena Kuznetsova", "+7 981 200-11-06", "elena.k@mail.example", new() { ["amount"] = 1_200_000, ["term_months"] = 60, ["purpose"] = "refinancing" }, 71),
    ];

    public async Task SeedAsync(string advertiserId, string webmasterId, CancellationToken ct)
    {
        if (await db.Leads.AnyAsync(l => l.SellerId == webmasterId, ct)) return;
        var now = clock.UtcNow;
        var leadIds = new List<Guid>();
        foreach (var s in Samples)
        {
            var fields = s.Fields.ToDictionary(f => f.Key, f => JsonSerializer.SerializeToElement(f.Value));
            var input = new SubmitLeadInput(s.Niche, s.Region, s.Name, s.Phone, s.Email, fields,
                new ConsentInput("I agree to be contacted about my request.", now.AddMinutes(-5), "https://demo.example/form", "198.51.100.7"),
                Sub1: "demo", FormFillSeconds: s.FillSeconds);
            try
            {
                var result = await mediator.Send(new SubmitLeadCommand(input, LeadSource.Form, FormSellerId: webmasterId, SubmitIp: "198.51.100.7"), ct);
                if (result.HttpStatus == 201) leadIds.Add(result.Answer.LeadId);
                else logger.LogWarning("Demo lead for {Niche} not accepted: {Status} {Message}", s.Niche, result.HttpStatus, result.Answer.Message);
            }
            catch (ValidationException ex)
            {
                // Demo data must never stop the app: say what the sample got wrong and go on.
                logger.LogWarning("Demo lead for {Niche} refused: {Errors}", s.Niche,
                    string.Join("; ", ex.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            }
        }

        // Two purchases for the demo advertiser (their contacts are visible in the inbox), the second one disputed.
        var sales = new List<SaleResult>();
        foreach (var leadId in leadIds.Where((_, i) => i is 0 or 2))
            sales.Add(await uow.RunAsync(token => seller.SellAsync(new SaleRequest(leadId, advertiserId, null, true, SaleChannel.Catalog), token), ct));
        if (sales.Count == 2)
        {
            var sale = await db.LeadSales.AsNoTracking().FirstAsync(x => x.Id == sales[1].SaleId, ct);
            var dispute = Dispute.Open(sale.Id, sale.LeadId, advertiserId, sale.SellerId, sale.NicheCode, sale.Currency, sale.Price, sale.HoldId,
                DisputeReason.InvalidPhone, "Demo: the number does not answer; called three times.", now, 48);
            db.Disputes.Add(dispute);
            await db.EscrowHolds.Where(h => h.Id == sale.HoldId && h.Status == HoldStatus.Held).ExecuteUpdateAsync(x => x.SetProperty(h => h.Frozen, true), ct);
        }

        // A paused order: resuming it shows distribution at work on the next lead.
        var order = LeadOrder.Create(advertiserId, "RUB", new LeadOrderTerms("Moscow real estate (demo)", "real-estate", ["RU-MOW", "RU-MOS"], 1_000_000,
            Temperature.Warm, false, 20, 300, 5_000_000, [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            9, 20, "Europe/Moscow"), now);
        order.Pause("Paused in the demo: resume it to buy new Moscow real-estate leads automatically.", false, now);
        db.LeadOrders.Add(order);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded demo activity: {Leads} leads, {Sales} purchases, 1 dispute, 1 paused order", leadIds.Count, sales.Count);
    }
}
