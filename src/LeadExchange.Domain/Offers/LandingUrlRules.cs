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
        var unknown = System.Text.RegularExpressions.Regex.Matches(url, "\\{[^}]*\\}")
            .Select(m => m.Value).Where(m => !Macros.Contains(m)).Distinct().ToList();
        if (unknown.Count > 0)
            yield return $"Unknown macros: {string.Join(", ", unknown)}. Allowed: {string.Join(" ", Macros)}.";
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
