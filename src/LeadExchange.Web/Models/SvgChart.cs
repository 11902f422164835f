using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace LeadExchange.Web.Models;

/// <summary>
/// Server-rendered SVG trend charts (no JavaScript, no CDN). One metric per chart (small multiples), so nothing depends on
/// telling colours apart: each chart has a text title, labelled axes, a marker and a tooltip per point, and an accessible
/// name; the figures themselves are also in a data table on the page for screen readers and copying. The title comes
/// translated; the description is composed through the localizer.
/// </summary>
public static class SvgChart
{
    private const int Width = 600, Height = 160, Left = 56, Right = 12, Top = 14, Bottom = 26;

    // Like the pages' own encoder (UiLocalization): only what HTML needs escaped, so Russian titles stay readable text
    // (HtmlEncoder.Default writes every Cyrillic letter as an entity).
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(new TextEncoderSettings(UnicodeRanges.All));

    public static IHtmlContent Line(string id, string title, IReadOnlyList<string> labels, IReadOnlyList<decimal> values, Func<decimal, string> format,
        IStringLocalizer l)
    {
        var enc = Encoder;
        var max = values.Count == 0 ? 0 : values.Max();
        var top = NiceCeiling(max);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(int i) => Left + (values.Count <= 1 ? plotW / 2.0 : i * (double)plotW / (values.Count - 1));
        double Y(decimal v) => Top + plotH - (top == 0 ? 0 : (double)(v / top) * plotH);
        string N(double d) => d.ToString("0.#", CultureInfo.InvariantCulture);

        var sb = new StringBuilder();
        var total = values.Sum();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart mb-0\"><figcaption class=\"small fw-semibold mb-1\" id=\"{id}-title\">{enc.Encode(title)}</figcaption>");
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg viewBox=\"0 0 {Width} {Height}\" class=\"w-100 h-auto\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" data-chart=\"{id}\">");
        sb.Append(CultureInfo.InvariantCulture,
            $"<desc id=\"{id}-desc\">{enc.Encode(l["{0} to {1}: total {2}, highest {3}", labels.FirstOrDefault() ?? "", labels.LastOrDefault() ?? "", format(total), format(max)])}</desc>");
        // Grid lines and y labels at 0, half and top.
        foreach (var fraction in new[] { 0m, 0.5m, 1m })
        {
            var y = Y(top * fraction);
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{N(y)}\" y2=\"{N(y)}\" class=\"chart-grid\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{N(y + 4)}\" text-anchor=\"end\" class=\"chart-label\">{enc.Encode(format(top * fraction))}</text>");
        }
        if (labels.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 6}\" class=\"chart-label\">{enc.Encode(labels[0])}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 6}\" text-anchor=\"end\" class=\"chart-label\">{enc.Encode(labels[^1])}</text>");
        }
        if (values.Count > 0)
        {
            var points = string.Join(" ", values.Select((v, i) => $"{N(X(i))},{N(Y(v))}"));
            sb.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" class=\"chart-line\"/>");
            for (var i = 0; i < values.Count; i++)
                sb.Append(CultureInfo.InvariantCulture,
                    $"<circle cx=\"{N(X(i))}\" cy=\"{N(Y(values[i]))}\" r=\"3\" class=\"chart-point\"><title>{enc.Encode($"{labels[i]}: {format(values[i])}")}</title></circle>");
        }
        sb.Append("</svg></figure>");
        return new HtmlString(sb.ToString());
    }

    /// <summary>1, 2 or 5 times a power of ten at or above <paramref name="max"/> (0 stays 0).</summary>
    public static decimal NiceCeiling(decimal max)
    {
        if (max <= 0) return 0;
        var magnitude = 1m;
        while (magnitude * 10 <= max) magnitude *= 10;
        while (magnitude > max && magnitude > 0.01m) magnitude /= 10;
        foreach (var step in new[] { 1m, 2m, 5m, 10m })
            if (magnitude * step >= max) return magnitude * step;
        return magnitude * 10;
    }
}
