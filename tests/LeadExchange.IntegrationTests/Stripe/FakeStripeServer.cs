using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace LeadExchange.IntegrationTests.Stripe;

/// <summary>What the fake does to the next matching requests, in front of (or around) the real handling.</summary>
public enum FaultKind
{
    /// <summary>500 api_error before anything is done; nothing is stored under the idempotency key.</summary>
    ServerError,
    /// <summary>429 rate_limit with Stripe-Should-Retry: true, before anything is done.</summary>
    RateLimited,
    /// <summary>
    /// Holds the request (its idempotency key in flight) for the delay, then handles it normally. If the
    /// client gives up first (its timeout), nothing is done and the key is released.
    /// </summary>
    DelayBeforeProcessing,
    /// <summary>Handles the request (the transfer IS created and its answer stored), then holds the answer for the delay.</summary>
    ProcessThenDelay,
}

/// <summary>A request the fake holds (idempotency key in flight) until the test releases it: deterministic "slow Stripe".</summary>
public sealed class FakeHold
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held request has reached the fake (its key is then in flight).</summary>
    public Task Arrived => _arrived.Task;

    internal Task Released => _released.Task;

    internal void MarkArrived() => _arrived.TrySetResult();

    /// <summary>Lets the held request be processed.</summary>
    public void Release() => _released.TrySetResult();
}

public sealed record RecordedRequest(string Method, string Path, string? IdempotencyKey, IReadOnlyDictionary<string, string> Form, int Status, bool Replayed);

/// <summary>
/// A small Stripe-compatible API on 127.0.0.1:&lt;free port&gt; for Stripe.net (StripeClientOptions.ApiBase):
/// form-encoded bodies with bracketed keys, Stripe-shaped objects and errors, idempotency keys (replay,
/// 400 on other parameters, 409 while in flight), a platform balance per currency, account capabilities,
/// and fault injection. Only what LeadExchange uses: checkout sessions, accounts, account links,
/// transfers, reversals, balance. Helpers build the objects that Stripe would put into webhook events.
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_leadexchange";

    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _sessions = new();
    private readonly Dictionary<string, JsonObject> _accounts = new();
    private readonly Dictionary<string, JsonObject> _transfers = new();
    private readonly Dictionary<string, JsonObject> _reversals = new();
    private readonly Dictionary<string, JsonObject> _charges = new();
    private readonly Dictionary<string, long> _available = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IdempotencyEntry> _idempotency = new();
    private readonly List<Fault> _faults = [];
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    private sealed class IdempotencyEntry(string fingerprint)
    {
        public string Fingerprint { get; } = fingerprint;
        public bool InFlight { get; set; } = true;
        public int Status { get; set; }
        public string Body { get; set; } = "";
    }

    private sealed class Fault(string method, string pathPrefix, FaultKind kind, int remaining, TimeSpan delay, FakeHold? hold = null)
    {
        public FakeHold? Hold { get; } = hold;
        public string Method { get; } = method;
        public string PathPrefix { get; } = pathPrefix;
        public FaultKind Kind { get; } = kind;
        public int Remaining { get; set; } = remaining;
        public TimeSpan Delay { get; } = delay;
    }

    private sealed record Answer(int Status, string Body, Dictionary<string, string>? Headers = null);

    private FakeStripeServer() => ResetBalances();

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyCollection<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<FakeStripeServer> StartAsync()
    {
        var server = new FakeStripeServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server._app = app;
        server.BaseUrl = app.Urls.First().TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    // ---------------------------------------------------------------- test controls

    /// <summary>The platform's available Stripe balance in a currency (minor units).</summary>
    public void SetAvailableBalance(string currency, long amount)
    {
        lock (_gate) _available[currency.ToLowerInvariant()] = amount;
    }

    public long AvailableBalance(string currency)
    {
        lock (_gate) return _available.GetValueOrDefault(currency.ToLowerInvariant());
    }

    public void ResetBalances()
    {
        lock (_gate)
        {
            _available.Clear();
            foreach (var c in new[] { "usd", "eur", "rub" }) _available[c] = 1_000_000_000_00;
        }
    }

    /// <summary>The next <paramref name="count"/> requests whose path starts with <paramref name="pathPrefix"/> meet <paramref name="kind"/>.</summary>
    public void InjectFault(string method, string pathPrefix, FaultKind kind, int count = 1, TimeSpan? delay = null)
    {
        lock (_gate) _faults.Add(new Fault(method.ToUpperInvariant(), pathPrefix, kind, count, delay ?? TimeSpan.Zero));
    }

    /// <summary>Holds the next request to the path, key in flight, until <see cref="FakeHold.Release"/> (or the client gives up: then nothing is done).</summary>
    public FakeHold Hold(string method, string pathPrefix)
    {
        var hold = new FakeHold();
        lock (_gate) _faults.Add(new Fault(method.ToUpperInvariant(), pathPrefix, FaultKind.DelayBeforeProcessing, 1, Timeout.InfiniteTimeSpan, hold));
        return hold;
    }

    public void ClearFaults()
    {
        lock (_gate) _faults.Clear();
    }

    public JsonObject Session(string id)
    {
        lock (_gate) return Clone(_sessions[id]);
    }

    public IReadOnlyList<JsonObject> Transfers()
    {
        lock (_gate) return _transfers.Values.Select(Clone).ToList();
    }

    public IReadOnlyList<JsonObject> TransfersTo(string accountId)
    {
        lock (_gate) return _transfers.Values.Where(t => (string?)t["destination"] == accountId).Select(Clone).ToList();
    }

    public IReadOnlyList<JsonObject> Accounts()
    {
        lock (_gate) return _accounts.Values.Select(Clone).ToList();
    }

    /// <summary>The idempotency keys sent with each POST to a path, in order (a key repeats when a request was retried).</summary>
    public IReadOnlyList<string?> IdempotencyKeysSent(string pathPrefix) =>
        Requests.Where(r => r.Method == "POST" && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).Select(r => r.IdempotencyKey).ToList();

    /// <summary>The customer pays (or starts an async payment): the session as Stripe sends it in checkout.session.completed.</summary>
    public JsonObject CompleteSession(string sessionId, bool paid)
    {
        lock (_gate)
        {
            var s = _sessions[sessionId];
            s["status"] = "complete";
            s["payment_status"] = paid ? "paid" : "unpaid";
            s["payment_intent"] ??= NewId("pi_");
            if (paid) EnsureCharge(s);
            return Clone(s);
        }
    }

    /// <summary>The delayed payment settled: the session as in checkout.session.async_payment_succeeded.</summary>
    public JsonObject SucceedAsyncPayment(string sessionId)
    {
        lock (_gate)
        {
            var s = _sessions[sessionId];
            s["status"] = "complete";
            s["payment_status"] = "paid";
            s["payment_intent"] ??= NewId("pi_");
            EnsureCharge(s);
            return Clone(s);
        }
    }

    public JsonObject FailAsyncPayment(string sessionId)
    {
        lock (_gate)
        {
            var s = _sessions[sessionId];
            s["status"] = "complete";
            s["payment_status"] = "unpaid";
            s["payment_intent"] ??= NewId("pi_");
            return Clone(s);
        }
    }

    public JsonObject ExpireSession(string sessionId)
    {
        lock (_gate)
        {
            var s = _sessions[sessionId];
            s["status"] = "expired";
            return Clone(s);
        }
    }

    /// <summary>Refunds part of a session's charge: the charge (cumulative amount_refunded) as in charge.refunded.</summary>
    public JsonObject Refund(string sessionId, long amount)
    {
        lock (_gate)
        {
            var charge = EnsureCharge(_sessions[sessionId]);
            var refunded = (long)charge["amount_refunded"]! + amount;
            if (refunded > (long)charge["amount"]!) throw new InvalidOperationException("Refund exceeds the charge.");
            charge["amount_refunded"] = refunded;
            charge["refunded"] = refunded == (long)charge["amount"]!;
            return Clone(charge);
        }
    }

    /// <summary>A card dispute on a session's charge, as in charge.dispute.created / closed (status won, lost, needs_response).</summary>
    public JsonObject Dispute(string sessionId, long amount, string status, string? disputeId = null)
    {
        lock (_gate)
        {
            var charge = EnsureCharge(_sessions[sessionId]);
            charge["disputed"] = true;
            return new JsonObject
            {
                ["id"] = disputeId ?? NewId("dp_"),
                ["object"] = "dispute",
                ["amount"] = amount,
                ["charge"] = (string)charge["id"]!,
                ["payment_intent"] = (string)charge["payment_intent"]!,
                ["currency"] = (string)charge["currency"]!,
                ["reason"] = "fraudulent",
                ["status"] = status,
                ["is_charge_refundable"] = false,
                ["livemode"] = false,
                ["created"] = Now(),
                ["metadata"] = new JsonObject(),
                ["balance_transactions"] = new JsonArray(),
            };
        }
    }

    /// <summary>The webmaster finished onboarding: transfers capability active, payouts enabled. The account as in account.updated.</summary>
    public JsonObject CompleteOnboarding(string accountId, bool transfersActive = true)
    {
        lock (_gate)
        {
            var a = _accounts[accountId];
            a["details_submitted"] = true;
            a["payouts_enabled"] = transfersActive;
            a["charges_enabled"] = false;
            a["capabilities"] = new JsonObject { ["transfers"] = transfersActive ? "active" : "inactive" };
            return Clone(a);
        }
    }

    /// <summary>Stripe disables transfers for an account (e.g. requirements past due) without telling us yet.</summary>
    public void DisableTransfers(string accountId)
    {
        lock (_gate) _accounts[accountId]["capabilities"] = new JsonObject { ["transfers"] = "inactive" };
    }

    // ---------------------------------------------------------------- HTTP

    private async Task HandleAsync(HttpContext http)
    {
        var method = http.Request.Method.ToUpperInvariant();
        var path = http.Request.Path.Value ?? "/";
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var form = await ReadFormAsync(http.Request);
        var replayed = false;
        Answer answer;

        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || auth["Bearer ".Length..] != SecretKey)
        {
            answer = Error(401, "invalid_request_error", null, "Invalid API Key provided.");
            await WriteAsync(http, answer, method, path, key, form, false);
            return;
        }

        var fault = TakeFault(method, path);
        if (fault?.Kind == FaultKind.ServerError)
        {
            await WriteAsync(http, Error(500, "api_error", null, "An unknown error occurred (injected)."), method, path, key, form, false);
            return;
        }
        if (fault?.Kind == FaultKind.RateLimited)
        {
            var limited = Error(429, "invalid_request_error", "rate_limit", "Too many requests hit the API too quickly (injected).") with
            {
                Headers = new Dictionary<string, string> { ["Stripe-Should-Retry"] = "true" },
            };
            await WriteAsync(http, limited, method, path, key, form, false);
            return;
        }

        var idempotent = method == "POST" && !string.IsNullOrEmpty(key);
        if (idempotent)
        {
            var fingerprint = Fingerprint(method, path, form);
            lock (_gate)
            {
                if (_idempotency.TryGetValue(key!, out var entry))
                {
                    if (entry.Fingerprint != fingerprint)
                        answer = Error(400, "idempotency_error", null,
                            $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
                    else if (entry.InFlight)
                        answer = Error(409, "invalid_request_error", "idempotency_key_in_use",
                            "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " + key);
                    else
                    {
                        answer = new Answer(entry.Status, entry.Body, new Dictionary<string, string> { ["Idempotent-Replayed"] = "true" });
                        replayed = true;
                    }
                    goto respond;
                }
                _idempotency[key!] = new IdempotencyEntry(fingerprint);
            }
        }

        if (fault?.Kind == FaultKind.DelayBeforeProcessing)
        {
            try
            {
                if (fault.Hold is { } hold)
                {
                    hold.MarkArrived();
                    await hold.Released.WaitAsync(http.RequestAborted);
                }
                else
                    await Task.Delay(fault.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up (its timeout): nothing was done, so nothing is remembered for the key.
                if (idempotent) lock (_gate) _idempotency.Remove(key!);
                _requests.Enqueue(new RecordedRequest(method, path, key, form, 0, false));
                return;
            }
        }

        lock (_gate)
        {
            try
            {
                answer = Route(method, path, form);
            }
            catch (Exception ex)
            {
                // A bug in the fake: say so in Stripe's shape rather than with an empty 500.
                answer = Error(500, "api_error", null, "Fake Stripe failed: " + ex);
            }
            if (idempotent)
            {
                var entry = _idempotency[key!];
                entry.InFlight = false;
                entry.Status = answer.Status;
                entry.Body = answer.Body;
            }
        }

        if (fault?.Kind == FaultKind.ProcessThenDelay)
        {
            try
            {
                await Task.Delay(fault.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _requests.Enqueue(new RecordedRequest(method, path, key, form, answer.Status, false));
                return;
            }
        }

    respond:
        await WriteAsync(http, answer, method, path, key, form, replayed);
    }

    private async Task WriteAsync(HttpContext http, Answer answer, string method, string path, string? key, IReadOnlyDictionary<string, string> form, bool replayed)
    {
        _requests.Enqueue(new RecordedRequest(method, path, key, form, answer.Status, replayed));
        if (http.RequestAborted.IsCancellationRequested) return;
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = NewId("req_");
        if (!string.IsNullOrEmpty(key)) http.Response.Headers["Idempotency-Key"] = key;
        if (answer.Headers is not null)
            foreach (var (name, value) in answer.Headers) http.Response.Headers[name] = value;
        try
        {
            await http.Response.WriteAsync(answer.Body, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // client gone
        }
    }

    private Fault? TakeFault(string method, string path)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Method == method && path.StartsWith(f.PathPrefix, StringComparison.Ordinal));
            if (fault is null) return null;
            fault.Remaining--;
            if (fault.Remaining == 0) _faults.Remove(fault);
            return fault;
        }
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadFormAsync(HttpRequest request)
    {
        string raw;
        if (request.Method == "GET" || request.Method == "DELETE")
            raw = request.QueryString.HasValue ? request.QueryString.Value! : "";
        else
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            raw = await reader.ReadToEndAsync();
        }
        // Bracketed keys stay flat: "line_items[0][price_data][unit_amount]" -> "2500".
        return QueryHelpers.ParseQuery(raw).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    private static string Fingerprint(string method, string path, IReadOnlyDictionary<string, string> form) =>
        method + " " + path + "?" + string.Join("&", form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    // ---------------------------------------------------------------- the API (called under _gate)

    private Answer Route(string method, string path, IReadOnlyDictionary<string, string> form)
    {
        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("POST", ["v1", "checkout", "sessions"]) => CreateSession(form),
            ("GET", ["v1", "checkout", "sessions", var id]) => _sessions.TryGetValue(id, out var s) ? Ok(s) : Missing("checkout.session", id),
            ("POST", ["v1", "accounts"]) => CreateAccount(form),
            ("GET", ["v1", "accounts", var id]) => _accounts.TryGetValue(id, out var a) ? Ok(a) : Missing("account", id),
            ("POST", ["v1", "account_links"]) => CreateAccountLink(form),
            ("POST", ["v1", "transfers"]) => CreateTransfer(form),
            ("GET", ["v1", "transfers", var id]) => _transfers.TryGetValue(id, out var t) ? Ok(t) : Missing("transfer", id),
            ("POST", ["v1", "transfers", var id, "reversals"]) => CreateReversal(id, form),
            ("GET", ["v1", "balance"]) => Ok(Balance()),
            _ => Error(404, "invalid_request_error", null, $"Unrecognized request URL ({method}: {path})."),
        };
    }

    private Answer CreateSession(IReadOnlyDictionary<string, string> form)
    {
        if (form.GetValueOrDefault("mode") != "payment") return ParamInvalid("mode", "This fake supports mode=payment only.");
        if (!form.TryGetValue("success_url", out var successUrl) || string.IsNullOrEmpty(successUrl)) return ParamMissing("success_url");
        if (!form.TryGetValue("line_items[0][price_data][unit_amount]", out var unitRaw)) return ParamMissing("line_items[0][price_data][unit_amount]");
        if (!long.TryParse(unitRaw, out var unitAmount) || unitAmount <= 0)
            return Error(400, "invalid_request_error", "parameter_invalid_integer", "Invalid integer: " + unitRaw, "line_items[0][price_data][unit_amount]");
        var currency = form.GetValueOrDefault("line_items[0][price_data][currency]");
        if (string.IsNullOrEmpty(currency) || currency != currency.ToLowerInvariant()) return ParamInvalid("line_items[0][price_data][currency]", "Invalid currency: " + currency);
        var quantity = long.TryParse(form.GetValueOrDefault("line_items[0][quantity]"), out var q) ? q : 1;
        var id = NewId("cs_test_", 40);
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["amount_subtotal"] = unitAmount * quantity,
            ["amount_total"] = unitAmount * quantity,
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["created"] = Now(),
            ["currency"] = currency,
            ["customer_email"] = form.GetValueOrDefault("customer_email"),
            ["expires_at"] = Now() + 24 * 3600,
            ["livemode"] = false,
            ["metadata"] = Metadata(form, "metadata"),
            ["mode"] = "payment",
            ["payment_intent"] = null,
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["success_url"] = successUrl,
            ["url"] = $"{BaseUrl}/c/pay/{id}",
        };
        _sessions[id] = session;
        return Ok(session);
    }

    private Answer CreateAccount(IReadOnlyDictionary<string, string> form)
    {
        var type = form.GetValueOrDefault("type");
        if (type is not ("express" or "standard" or "custom")) return ParamInvalid("type", "Invalid account type: " + type);
        var transfersRequested = form.GetValueOrDefault("capabilities[transfers][requested]") == "true";
        var id = NewId("acct_", 16);
        var account = new JsonObject
        {
            ["id"] = id,
            ["object"] = "account",
            ["type"] = type,
            ["email"] = form.GetValueOrDefault("email"),
            ["country"] = "US",
            ["default_currency"] = "usd",
            ["details_submitted"] = false,
            ["charges_enabled"] = false,
            ["payouts_enabled"] = false,
            ["capabilities"] = transfersRequested ? new JsonObject { ["transfers"] = "inactive" } : new JsonObject(),
            ["metadata"] = Metadata(form, "metadata"),
            ["created"] = Now(),
            ["livemode"] = false,
        };
        _accounts[id] = account;
        return Ok(account);
    }

    private Answer CreateAccountLink(IReadOnlyDictionary<string, string> form)
    {
        var account = form.GetValueOrDefault("account");
        if (string.IsNullOrEmpty(account)) return ParamMissing("account");
        if (!_accounts.ContainsKey(account)) return Error(400, "invalid_request_error", "account_invalid", $"No such account: '{account}'", "account");
        if (form.GetValueOrDefault("type") is not ("account_onboarding" or "account_update")) return ParamInvalid("type", "Invalid type.");
        if (string.IsNullOrEmpty(form.GetValueOrDefault("refresh_url"))) return ParamMissing("refresh_url");
        if (string.IsNullOrEmpty(form.GetValueOrDefault("return_url"))) return ParamMissing("return_url");
        return Ok(new JsonObject
        {
            ["object"] = "account_link",
            ["created"] = Now(),
            ["expires_at"] = Now() + 300,
            ["url"] = $"{BaseUrl}/connect/setup/{account}/{NewId("", 12)}",
        });
    }

    private Answer CreateTransfer(IReadOnlyDictionary<string, string> form)
    {
        if (!form.TryGetValue("amount", out var amountRaw)) return ParamMissing("amount");
        if (!long.TryParse(amountRaw, out var amount) || amount <= 0)
            return Error(400, "invalid_request_error", "parameter_invalid_integer", "Invalid positive integer", "amount");
        var currency = form.GetValueOrDefault("currency");
        if (string.IsNullOrEmpty(currency)) return ParamMissing("currency");
        var destination = form.GetValueOrDefault("destination");
        if (string.IsNullOrEmpty(destination)) return ParamMissing("destination");
        if (!_accounts.TryGetValue(destination, out var account))
            return Error(400, "invalid_request_error", "account_invalid", $"No such destination: '{destination}'", "destination");
        if ((string?)account["capabilities"]?["transfers"] != "active")
            return Error(400, "invalid_request_error", "insufficient_capabilities_for_transfer",
                "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments", "destination");
        if (_available.GetValueOrDefault(currency) < amount)
            return Error(400, "invalid_request_error", "balance_insufficient",
                "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.");
        _available[currency] -= amount;
        var id = NewId("tr_", 24);
        var transfer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "transfer",
            ["amount"] = amount,
            ["amount_reversed"] = 0L,
            ["balance_transaction"] = NewId("txn_", 24),
            ["created"] = Now(),
            ["currency"] = currency,
            ["description"] = form.GetValueOrDefault("description"),
            ["destination"] = destination,
            ["destination_payment"] = NewId("py_", 24),
            ["livemode"] = false,
            ["metadata"] = Metadata(form, "metadata"),
            ["reversals"] = new JsonObject
            {
                ["object"] = "list", ["data"] = new JsonArray(), ["has_more"] = false, ["total_count"] = 0, ["url"] = $"/v1/transfers/{id}/reversals",
            },
            ["reversed"] = false,
            ["source_transaction"] = null,
            ["source_type"] = "card",
            ["transfer_group"] = form.GetValueOrDefault("transfer_group"),
        };
        _transfers[id] = transfer;
        return Ok(transfer);
    }

    private Answer CreateReversal(string transferId, IReadOnlyDictionary<string, string> form)
    {
        if (!_transfers.TryGetValue(transferId, out var transfer)) return Missing("transfer", transferId);
        var remaining = (long)transfer["amount"]! - (long)transfer["amount_reversed"]!;
        var amount = form.TryGetValue("amount", out var raw) ? long.TryParse(raw, out var a) ? a : -1 : remaining;
        if (amount <= 0) return Error(400, "invalid_request_error", "parameter_invalid_integer", "Invalid positive integer", "amount");
        if (amount > remaining)
            return Error(400, "invalid_request_error", "amount_too_large", $"Amount ({amount}) is greater than the unreversed amount ({remaining}).", "amount");
        var currency = (string)transfer["currency"]!;
        _available[currency] = _available.GetValueOrDefault(currency) + amount;
        var id = NewId("trr_", 24);
        var reversal = new JsonObject
        {
            ["id"] = id,
            ["object"] = "transfer_reversal",
            ["amount"] = amount,
            ["balance_transaction"] = NewId("txn_", 24),
            ["created"] = Now(),
            ["currency"] = currency,
            ["metadata"] = Metadata(form, "metadata"),
            ["transfer"] = transferId,
        };
        _reversals[id] = reversal;
        transfer["amount_reversed"] = (long)transfer["amount_reversed"]! + amount;
        transfer["reversed"] = (long)transfer["amount_reversed"]! == (long)transfer["amount"]!;
        var list = transfer["reversals"]!.AsObject();
        list["data"]!.AsArray().Add(Clone(reversal));
        list["total_count"] = list["data"]!.AsArray().Count;
        return Ok(reversal);
    }

    private JsonObject Balance() => new()
    {
        ["object"] = "balance",
        ["available"] = new JsonArray(_available.OrderBy(p => p.Key).Select(p => (JsonNode)new JsonObject
        {
            ["amount"] = p.Value, ["currency"] = p.Key, ["source_types"] = new JsonObject { ["card"] = p.Value },
        }).ToArray()),
        ["pending"] = new JsonArray(),
        ["livemode"] = false,
    };

    private JsonObject EnsureCharge(JsonObject session)
    {
        var pi = (string)session["payment_intent"]!;
        if (_charges.TryGetValue(pi, out var existing)) return existing;
        var charge = new JsonObject
        {
            ["id"] = NewId("ch_", 24),
            ["object"] = "charge",
            ["amount"] = (long)session["amount_total"]!,
            ["amount_captured"] = (long)session["amount_total"]!,
            ["amount_refunded"] = 0L,
            ["captured"] = true,
            ["created"] = Now(),
            ["currency"] = (string)session["currency"]!,
            ["disputed"] = false,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["paid"] = true,
            ["payment_intent"] = pi,
            ["refunded"] = false,
            ["status"] = "succeeded",
        };
        _charges[pi] = charge;
        return charge;
    }

    // ---------------------------------------------------------------- shapes

    private static JsonObject Metadata(IReadOnlyDictionary<string, string> form, string prefix)
    {
        var result = new JsonObject();
        foreach (var (key, value) in form)
            if (key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.EndsWith(']') && key.IndexOf('[', prefix.Length + 1) < 0)
                result[key[(prefix.Length + 1)..^1]] = value;
        return result;
    }

    private static Answer Ok(JsonObject body) => new(200, body.ToJsonString());

    private static Answer Error(int status, string type, string? code, string message, string? param = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null) error["code"] = code;
        if (param is not null) error["param"] = param;
        if (code is not null) error["doc_url"] = $"https://docs.stripe.com/error-codes/{code.Replace('_', '-')}";
        return new Answer(status, new JsonObject { ["error"] = error }.ToJsonString());
    }

    private static Answer ParamMissing(string param) =>
        Error(400, "invalid_request_error", "parameter_missing", $"Missing required param: {param}.", param);

    private static Answer ParamInvalid(string param, string message) =>
        Error(400, "invalid_request_error", "parameter_invalid", message, param);

    private static Answer Missing(string what, string id) =>
        Error(404, "invalid_request_error", "resource_missing", $"No such {what}: '{id}'", "id");

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static JsonObject Clone(JsonObject o) => JsonNode.Parse(o.ToJsonString())!.AsObject();

    private static string NewId(string prefix, int length = 24)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return prefix + RandomNumberGenerator.GetString(alphabet, length);
    }
}
