namespace LeadExchange.Domain.Offers;

/// <summary>Landing URL rules and macro substitution for the tracking redirect.</summary>
public static class LandingUrlRules
{
    public static readonly IReadOnlyList<string> Macros =
        ["{click_id}", "{offer_id}", "{webmaster_id}", "{sub1}", "{sub2}", "{sub3}", "{sub4}", "{sub5}"];

    public static IEnumerable<string> Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            yield return "Landing URL is required.";
            yield break;
        }
        if (url.Length > Offer.LandingUrlMaxLength)
        {
            yield return $"Landing URL is at most {Offer.LandingUrlMaxLength} characters.";
            yield break;
        }
        // Macros are replaced before redirecting; validate the URL with neutral values in their place.
        var probe = Fill(url.Trim(), _ => "x");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return "Landing URL must be an absolute http(s) URL.";
            yield break;
        }
        if (!MacrosStayOffTheHost(url.Trim()))
        {
            yield return "Macros go in the path or query, or stand for the first labels of the host (https://{sub1}.landing.example/): " +
                         "the visitor fills sub1..sub5, so a macro must never choose the site itself.";
            yield break;
        }
        var unknown = System.Text.RegularExpressions.Regex.Matches(url, "\\{[^}]*\\}")
            .Select(m => m.Value).Where(m => !Macros.Contains(m)).Distinct().ToList();
        if (unknown.Count > 0)
            yield return $"Unknown macros: {string.Join(", ", unknown)}. Allowed: {string.Join(" ", Macros)}.";
    }

    /// <summary>
    /// Open-redirect guard. Sub-ids come from whoever clicks, and <see cref="Fill"/> leaves '.', '-', '_' and '~' unencoded,
    /// so a macro in the host could move the redirect to another site ("https://landing{sub1}/" with sub1=".evil.example").
    /// In the authority a macro may only be a leading label in front of a fixed domain of at least two labels
    /// ("https://{sub1}.landing.example/": whatever the visitor sends, the host ends in ".landing.example") that is not itself
    /// a public suffix (".github.io", ".co.uk", ".blogspot.com": anyone can own a name under those); never in the user info or port.
    /// </summary>
    private static bool MacrosStayOffTheHost(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0) return true;
        start += 3;
        var end = url.IndexOfAny(['/', '?', '#', '\\'], start);
        var authority = end < 0 ? url[start..] : url[start..end];
        var lastMacro = authority.LastIndexOf('}');
        if (lastMacro < 0) return true;
        var fixedPart = authority[(lastMacro + 1)..];
        var fixedHost = fixedPart.Split(':')[0];
        return !authority.Contains('@') && fixedPart.StartsWith('.') && fixedHost.Count(c => c == '.') >= 2 && !fixedHost.EndsWith('.')
               // "https://{sub1}.github.io/": github.io is a public suffix, so the visitor would pick whose site it is.
               && !PublicSuffixList.IsPublicSuffix(fixedHost[1..]);
    }

    /// <summary>Replaces each macro with its URL-encoded value (empty when unknown).</summary>
    public static string Fill(string template, Func<string, string?> valueOf)
    {
        if (template.IndexOf('{') < 0) return template;
        var result = template;
        foreach (var macro in Macros)
        {
            if (!result.Contains(macro, StringComparison.Ordinal)) continue;
            var value = valueOf(macro.Trim('{', '}')) ?? "";
            result = result.Replace(macro, Uri.EscapeDataString(value), StringComparison.Ordinal);
        }
        return result;
    }
}
