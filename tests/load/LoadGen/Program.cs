// Mixed-load generator for tests/load/soak.sh: clicks, postbacks, lead intake and catalog purchases.
//
// Phases, in one process (so the click ids and lead ids made early feed the postbacks and purchases later):
//   warmup    closed loop, a few workers, not reported (JIT, connection pools, caches);
//   capacity  closed loop at full speed with --concurrency workers; every worker takes the next slot of a fixed
//             interleaved schedule built from --mix, so the requests issued follow the mix; the answered rate is
//             the capacity of the mix;
//   soak      open loop: each endpoint gets its own fixed-rate schedule (fraction x capacity x its share); a request
//             is due at start + k / rate whether or not earlier ones were answered, and its latency is measured
//             from that due time (queueing for a free in-flight slot counts), so there is no coordinated omission.
// Writes <out>/result.json (phases, per-endpoint counts and latencies, per-window figures, totals over the whole
// process for the reconciliation) and <out>/windows.csv.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LoadGen;

internal enum Ep { Click, Postback, Lead, Purchase }

internal sealed record Options(
    Uri Base, string Link, string PostbackToken, string WebmasterKey, string[] BuyerKeys, int[] Mix,
    double WarmupSeconds, double CapacitySeconds, int Concurrency, double SoakSeconds, double Fraction, double? FixedRate,
    int MaxInFlight, int MaxQueued, double WindowSeconds, double PostbackMinClickAge, long PhoneBase, string Out)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException("expected --name value pairs, got " + args[i]);
            map[args[i][2..]] = args[i + 1];
        }
        string Get(string name, string? fallback = null) =>
            map.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException("missing --" + name);
        double D(string name, string fallback) => double.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
        int I(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
        var mix = Get("mix", "70,15,10,5").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (mix.Length != 4 || mix.Any(m => m < 0) || mix.Sum() == 0) throw new ArgumentException("--mix needs four shares: clicks,postbacks,leads,purchases");
        return new Options(new Uri(Get("base")), Get("link"), Get("token"), Get("wm-key"), Get("buyer-keys").Split(','), mix,
            D("warmup-seconds", "5"), D("capacity-seconds", "20"), I("concurrency", "32"), D("soak-seconds", "600"), D("fraction", "0.7"),
            map.TryGetValue("rate", out var r) ? double.Parse(r, CultureInfo.InvariantCulture) : null,
            I("max-inflight", "256"), I("max-queued", "20000"), D("window-seconds", "60"), D("postback-min-click-age", "2"),
            long.Parse(Get("phone-base", "0"), CultureInfo.InvariantCulture), Get("out"));
    }
}

/// <summary>Counts and latencies of one endpoint in one phase; latencies kept whole (exact percentiles).</summary>
internal sealed class EpStats
{
    private readonly object _gate = new();
    private readonly List<float> _all = [];
    private readonly List<float> _ok = [];
    private readonly SortedDictionary<int, Window> _windows = [];

    private sealed class Window { public readonly List<float> Lat = []; public int Errors, NoAnswer, Ok, Shed; }
    private readonly SortedDictionary<string, int> _codes = new(StringComparer.Ordinal);
    public long Sent, Answered, Ok, Accepted, Errors, NoAnswer, Skipped, Dropped, Shed;

    /// <param name="shed">503 from the app's admission control (refused before any work; not an error of the product).</param>
    public void Record(int window, double ms, string code, bool ok, bool accepted, bool answered, bool shed = false)
    {
        lock (_gate)
        {
            _all.Add((float)ms);
            if (ok) _ok.Add((float)ms);
            _codes[code] = _codes.GetValueOrDefault(code) + 1;
            if (!_windows.TryGetValue(window, out var w)) _windows[window] = w = new Window();
            w.Lat.Add((float)ms);
            if (!ok) w.Errors++;
            if (ok) w.Ok++;
            if (shed) { w.Shed++; Shed++; }
            if (!answered) w.NoAnswer++;
            Answered += answered ? 1 : 0;
            NoAnswer += answered ? 0 : 1;
            Ok += ok ? 1 : 0;
            Accepted += accepted ? 1 : 0;
            Errors += ok ? 0 : 1;
        }
    }

    public static Dictionary<string, object> Percentiles(List<float> lat)
    {
        var a = lat.ToArray();
        Array.Sort(a);
        double P(double q) => a.Length == 0 ? 0 : a[Math.Clamp((int)Math.Ceiling(q * a.Length) - 1, 0, a.Length - 1)];
        return new()
        {
            ["p50"] = Math.Round(P(0.50), 2), ["p90"] = Math.Round(P(0.90), 2), ["p99"] = Math.Round(P(0.99), 2),
            ["max"] = Math.Round(a.Length == 0 ? 0 : a[^1], 2), ["mean"] = Math.Round(a.Length == 0 ? 0 : a.Average(x => (double)x), 2),
        };
    }

    public Dictionary<string, object> Summary(double seconds, double? targetRate, double windowSeconds)
    {
        lock (_gate)
        {
            var s = new Dictionary<string, object>
            {
                ["sent"] = Interlocked.Read(ref Sent), ["answered"] = Answered, ["ok"] = Ok, ["accepted"] = Accepted, ["errors"] = Errors,
                ["noAnswer"] = NoAnswer, ["skipped"] = Interlocked.Read(ref Skipped), ["dropped"] = Interlocked.Read(ref Dropped),
                ["seconds"] = Math.Round(seconds, 2),
                ["answeredRate"] = Math.Round(Answered / seconds, 1), ["okRate"] = Math.Round(Ok / seconds, 1),
                ["shed"] = Shed, ["latencyMs"] = Percentiles(_all), ["okLatencyMs"] = Percentiles(_ok), ["statusCodes"] = new Dictionary<string, int>(_codes),
            };
            if (targetRate is { } t) s["targetRate"] = Math.Round(t, 2);
            s["windows"] = _windows.Select(kv => new Dictionary<string, object>
            {
                ["window"] = kv.Key, ["fromSecond"] = kv.Key * windowSeconds, ["answered"] = kv.Value.Lat.Count, ["errors"] = kv.Value.Errors,
                ["noAnswer"] = kv.Value.NoAnswer, ["rate"] = Math.Round(kv.Value.Lat.Count / windowSeconds, 1), ["latencyMs"] = Percentiles(kv.Value.Lat),
                ["okRate"] = Math.Round(kv.Value.Ok / windowSeconds, 1), ["shed"] = kv.Value.Shed,
            }).ToList();
            return s;
        }
    }
}

internal sealed partial class Generator(Options o, HttpClient http)
{
    public static readonly string[] Names = ["click", "postback", "lead", "purchase"];
    private readonly ConcurrentQueue<(string Id, long At)> _clicks = new();
    private readonly ConcurrentQueue<Guid> _leads = new();
    private long _clickSeq, _phoneSeq, _buyerSeq;
    private readonly long _clickPoolMax = 500_000;
    public readonly Dictionary<string, EpStats[]> Phases = [];

    [GeneratedRegex(@"[?&]cid=([^&#]+)")]
    private static partial Regex CidRegex();

    [GeneratedRegex("\"duplicate\"\\s*:\\s*false")]
    private static partial Regex NotDuplicateRegex();

    public static EpStats[] NewStats() => [new(), new(), new(), new()];

    /// <summary>Builds the request for one endpoint, or null when it has no input yet (no old enough click, no unsold lead).</summary>
    private HttpRequestMessage? Build(Ep ep, out Guid leadTaken)
    {
        leadTaken = Guid.Empty;
        switch (ep)
        {
            case Ep.Click:
            {
                var n = Interlocked.Increment(ref _clickSeq);
                var req = new HttpRequestMessage(HttpMethod.Get, $"/c/{o.Link}?sub1=soak-{n}&sub2=s{n % 50}");
                req.Headers.TryAddWithoutValidation("User-Agent", $"Mozilla/5.0 (X11; Linux x86_64) soak/{n}");
                return req;
            }
            case Ep.Postback:
            {
                var minAge = (long)(o.PostbackMinClickAge * Stopwatch.Frequency);
                if (!_clicks.TryPeek(out var head) || Stopwatch.GetTimestamp() - head.At < minAge || !_clicks.TryDequeue(out var c)) return null;
                return new HttpRequestMessage(HttpMethod.Get, $"/postback?click_id={Uri.EscapeDataString(c.Id)}&goal=deposit&token={Uri.EscapeDataString(o.PostbackToken)}");
            }
            case Ep.Lead:
            {
                var n = (o.PhoneBase + Interlocked.Increment(ref _phoneSeq)) % 10_000_000;
                var body = "{\"niche\":\"real-estate\",\"region\":\"RU-MOW\",\"name\":\"Soak Person\",\"phone\":\"+7916" + n.ToString("D7", CultureInfo.InvariantCulture) +
                    "\",\"email\":null,\"fields\":{\"deal_type\":\"buy\",\"rooms\":2,\"budget\":12000000,\"timeframe\":\"now\"}," +
                    "\"consent\":{\"text\":\"I agree to be contacted.\",\"givenAt\":\"2026-11-20T10:00:00Z\",\"pageUrl\":\"https://landing.example/flat\",\"ip\":\"203.0.113.5\"}," +
                    "\"sub1\":\"soak\",\"formFillSeconds\":41}";
                var req = new HttpRequestMessage(HttpMethod.Post, "/api/v1/leads") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                req.Headers.Add("X-Api-Key", o.WebmasterKey);
                return req;
            }
            default:
            {
                if (!_leads.TryDequeue(out var lead)) return null;
                leadTaken = lead;
                var req = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/catalog/{lead}/buy")
                { Content = new StringContent("{\"exclusive\":true}", Encoding.UTF8, "application/json") };
                req.Headers.Add("X-Api-Key", o.BuyerKeys[Interlocked.Increment(ref _buyerSeq) % o.BuyerKeys.Length]);
                return req;
            }
        }
    }

    /// <summary>Sends one request; latency from <paramref name="dueAt"/> (the scheduled time in the open loop, the send time in the closed loop).</summary>
    public async Task Execute(Ep ep, long dueAt, EpStats st, int window)
    {
        using var req = Build(ep, out _);
        if (req is null) { Interlocked.Increment(ref st.Skipped); return; }
        Interlocked.Increment(ref st.Sent);
        string code;
        bool ok = false, accepted = false, answered = false, shed = false;
        try
        {
            using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseContentRead);
            var body = await resp.Content.ReadAsStringAsync();
            answered = true;
            var status = (int)resp.StatusCode;
            code = status.ToString(CultureInfo.InvariantCulture);
            switch (ep)
            {
                case Ep.Click when resp.StatusCode == HttpStatusCode.Redirect:
                    ok = accepted = true;
                    var m = CidRegex().Match(resp.Headers.Location?.OriginalString ?? "");
                    if (m.Success)
                    {
                        _clicks.Enqueue((Uri.UnescapeDataString(m.Groups[1].Value), Stopwatch.GetTimestamp()));
                        if (_clicks.Count > _clickPoolMax) _clicks.TryDequeue(out _);
                    }
                    break;
                case Ep.Postback when status == 200:
                    ok = true;
                    accepted = NotDuplicateRegex().IsMatch(body);
                    if (!accepted) code = "200-duplicate";
                    break;
                case Ep.Lead when status == 201:
                    ok = accepted = true;
                    using (var doc = JsonDocument.Parse(body))
                    {
                        if (doc.RootElement.TryGetProperty("status", out var s) && s.GetString() == "on_sale" &&
                            doc.RootElement.TryGetProperty("leadId", out var id) && id.TryGetGuid(out var leadId))
                            _leads.Enqueue(leadId);
                        else code = "201-" + (doc.RootElement.TryGetProperty("status", out var s2) ? s2.GetString() : "?");
                    }
                    break;
                case Ep.Purchase when status == 201:
                    ok = accepted = true;
                    break;
                default:
                    if (body.Length > 0 && status >= 400)
                    {
                        try
                        {
                            using var doc = JsonDocument.Parse(body);
                            if (doc.RootElement.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String) code += "-" + c.GetString();
                        }
                        catch (JsonException) { }
                    }
                    // Refused by admission control (not a database outage's 503, which stays an error of its own).
                    shed = code == "503-overloaded";
                    break;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            code = "no-answer:" + ex.GetType().Name;
        }
        var ms = (Stopwatch.GetTimestamp() - dueAt) * 1000.0 / Stopwatch.Frequency;
        st.Record(window, ms, code, ok, accepted, answered, shed);
    }

    /// <summary>Closed loop: workers take the next slot of the interleaved schedule and wait for each answer.</summary>
    public async Task<double> ClosedLoop(string phase, double seconds, int concurrency)
    {
        var st = NewStats();
        Phases[phase] = st;
        var slots = Slots(o.Mix);
        long next = -1;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var ep = slots[(int)(Interlocked.Increment(ref next) % slots.Length)];
                await Execute(ep, Stopwatch.GetTimestamp(), st[(int)ep], 0);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
    }

    /// <summary>Open loop: one fixed-rate schedule per endpoint; at most MaxInFlight answers awaited per endpoint, the rest queue (and their wait counts as latency).</summary>
    public async Task<(double Seconds, double[] Rates, DateTimeOffset Started)> OpenLoop(string phase, double seconds, double totalRate)
    {
        var st = NewStats();
        Phases[phase] = st;
        var rates = o.Mix.Select(m => totalRate * m / o.Mix.Sum()).ToArray();
        var gates = rates.Select(_ => new SemaphoreSlim(o.MaxInFlight)).ToArray();
        var queued = new long[4];
        long outstanding = 0;
        var startedAt = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        var freq = (double)Stopwatch.Frequency;
        using var progressStop = new CancellationTokenSource();
        var progress = Task.Run(async () =>
        {
            var lastAnswered = new long[4];
            try
            {
                while (!progressStop.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), progressStop.Token);
                    var t = (Stopwatch.GetTimestamp() - start) / freq;
                    var parts = Enumerable.Range(0, 4).Select(i =>
                    {
                        var a = Interlocked.Read(ref st[i].Answered);
                        var line = $"{Names[i]} {(a - lastAnswered[i]) / 10.0:F0}/s err {Interlocked.Read(ref st[i].Errors)} q {Interlocked.Read(ref queued[i])}";
                        lastAnswered[i] = a;
                        return line;
                    });
                    Console.Error.WriteLine($"  [{phase} {t,5:F0}s] " + string.Join(" | ", parts));
                }
            }
            catch (OperationCanceledException) { }
        });

        async Task Run(Ep ep, long due, int window)
        {
            var i = (int)ep;
            try
            {
                Interlocked.Increment(ref queued[i]);
                await gates[i].WaitAsync();
                Interlocked.Decrement(ref queued[i]);
                try { await Execute(ep, due, st[i], window); }
                finally { gates[i].Release(); }
            }
            finally { Interlocked.Decrement(ref outstanding); }
        }

        var schedulers = Enumerable.Range(0, 4).Where(i => rates[i] > 0).Select(i => Task.Run(async () =>
        {
            var ep = (Ep)i;
            var total = (long)Math.Floor(seconds * rates[i]);
            var interval = freq / rates[i];
            long k = 0;
            while (k < total)
            {
                var now = Stopwatch.GetTimestamp();
                while (k < total)
                {
                    var due = start + (long)(k * interval);
                    if (due > now) break;
                    k++;
                    if (Interlocked.Read(ref queued[i]) >= o.MaxQueued) { Interlocked.Increment(ref st[i].Dropped); continue; }
                    Interlocked.Increment(ref outstanding);
                    _ = Run(ep, due, (int)((due - start) / freq / o.WindowSeconds));
                }
                if (k >= total) break;
                var waitMs = (start + (long)(k * interval) - Stopwatch.GetTimestamp()) * 1000.0 / freq;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, waitMs)));
            }
        })).ToArray();
        await Task.WhenAll(schedulers);
        var scheduledEnd = Stopwatch.GetTimestamp();
        while (Interlocked.Read(ref outstanding) > 0) await Task.Delay(50);
        progressStop.Cancel();
        await progress;
        Console.Error.WriteLine($"  [{phase}] drained {(Stopwatch.GetTimestamp() - scheduledEnd) / freq:F1}s after the last scheduled request");
        return ((scheduledEnd - start) / freq, rates, startedAt);
    }

    /// <summary>An interleaved cycle of the mix reduced by its gcd (70,15,10,5 -> 14,3,2,1: 20 slots), spread evenly.</summary>
    private static Ep[] Slots(int[] mix)
    {
        var g = mix.Where(m => m > 0).Aggregate(0, (a, b) => b == 0 ? a : Gcd(a, b));
        var counts = mix.Select(m => m / g).ToArray();
        var n = counts.Sum();
        var slots = new List<(double Pos, Ep Ep)>();
        for (var e = 0; e < 4; e++)
            for (var j = 0; j < counts[e]; j++) slots.Add(((j + 0.5) / counts[e], (Ep)e));
        return slots.OrderBy(s => s.Pos).ThenBy(s => s.Ep).Select(s => s.Ep).ToArray();
        static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
    }
}

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Options o;
        try { o = Options.Parse(args); }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine("LoadGen: " + ex.Message);
            Console.Error.WriteLine("usage: LoadGen --base URL --link CODE --token T --wm-key K --buyer-keys K1,K2 --out DIR [--mix 70,15,10,5] " +
                "[--warmup-seconds 5] [--capacity-seconds 20] [--concurrency 32] [--soak-seconds 600] [--fraction 0.7] [--rate R (skip capacity)] " +
                "[--max-inflight 256] [--max-queued 20000] [--window-seconds 60] [--postback-min-click-age 2] [--phone-base N]");
            return 2;
        }
        ThreadPool.SetMinThreads(32, 32);
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var http = new HttpClient(handler) { BaseAddress = o.Base, Timeout = TimeSpan.FromSeconds(60) };
        var gen = new Generator(o, http);
        var result = new Dictionary<string, object>
        {
            ["mix"] = Generator.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => o.Mix[x.i]),
        };

        if (o.WarmupSeconds > 0)
        {
            Console.Error.WriteLine($"LoadGen: warm-up, closed loop, 8 workers, {o.WarmupSeconds} s");
            await gen.ClosedLoop("warmup", o.WarmupSeconds, 8);
        }

        double rate;
        if (o.FixedRate is { } fixedRate) rate = fixedRate;
        else
        {
            Console.Error.WriteLine($"LoadGen: capacity, closed loop, {o.Concurrency} workers, {o.CapacitySeconds} s");
            var secs = await gen.ClosedLoop("capacity", o.CapacitySeconds, o.Concurrency);
            var st = gen.Phases["capacity"];
            var answered = st.Sum(s => s.Answered);
            var capacity = answered / secs;
            result["capacity"] = new Dictionary<string, object>
            {
                ["seconds"] = Math.Round(secs, 2), ["concurrency"] = o.Concurrency, ["answered"] = answered,
                ["errors"] = st.Sum(s => s.Errors), ["rate"] = Math.Round(capacity, 1),
                ["endpoints"] = Generator.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => st[x.i].Summary(secs, null, secs)),
            };
            Console.Error.WriteLine($"LoadGen: capacity of the mix {capacity:F1} req/s (" +
                string.Join(", ", Generator.Names.Select((n, i) => $"{n} {st[i].Answered / secs:F1}/s, {st[i].Errors} errors")) + ")");
            rate = capacity * o.Fraction;
        }

        if (o.SoakSeconds > 0)
        {
            Console.Error.WriteLine($"LoadGen: soak, open loop, {rate:F1} req/s in all for {o.SoakSeconds} s");
            var (secs, rates, started) = await gen.OpenLoop("soak", o.SoakSeconds, rate);
            var st = gen.Phases["soak"];
            result["soak"] = new Dictionary<string, object>
            {
                ["seconds"] = Math.Round(secs, 2), ["fraction"] = o.Fraction, ["targetRate"] = Math.Round(rate, 1),
                ["startedUnix"] = started.ToUnixTimeMilliseconds() / 1000.0, ["endedUnix"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
                ["maxInFlightPerEndpoint"] = o.MaxInFlight, ["windowSeconds"] = o.WindowSeconds,
                ["endpoints"] = Generator.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => st[x.i].Summary(secs, rates[x.i], o.WindowSeconds)),
            };
        }

        // Totals over every phase: what the reconciliation compares with the rows in the database.
        result["totals"] = Generator.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => new Dictionary<string, long>
        {
            ["sent"] = gen.Phases.Values.Sum(p => Interlocked.Read(ref p[x.i].Sent)),
            ["ok"] = gen.Phases.Values.Sum(p => p[x.i].Ok),
            ["accepted"] = gen.Phases.Values.Sum(p => p[x.i].Accepted),
            ["errors"] = gen.Phases.Values.Sum(p => p[x.i].Errors),
            ["noAnswer"] = gen.Phases.Values.Sum(p => p[x.i].NoAnswer),
            ["shed"] = gen.Phases.Values.Sum(p => p[x.i].Shed),
        });

        Directory.CreateDirectory(o.Out);
        await File.WriteAllTextAsync(Path.Combine(o.Out, "result.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        if (result.TryGetValue("soak", out var soakObj) && soakObj is Dictionary<string, object> soak &&
            soak["endpoints"] is Dictionary<string, Dictionary<string, object>> eps)
        {
            var csv = new StringBuilder("endpoint,window,from_s,answered,rate,errors,no_answer,p50_ms,p90_ms,p99_ms,max_ms\n");
            foreach (var (name, e) in eps)
                foreach (var w in (List<Dictionary<string, object>>)e["windows"])
                {
                    var l = (Dictionary<string, object>)w["latencyMs"];
                    csv.Append(CultureInfo.InvariantCulture, $"{name},{w["window"]},{w["fromSecond"]},{w["answered"]},{w["rate"]},{w["errors"]},{w["noAnswer"]},{l["p50"]},{l["p90"]},{l["p99"]},{l["max"]}\n");
                }
            await File.WriteAllTextAsync(Path.Combine(o.Out, "windows.csv"), csv.ToString());
        }
        Console.Error.WriteLine("LoadGen: wrote " + Path.Combine(o.Out, "result.json"));
        return 0;
    }
}
