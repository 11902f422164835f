using LeadExchange.Application.Conversions;

namespace LeadExchange.Web.Models;

/// <summary>
/// The copy-and-paste examples of an offer's integration page, with the advertiser's real base URL, token
/// and default goal. CLICK_ID stands for the click id the landing page received; the signing secret never
/// appears (it is read from an environment variable in the snippets).
/// </summary>
public sealed class IntegrationExamples
{
    public const string ClickId = "CLICK_ID";
    public const string TxId = "ORDER-1001";
    public const string SaleAmount = "1250.50";

    private readonly string _endpoint;
    private readonly IReadOnlyList<(string Name, string Value)> _parameters;

    public IntegrationExamples(string baseUrl, string token, GoalPostbackUrlDto? goal)
    {
        _endpoint = baseUrl + "/postback";
        var parameters = new List<(string, string)> { ("click_id", ClickId) };
        if (goal is not null) parameters.Add(("goal", goal.Goal));
        if (goal?.Model == "CPS") parameters.Add(("amount", SaleAmount));
        parameters.AddRange([("txid", TxId), ("status", "approved"), ("token", token)]);
        _parameters = parameters;
    }

    /// <summary>The parameters as a query string or form body, exactly the bytes to sign.</summary>
    public string Body => string.Join("&", _parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));

    public string CurlGet => $"curl \"{_endpoint}?{Body}\"";

    public string CurlForm => $"curl \"{_endpoint}\" --data \"{Body}\"";

    public string CurlJson =>
        $"curl \"{_endpoint}\" -H \"Content-Type: application/json\" \\\n  --data '{{{string.Join(",", _parameters.Select(p => $"\"{p.Name}\":\"{p.Value}\""))}}}'";

    public string CurlSigned => $"""
        SECRET="$LEADEX_SIGNING_SECRET"
        BODY='{Body}'
        SIG=$(printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
        curl "{_endpoint}" -H "X-Signature: sha256=$SIG" --data "$BODY"
        """;

    public string CSharp => $$"""
        using System.Security.Cryptography;
        using System.Text;

        var secret = Environment.GetEnvironmentVariable("LEADEX_SIGNING_SECRET")!;
        var body = "{{Body}}";
        var signature = "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "{{_endpoint}}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Signature", signature);
        using var response = await http.SendAsync(request);
        Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        """;

    public string Php => $$"""
        <?php
        $secret = getenv('LEADEX_SIGNING_SECRET');
        $body = http_build_query([
        {{string.Join("\n", _parameters.Select(p => $"    '{p.Name}' => '{p.Value}',"))}}
        ]);
        $signature = 'sha256=' . hash_hmac('sha256', $body, $secret);

        $ch = curl_init('{{_endpoint}}');
        curl_setopt_array($ch, [
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => $body,
            CURLOPT_HTTPHEADER => ['X-Signature: ' . $signature],
            CURLOPT_RETURNTRANSFER => true,
        ]);
        $answer = curl_exec($ch);
        echo curl_getinfo($ch, CURLINFO_RESPONSE_CODE), ' ', $answer, PHP_EOL;
        """;
}
