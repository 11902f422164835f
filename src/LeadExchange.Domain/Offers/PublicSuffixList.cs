using System.Globalization;

namespace LeadExchange.Domain.Offers;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org, ICANN and private sections: "co.uk", "github.io", "*.ck" but "!www.ck"):
/// the domains under which anyone can register a name of their own. Loaded once from the embedded
/// <c>public_suffix_list.dat</c> (scripts/update-public-suffix-list.sh). Rules and hosts are compared in their ASCII
/// (punycode) form, lower case.
/// </summary>
public static class PublicSuffixList
{
    private static readonly Lazy<Rules> Loaded = new(Load);

    /// <summary>The number of rules loaded (a sanity check for tests and logs).</summary>
    public static int Count => Loaded.Value.Count;

    /// <summary>
    /// The public suffix of <paramref name="host"/> by the list's algorithm (the longest matching rule, exceptions first;
    /// an unlisted top-level domain is its own suffix): "a.b.github.io" → "github.io", "x.landing.example" → "example".
    /// </summary>
    public static string SuffixOf(string host)
    {
        var labels = Normalize(host).Split('.');
        var rules = Loaded.Value;
        for (var i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join('.', labels[i..]);
            // An exception rule ("!www.ck") makes its parent the suffix; it wins over the wildcard it excepts.
            if (rules.Exceptions.Contains(candidate)) return string.Join('.', labels[(i + 1)..]);
            if (rules.Exact.Contains(candidate)) return candidate;
            if (i + 1 < labels.Length && rules.Wildcards.Contains(string.Join('.', labels[(i + 1)..]))) return candidate;
        }
        return labels[^1];
    }

    /// <summary>True when <paramref name="host"/> is itself a public suffix: a name under it belongs to whoever registers it.</summary>
    public static bool IsPublicSuffix(string host) => string.Equals(SuffixOf(host), Normalize(host), StringComparison.Ordinal);

    private static string Normalize(string host)
    {
        var trimmed = host.Trim().TrimEnd('.').ToLowerInvariant();
        try
        {
            return new IdnMapping().GetAscii(trimmed);
        }
        catch (ArgumentException)
        {
            return trimmed;
        }
    }

    private sealed record Rules(HashSet<string> Exact, HashSet<string> Wildcards, HashSet<string> Exceptions)
    {
        public int Count => Exact.Count + Wildcards.Count + Exceptions.Count;
    }

    private static Rules Load()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream("LeadExchange.Domain.public_suffix_list.dat")
                           ?? throw new InvalidOperationException("The embedded public_suffix_list.dat is missing.");
        using var reader = new StreamReader(stream);
        var rules = new Rules(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        while (reader.ReadLine() is { } line)
        {
            var rule = line.Trim();
            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal)) continue;
            if (rule.StartsWith('!')) rules.Exceptions.Add(Normalize(rule[1..]));
            else if (rule.StartsWith("*.", StringComparison.Ordinal)) rules.Wildcards.Add(Normalize(rule[2..]));
            else rules.Exact.Add(Normalize(rule));
        }
        return rules;
    }
}
