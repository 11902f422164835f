using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Leads;

/// <summary>Points per signal (defaults; a niche may override them). The maximum total is 100 with the defaults.</summary>
public sealed record ScoringWeights(
    int MobilePhone = 25, int LandlinePhone = 12, int Email = 10, int Completeness = 15, int ConsentEvidence = 10,
    int TimeframeNow = 20, int TimeframeSoon = 10, int Budget = 5, int HumanFillTime = 10, int SellerQuality = 5)
{
    public static readonly ScoringWeights Default = new();

    /// <summary>Every weight by name (for editing and validation).</summary>
    public IEnumerable<(string Name, int Value)> All() =>
    [
        (nameof(MobilePhone), MobilePhone), (nameof(LandlinePhone), LandlinePhone), (nameof(Email), Email), (nameof(Completeness), Completeness),
        (nameof(ConsentEvidence), ConsentEvidence), (nameof(TimeframeNow), TimeframeNow), (nameof(TimeframeSoon), TimeframeSoon), (nameof(Budget), Budget),
        (nameof(HumanFillTime), HumanFillTime), (nameof(SellerQuality), SellerQuality),
    ];

    /// <summary>The best score these weights allow (a mobile phone, every signal at its best).</summary>
    public int MaxTotal => Math.Max(MobilePhone, LandlinePhone) + Email + Completeness + ConsentEvidence + Math.Max(TimeframeNow, TimeframeSoon)
                           + Budget + HumanFillTime + SellerQuality;
}

/// <summary>What scoring looks at, already validated and normalised.</summary>
public sealed record ScoringFacts(
    bool PhoneIsMobile, bool HasEmail, int OptionalFieldsFilled, int OptionalFieldsTotal, bool ConsentHasPageAndIp,
    string? Timeframe, bool HasBudget, int? FormFillSeconds, double? SellerReturnRate);

public sealed record ScoreLine(string Signal, int Points, string Why);

public sealed record LeadScore(int Score, Temperature Temperature, IReadOnlyList<ScoreLine> Lines)
{
    /// <summary>"hot: 82 = phone mobile 25 + timeframe now 20 + ..."</summary>
    public string Explain() =>
        $"{Temperature.ToString().ToLowerInvariant()}: {Score} = " + string.Join(" + ", Lines.Where(l => l.Points > 0).Select(l => $"{l.Signal} {l.Points}"));
}

/// <summary>Score 0..100 from the lead's signals, mapped to hot/warm/cold by the niche's thresholds.</summary>
public static class LeadScoring
{
    public const int MinHumanFillSeconds = 15;

    public static LeadScore Score(ScoringFacts f, ScoringWeights w, int hotThreshold, int warmThreshold)
    {
        var lines = new List<ScoreLine>
        {
            f.PhoneIsMobile ? new("phone mobile", w.MobilePhone, "a valid mobile number") : new("phone landline", w.LandlinePhone, "a valid landline number"),
            new("email", f.HasEmail ? w.Email : 0, f.HasEmail ? "a valid, non-disposable email" : "no email"),
            new("completeness", f.OptionalFieldsTotal == 0 ? w.Completeness : w.Completeness * f.OptionalFieldsFilled / f.OptionalFieldsTotal,
                $"{f.OptionalFieldsFilled} of {f.OptionalFieldsTotal} optional fields"),
            new("consent evidence", f.ConsentHasPageAndIp ? w.ConsentEvidence : 0, f.ConsentHasPageAndIp ? "consent with page URL and IP" : "consent without page URL or IP"),
        };
        var timeframe = f.Timeframe?.Trim().ToLowerInvariant();
        lines.Add(timeframe switch
        {
            "now" or "asap" or "today" or "week" => new("timeframe now", w.TimeframeNow, $"timeframe '{timeframe}'"),
            "month" or "soon" or "1-3 months" or "quarter" => new("timeframe soon", w.TimeframeSoon, $"timeframe '{timeframe}'"),
            null or "" => new("timeframe", 0, "no timeframe"),
            _ => new("timeframe later", 0, $"timeframe '{timeframe}'"),
        });
        lines.Add(new("budget", f.HasBudget ? w.Budget : 0, f.HasBudget ? "budget given" : "no budget"));
        lines.Add(f.FormFillSeconds switch
        {
            null => new("fill time", w.HumanFillTime / 2, "fill time unknown"),
            >= MinHumanFillSeconds => new("human fill time", w.HumanFillTime, $"form filled in {f.FormFillSeconds} s"),
            _ => new("fill time", 0, $"form filled in only {f.FormFillSeconds} s"),
        });
        lines.Add(f.SellerReturnRate switch
        {
            null => new("seller quality", w.SellerQuality / 2, "new seller"),
            <= 0.05 => new("seller quality", w.SellerQuality, $"seller return rate {f.SellerReturnRate:P0}"),
            <= 0.15 => new("seller quality", w.SellerQuality / 2, $"seller return rate {f.SellerReturnRate:P0}"),
            _ => new("seller quality", 0, $"seller return rate {f.SellerReturnRate:P0}"),
        });
        var score = Math.Clamp(lines.Sum(l => l.Points), 0, 100);
        var temperature = score >= hotThreshold ? Temperature.Hot : score >= warmThreshold ? Temperature.Warm : Temperature.Cold;
        return new LeadScore(score, temperature, lines);
    }
}
