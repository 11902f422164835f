using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadExchange.Application.Buying;
using LeadExchange.Domain.Tracking;
using LeadExchange.Domain.Ledger;
using LeadExchange.Domain.Leads;
using LeadExchange.Domain.Payments;
using LeadExchange.IntegrationTests.Buying;
using LeadExchange.IntegrationTests.Conversions;
using LeadExchange.IntegrationTests.Infrastructure;
using LeadExchange.IntegrationTests.Leads;
using LeadExchange.IntegrationTests.Ledger;
using LeadExchange.IntegrationTests.Tracking;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace LeadExchange.IntegrationTests.MultiNode;

/// <summary>
/// Issue #9 "Several nodes": two app processes (<see cref="TwoNodeCluster"/>) on one PostgreSQL database and one Redis,
/// driven in parallel over HTTP, with background jobs on both. Each test races both nodes on one once-only rule and
/// checks the outcome in the database and with the admins' ledger reconciliation.
/// </summary>
public sealed class MultiNodeTests(TwoNodeCluster cluster, ITestOutputHelper output) : IClassFixture<TwoNodeCluster>
{
    /// <summary>
    /// How soon a change made through one node must show on the other's click path: the change commits, then every node
    /// evicts the offer's links when the Redis message arrives (milliseconds); 1 s leaves room for a loaded machine
    /// (docs/architecture.md "Click path" and "Several nodes").
    /// </summary>
    public static readonly TimeSpan InvalidationBound = TimeSpan.FromSeconds(1);

    private ProcessNode A => cluster.A;
    private ProcessNode B => cluster.B;

    [Fact]
    public async Task Postback_WhenDuplicatesSplitAcrossBothNodes_OneConversionOneChargeOnePostbackPerStatus()
    {
        await using var tracker = await PostbackReceiver.StartAsync();
        var s = await PostbackHarness.SetupAsync(A);
        await (await s.Webmaster.Client.PutJsonAsync("/api/v1/webmaster-postback",
            new { urlTemplate = tracker.BaseUrl + "/pb?c={click_id}&s={status}&t={txid}", enabled = true })).ExpectStatusAsync(HttpStatusCode.OK);
        // Node B writes the click; node A must find it too.
        var clickId = await PostbackHarness.ClickAsync(B, s.LinkCode);
        var query = PostbackHarness.Query(("click_id", clickId), ("goal", "deposit"), ("txid", "order-77"), ("token", s.Token));

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
            await (await PostbackHarness.GetAsync(cluster.Node(i), query)).ExpectOkAsync())));

        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Single(answers, a => !a.Duplicate);
        var conversion = await A.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.ClickId == clickId));
        var hold = await A.WithDbAsync(db => db.EscrowHolds.AsNoTracking().SingleAsync(h => h.AdvertiserId == s.Advertiser.UserId));
        Assert.Equal(conversion.HoldId, hold.Id);
        Assert.Equal(1, await A.WithDbAsync(db => db.JournalEntries.CountAsync(e => e.Reference == hold.Reference)));
        Assert.Equal(100_000, await LedgerHarness.BalanceAsync(A, AccountType.Escrow, s.Advertiser.UserId));
        Assert.Equal(10_000_000 - 100_000, await LedgerHarness.BalanceAsync(A, AccountType.AdvertiserBalance, s.Advertiser.UserId));

        // The same postback approving it, again 40 times through both nodes: one status change, every answer ok.
        var approve = PostbackHarness.Query(("click_id", clickId), ("goal", "deposit"), ("txid", "order-77"), ("status", "approved"), ("token", s.Token));
        var approvals = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            await (await PostbackHarness.GetAsync(cluster.Node(i), approve)).ExpectOkAsync())));

        Assert.All(approvals, a => Assert.Equal((conversion.Id.ToString(), "approved"), (a.Id, a.Status)));
        Assert.Single(approvals, a => !a.Duplicate);
        Assert.Equal(ConversionStatus.Approved, (await A.WithDbAsync(db => db.Conversions.AsNoTracking().SingleAsync(c => c.ClickId == clickId))).Status);
        await LedgerHarness.AssertReconciledAsync(B);
        // The webmaster's tracker hears of each status once, whichever node's outbox dispatcher sends it (two nodes may
        // send the two in either order).
        await WaitUntilAsync(() => Task.FromResult(tracker.Received.Count >= 2), TimeSpan.FromSeconds(30), () => $"tracker got {tracker.Received.Count} of 2");
        await Task.Delay(3 * TwoNodeCluster.JobInterval);
        Assert.Equal([$"/pb?c={clickId}&s=approved&t=order-77", $"/pb?c={clickId}&s=pending&t=order-77"], tracker.Received.Order(StringComparer.Ordinal));
        cluster.AssertNoJobFailed();
    }

    [Fact]
    public async Task SubmitLead_WhenEachPersonGoesToBothNodesAtOnce_OneAcceptedAndOneDuplicate()
    {
        const int people = 30;
        var webmaster = await A.RegisterAsync("webmaster");
        var onB = B.CreateClientWithKey(webmaster.ApiKey);
        var bodies = Enumerable.Range(0, people).Select(_ => LeadIntakeTests.Body(email: $"person-{TestServices.ShortId()}@example.com")).ToList();
        // Other people first, on both nodes: a cold node (first lead: code, caches, connections) would lose every pair.
        var warmUp = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            (await (await (i % 2 == 0 ? webmaster.Client : onB).PostJsonAsync("/api/v1/leads", LeadIntakeTests.Body()))
                .ExpectJsonAsync(HttpStatusCode.Created)).Str("leadId"))));

        // Both requests of a pair at once (node A's sent first for even pairs, node B's for odd ones); the pairs overlap,
        // started 20 ms apart so that neither node is always the slower one of a burst.
        var pairs = await Task.WhenAll(bodies.Select((body, i) => Task.Run(async () =>
        {
            await Task.Delay(20 * i);
            var (first, second) = i % 2 == 0 ? (webmaster.Client, onB) : (onB, webmaster.Client);
            var answers = await Task.WhenAll(first.PostJsonAsync("/api/v1/leads", body), second.PostJsonAsync("/api/v1/leads", body));
            return i % 2 == 0 ? answers : [answers[1], answers[0]]; // [node A's answer, node B's]
        })));

        var winners = new List<string>();
        var winsOnA = 0;
        foreach (var pair in pairs)
        {
            var accepted = Assert.Single(pair, r => r.StatusCode == HttpStatusCode.Created);
            var leadId = (await accepted.ExpectJsonAsync(HttpStatusCode.Created)).Str("leadId");
            var duplicate = await pair.Single(r => r != accepted).ExpectJsonAsync(HttpStatusCode.Conflict);
            Assert.Equal(("duplicate", leadId), (duplicate.Str("code"), duplicate.Str("duplicateOf")));
            winners.Add(leadId);
            if (accepted == pair[0]) winsOnA++;
        }
        output.WriteLine($"{people} people, each sent to both nodes at once: node A accepted {winsOnA}, node B {people - winsOnA}");
        var leads = await A.WithDbAsync(db => db.Leads.AsNoTracking().Where(l => l.SellerId == webmaster.UserId)
            .Select(l => new { l.Id, l.Status, l.DuplicateOf }).ToListAsync());
        Assert.Equal(winners.Concat(warmUp).Order(), leads.Where(l => l.Status == LeadStatus.OnSale).Select(l => l.Id.ToString()).Order());
        // The refused twin is kept as a rejected lead pointing at the accepted one.
        Assert.Equal(winners.Order(), leads.Where(l => l.Status == LeadStatus.Rejected).Select(l => l.DuplicateOf.ToString()!).Order());
        cluster.AssertNoJobFailed();
    }

    [Fact]
    public async Task Buy_WhenFiftyBuyersRaceForOneExclusiveLeadThroughBothNodes_OneSaleAndOneCharge()
    {
        var niche = await BuyingApi.NicheAsync(A);
        var seller = await B.RegisterAsync("webmaster");
        var buyers = (await Task.WhenAll(BuyingApi.AdvertisersAsync(A, 25), BuyingApi.AdvertisersAsync(B, 25))).SelectMany(b => b).ToList();
        var lead = await BuyingApi.SubmitLeadAsync(seller.Client, niche);
        var clients = buyers.Select((b, i) => cluster.Node(i).CreateClientWithKey(b.ApiKey)).ToList();

        var responses = await Task.WhenAll(clients.Select(c => Task.Run(() => BuyingApi.BuyAsync(c, lead.Id, exclusive: true))));

        await BuyingApi.AssertOneExclusiveWinnerAsync(A, buyers, responses, lead);
        Assert.Equal(1, await A.WithDbAsync(db => db.LeadSales.CountAsync(x => x.LeadId == lead.Id)));
        cluster.AssertNoJobFailed();
    }

    [Fact]
    public async Task Payouts_WhenJobsAndRequestsRunOnBothNodes_NoMoneyLeavesTwice()
    {
        // A bank transfer recorded through both nodes at once under one Idempotency-Key credits once.
        var advertiser = await A.RegisterAsync("advertiser");
        var wire = "wire-" + TestServices.ShortId();
        var topUps = await Task.WhenAll(cluster.Nodes.Select(async node =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/manual-top-ups")
            {
                Content = JsonContent.Create(new { email = advertiser.Email, amount = 10_000_000, currency = "RUB", note = "wire" }),
            };
            request.Headers.Add("Idempotency-Key", wire);
            return await (await node.AdminClientAsync()).SendAsync(request);
        }));
        await Assert.Single(topUps, r => r.StatusCode == HttpStatusCode.Created).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("duplicate_request", (await topUps.Single(r => r.StatusCode != HttpStatusCode.Created).ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        Assert.Equal(10_000_000, await LedgerHarness.BalanceAsync(A, AccountType.AdvertiserBalance, advertiser.UserId));

        // Four webmasters earn 700.00 each on an offer without a hold: both nodes' jobs release the holds and run the
        // scheduled payouts (every 1.2 s each), so every webmaster is due a payout on both nodes at once.
        var offerBody = PostbackHarness.OfferBody(holdDays: 0);
        var offerId = await OfferApi.CreateIdAsync(advertiser.Client, offerBody);
        var token = (await (await advertiser.Client.GetAsync("/api/v1/postback-settings")).ExpectJsonAsync(HttpStatusCode.OK)).Str("token");
        var webmasters = (await Task.WhenAll(Enumerable.Range(0, 4).Select(i => cluster.Node(i).RegisterAsync("webmaster")))).ToList();
        var links = await Task.WhenAll(webmasters.Select(async w => (await OfferApi.JoinAsync(w.Client, offerId)).Str("linkCode")));
        async Task EarnAsync(int i, string linkCode, string txid)
        {
            var clickId = await PostbackHarness.ClickAsync(cluster.Node(i), linkCode);
            await (await PostbackHarness.GetAsync(cluster.Node(i + 1),
                PostbackHarness.Query(("click_id", clickId), ("goal", "deposit"), ("txid", txid), ("token", token)))).ExpectOkAsync();
        }
        await Task.WhenAll(links.Select((link, i) => EarnAsync(i, link, "first")));

        var ids = webmasters.Select(w => w.UserId).ToList();
        await WaitUntilAsync(async () => await A.WithDbAsync(db => db.Payouts.CountAsync(p => ids.Contains(p.WebmasterId))) >= webmasters.Count,
            TimeSpan.FromSeconds(30), () => "every webmaster to get a scheduled payout");
        // Long enough for several more scheduled runs on each node: none may pay anyone again.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var scheduled = await A.WithDbAsync(db => db.Payouts.AsNoTracking().Where(p => ids.Contains(p.WebmasterId)).ToListAsync());
        Assert.Equal(ids.Order(), scheduled.Select(p => p.WebmasterId).Order());
        Assert.All(scheduled, p => Assert.Equal((70_000L, true, PayoutStatus.AwaitingManual), (p.Amount, p.Scheduled, p.Status)));
        foreach (var w in webmasters)
            Assert.Equal(0, await LedgerHarness.BalanceAsync(A, AccountType.WebmasterAvailable, w.UserId));

        // The first webmaster earns twice more (no scheduled payout: one was made this period) and asks for 500.00
        // ten times through both nodes: only the 1,400.00 available can leave.
        var first = webmasters[0];
        await Task.WhenAll(EarnAsync(0, links[0], "second"), EarnAsync(1, links[0], "third"));
        await WaitUntilAsync(async () => await LedgerHarness.BalanceAsync(A, AccountType.WebmasterAvailable, first.UserId) == 140_000,
            TimeSpan.FromSeconds(30), () => "the new earnings to be released");
        var requests = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            cluster.Node(i).CreateClientWithKey(first.ApiKey).PostJsonAsync("/api/v1/payouts", new { amount = 50_000, currency = "RUB" }))));
        Assert.Equal(2, requests.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in requests.Where(r => r.StatusCode != HttpStatusCode.Created))
            Assert.Equal("insufficient_funds", (await refused.ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        Assert.Equal(40_000, await LedgerHarness.BalanceAsync(A, AccountType.WebmasterAvailable, first.UserId));

        // An admin on each node marks every payout paid at the same moment: each is paid once.
        var payouts = await A.WithDbAsync(db => db.Payouts.AsNoTracking().Where(p => ids.Contains(p.WebmasterId)).ToListAsync());
        Assert.Equal(webmasters.Count + 2, payouts.Count);
        foreach (var payout in payouts)
        {
            var settled = await Task.WhenAll(cluster.Nodes.Select(async node => await (await node.AdminClientAsync())
                .PostJsonAsync($"/api/v1/admin/payouts/{payout.Id}/settlement", new { paid = true, reference = "wire " + payout.Id.ToString("N")[..6] })));
            await Assert.Single(settled, r => r.StatusCode == HttpStatusCode.OK).ExpectJsonAsync(HttpStatusCode.OK);
            Assert.Equal("payout_settled", (await settled.Single(r => r.StatusCode != HttpStatusCode.OK).ExpectProblemAsync(HttpStatusCode.Conflict)).Str("code"));
        }
        var references = payouts.Select(p => p.Reference).ToList();
        var entries = await A.WithDbAsync(db => db.JournalEntries.AsNoTracking().Where(e => references.Contains(e.Reference))
            .Select(e => new { e.Type, e.Reference }).ToListAsync());
        Assert.Equal(references.Order(), entries.Where(e => e.Type == JournalEntryType.Payout).Select(e => e.Reference).Order());
        Assert.Equal(references.Order(), entries.Where(e => e.Type == JournalEntryType.PayoutPaid).Select(e => e.Reference).Order());
        Assert.Equal(webmasters.Count * 70_000 + 2 * 50_000, payouts.Sum(p => p.Amount));
        foreach (var w in webmasters)
            Assert.Equal(0, await LedgerHarness.BalanceAsync(A, AccountType.PayoutsInTransit, w.UserId));
        await LedgerHarness.AssertReconciledAsync(B);
        cluster.AssertNoJobFailed();
    }

    [Fact]
    public async Task Outbox_WhenBothNodesDispatch_EachBuyerWebhookIsDeliveredOnce()
    {
        const int leads = 30;
        // A slow CRM keeps deliveries in flight, so both nodes' dispatchers find the same due messages.
        await using var crm = await BuyerWebhookReceiver.StartAsync();
        crm.Delay = TimeSpan.FromMilliseconds(100);
        var niche = await BuyingApi.NicheAsync(A);
        var buyer = await BuyingApi.AdvertiserAsync(A);
        crm.Secret = (await (await buyer.Client.PutJsonAsync("/api/v1/webhook", new { url = crm.Url, enabled = true })).ExpectJsonAsync(HttpStatusCode.OK)).Str("secret");
        await BuyingApi.CreateOrderAsync(buyer.Client, BuyingApi.OrderBody(niche, BuyingApi.High, exclusive: true));
        var seller = await B.RegisterAsync("webmaster");
        var sellerOnA = A.CreateClientWithKey(seller.ApiKey);

        // Each lead is sold to the buyer's order at intake, on whichever node took it: one outbox message per sale.
        var sold = await Task.WhenAll(Enumerable.Range(0, leads).Select(i => Task.Run(() =>
            BuyingApi.SubmitAsync(i % 2 == 0 ? sellerOnA : seller.Client, BuyingApi.LeadBody(niche)))));

        Assert.All(sold, l => Assert.Equal(("sold", 1), (l.Status, l.SoldTo)));
        var sales = await A.WithDbAsync(db => db.LeadSales.AsNoTracking().Where(x => x.BuyerId == buyer.UserId).Select(x => x.Id).ToListAsync());
        Assert.Equal(leads, sales.Count);
        await WaitUntilAsync(() => Task.FromResult(crm.Received.Count >= leads), TimeSpan.FromSeconds(60), () => $"the CRM got {crm.Received.Count} of {leads}");
        // A second delivery of anything would come within the next job ticks.
        await Task.Delay(3 * TwoNodeCluster.JobInterval);

        var received = crm.Received.ToArray();
        Assert.Equal(leads, received.Length);
        Assert.All(received, r => Assert.True(r.SignatureValid));
        Assert.Equal(leads, received.Select(r => r.Header("X-LeadExchange-Delivery")).Distinct().Count());
        Assert.Equal(sales.Order(), received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("saleId").GetGuid()).Order());
        var messages = await A.WithDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.Type == BuyerWebhookMessages.Type && m.Payload.Contains(buyer.UserId)).ToListAsync());
        Assert.Equal(leads, messages.Count);
        // Claimed once each (a claim counts an attempt) and done.
        Assert.All(messages, m => Assert.Equal((1, true, false), (m.Attempts, m.ProcessedAt is not null, m.DeadLettered)));
        var byNode = messages.GroupBy(m => cluster.NodeNameOf(m.LockedBy)).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{leads} webhooks delivered: {string.Join(", ", byNode.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}");
        Assert.True(byNode.Count == 2, $"Both nodes should have delivered some: {string.Join(", ", byNode.Select(p => $"{p.Key} {p.Value}"))}");
        var log = await (await buyer.Client.GetAsync("/api/v1/webhook/deliveries?pageSize=200")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(leads, log.Items().Count());
        cluster.AssertNoJobFailed();
    }

    [Fact]
    public async Task PauseOffer_ThroughNodeA_StopsItsLinkOnNodeBWithinTheBound()
    {
        output.WriteLine($"both nodes started (from the migration to both ready) in {cluster.StartupTime.TotalSeconds:F1} s");
        var s = await PostbackHarness.SetupAsync(A, topUp: 0);
        var redirects = 0;
        async Task<HttpStatusCode> ClickAsync(ProcessNode node)
        {
            var status = await ClickStatusAsync(node, s.LinkCode);
            if (status == HttpStatusCode.Redirect) Interlocked.Increment(ref redirects);
            return status;
        }
        // Both nodes serve the link from their caches now.
        Assert.Equal(HttpStatusCode.Redirect, await ClickAsync(B));
        Assert.Equal(HttpStatusCode.Redirect, await ClickAsync(A));

        var stopped = await TimeUntilSettledAsync(() => ClickAsync(B), HttpStatusCode.NotFound,
            () => OfferApi.SetStatusAsync(s.Advertiser.Client, s.OfferId, "pause", "paused"));
        Assert.Equal(HttpStatusCode.NotFound, await ClickAsync(A));
        var resumed = await TimeUntilSettledAsync(() => ClickAsync(B), HttpStatusCode.Redirect,
            () => OfferApi.SetStatusAsync(s.Advertiser.Client, s.OfferId, "activate", "active"));

        output.WriteLine($"paused through node A: node B stopped redirecting {stopped.TotalMilliseconds:F0} ms after the answer; " +
                         $"activated: node B redirected again after {resumed.TotalMilliseconds:F0} ms (bound {InvalidationBound.TotalMilliseconds:F0} ms)");
        Assert.True(stopped < InvalidationBound, $"Node B still redirected {stopped.TotalMilliseconds:F0} ms after the pause.");
        Assert.True(resumed < InvalidationBound, $"Node B still answered 404 {resumed.TotalMilliseconds:F0} ms after the offer was activated again.");
        // Every redirect recorded its click (written in batches), and no 404 recorded one, on either node.
        var offerId = Guid.Parse(s.OfferId);
        await WaitUntilAsync(async () => await A.WithDbAsync(db => db.Clicks.CountAsync(c => c.OfferId == offerId)) >= redirects,
            TimeSpan.FromSeconds(10), () => $"{redirects} clicks to be written");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(redirects, await A.WithDbAsync(db => db.Clicks.CountAsync(c => c.OfferId == offerId)));
        cluster.AssertNoJobFailed();
    }

    [Fact]
    public async Task SignIn_OnNodeA_CookieAndAntiforgeryTokenWorkOnNodeB()
    {
        // One browser, two nodes behind a balancer without sticky sessions: every request may land on the other node.
        var webmaster = await A.RegisterAsync("webmaster");
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<HttpResponseMessage> SendAsync(ProcessNode node, HttpMethod method, string path, HttpContent? body = null)
        {
            using var request = new HttpRequestMessage(method, node.BaseUrl + path) { Content = body };
            if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await browser.SendAsync(request);
            foreach (var setCookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = setCookie.Split(';')[0].Split('=', 2);
                cookies[pair[0]] = pair[1];
            }
            return response;
        }
        async Task<string> TokenAsync(ProcessNode node, string path)
        {
            var html = await (await SendAsync(node, HttpMethod.Get, path)).ExpectStatusAsync(HttpStatusCode.OK);
            var token = LeadForms.LeadFormHarness.AntiforgeryField().Match(html).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(token), $"No antiforgery token on {path} of {node.Name}.");
            return WebUtility.HtmlDecode(token);
        }

        // The sign-in form comes from node A and is posted to node B (its antiforgery cookie and token were made by A).
        var loginToken = await TokenAsync(A, "/account/login");
        var signIn = await SendAsync(B, HttpMethod.Post, "/account/login", LeadForms.LeadFormHarness.Form(
            ("Email", webmaster.Email), ("Password", webmaster.Password), ("__RequestVerificationToken", loginToken)));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.True(cookies.ContainsKey("lx.auth"), "No sign-in cookie from node B.");

        // The cookie node B issued opens pages on node A, and a form from A is accepted by B (sign out).
        await (await SendAsync(A, HttpMethod.Get, "/Webmaster/Home/Index")).ExpectStatusAsync(HttpStatusCode.OK);
        await (await SendAsync(B, HttpMethod.Get, "/Webmaster/Home/Index")).ExpectStatusAsync(HttpStatusCode.OK);
        var logoutToken = await TokenAsync(A, "/Webmaster/Home/Index");
        var signOut = await SendAsync(B, HttpMethod.Post, "/account/logout", LeadForms.LeadFormHarness.Form(("__RequestVerificationToken", logoutToken)));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
    }

    /// <summary>A visitor's click on <paramref name="node"/> (a fresh address each time): 302 to the landing or 404.</summary>
    private static async Task<HttpStatusCode> ClickStatusAsync(ProcessNode node, string linkCode)
    {
        using var client = node.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/c/{linkCode}");
        request.Headers.TryAddWithoutValidation("User-Agent", PostbackHarness.Browser);
        request.Headers.Add("X-Forwarded-For", ClickFactory.NextIp());
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// Clicks without pause from before <paramref name="change"/> until every answer has been <paramref name="expected"/> for
    /// 2.5 s (longer than the 2 s second eviction, so a stale row cached again in the gap before the change's commit shows up
    /// as late answers). Returns how long after <paramref name="change"/> returned the first click was sent from which on
    /// every answer was <paramref name="expected"/> (zero if they already were).
    /// </summary>
    private static async Task<TimeSpan> TimeUntilSettledAsync(Func<Task<HttpStatusCode>> click, HttpStatusCode expected, Func<Task> change)
    {
        var settleFor = TimeSpan.FromSeconds(2.5);
        var clock = Stopwatch.StartNew();
        var answers = new List<(TimeSpan SentAt, HttpStatusCode Status)>();
        using var stop = new CancellationTokenSource();
        var clicking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sentAt = clock.Elapsed;
                var status = await click();
                lock (answers) answers.Add((sentAt, status));
                await Task.Delay(5);
            }
        });
        await Task.Delay(100);
        await change();
        var changedAt = clock.Elapsed;
        bool Settled()
        {
            lock (answers)
                return clock.Elapsed - changedAt > settleFor && answers.Count > 0 && answers[^1].Status == expected
                       && answers.Where(a => a.SentAt >= clock.Elapsed - settleFor).All(a => a.Status == expected);
        }
        // Well past the bound, short of the 60 s cache TTL: a lost invalidation fails here instead of passing late.
        while (!Settled() && clock.Elapsed - changedAt < TimeSpan.FromSeconds(15)) await Task.Delay(50);
        await stop.CancelAsync();
        await clicking;
        Assert.True(Settled(), $"The link did not answer {(int)expected} steadily within 15 s of the change.");
        var lastOther = answers.FindLastIndex(a => a.Status != expected);
        var turnedAt = answers[lastOther + 1].SentAt;
        return turnedAt > changedAt ? turnedAt - changedAt : TimeSpan.Zero;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> waitingFor)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
                Assert.Fail($"Gave up after {timeout.TotalSeconds} s waiting for {waitingFor()}.\n{cluster.LogTails()}");
            await Task.Delay(100);
        }
    }
}
