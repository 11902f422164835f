using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace LeadExchange.Web.Infrastructure.Localization;

/// <summary>
/// A translated sentence with markup inside (a link, <c>code</c>, <c>strong</c>): the sentence stays one key
/// for translators, its text is HTML-encoded, and only the arguments that are IHtmlContent go in unencoded.
/// <c>@L.Html("Send it as the {0} header.", Html.Raw("&lt;code&gt;X-Api-Key&lt;/code&gt;"))</c>
/// </summary>
public static partial class HtmlText
{
    public static IHtmlContent Html(this IStringLocalizer localizer, string key, params object?[] arguments)
    {
        var template = localizer[key].Value;
        var builder = new HtmlContentBuilder();
        var last = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            builder.Append(template[last..m.Index]);
            var index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            switch (index < arguments.Length ? arguments[index] : null)
            {
                case IHtmlContent html: builder.AppendHtml(html); break;
                case IFormattable f: builder.Append(f.ToString(null, CultureInfo.CurrentCulture)); break;
                case { } other: builder.Append(other.ToString()); break;
            }
            last = m.Index + m.Length;
        }
        builder.Append(template[last..]);
        return builder;
    }

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();
}
