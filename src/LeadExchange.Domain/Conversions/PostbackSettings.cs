using System.Net;
using System.Security.Cryptography;
using System.Text;
using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Conversions;

/// <summary>
/// How an advertiser's server authenticates its postbacks: a secret token in the URL (required), an
/// optional HMAC-SHA256 signature of the raw query string or body (X-Signature: sha256=&lt;hex&gt;), and an
/// optional IP allow-list. The token and secret are shared secrets the advertiser must be able to see
/// again (they go into the advertiser's tracker), so they are stored as they are, and can be rotated.
/// </summary>
public sealed class AdvertiserPostbackSettings
{
    public const int TokenLength = 32;
    public const int AllowedIpsMaxLength = 1000;
    public const int MaxAllowedIps = 20;

    private AdvertiserPostbackSettings() { }

    public static AdvertiserPostbackSettings Create(string advertiserId, DateTime now) => new()
    {
        AdvertiserId = advertiserId,
        Token = TokenGenerator.New(TokenLength),
        SigningSecret = TokenGenerator.New(40),
        CreatedAt = now,
        UpdatedAt = now,
    };

    public string AdvertiserId { get; private set; } = "";
    public string Token { get; private set; } = "";
    public string SigningSecret { get; private set; } = "";
    public bool RequireSignature { get; private set; }
    /// <summary>Comma-separated IPv4/IPv6 addresses; empty = any address.</summary>
    public string AllowedIps { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyList<string> AllowedIpList =>
        AllowedIps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Update(bool requireSignature, IEnumerable<string> allowedIps, DateTime now)
    {
        var list = allowedIps.Select(ip => ip.Trim()).Where(ip => ip.Length > 0).Distinct().ToList();
        var errors = ValidateIps(list).ToList();
        if (errors.Count > 0) throw new DomainException("bad_ip", errors[0], "allowedIps");
        RequireSignature = requireSignature;
        AllowedIps = string.Join(",", list.Select(ip => IPAddress.Parse(ip).ToString()));
        UpdatedAt = now;
    }

    public static IEnumerable<string> ValidateIps(IReadOnlyList<string> ips)
    {
        if (ips.Count > MaxAllowedIps) yield return $"At most {MaxAllowedIps} addresses.";
        foreach (var ip in ips)
            if (!IPAddress.TryParse(ip, out _)) yield return $"'{ip}' is not an IP address.";
    }

    public void RotateToken(DateTime now)
    {
        Token = TokenGenerator.New(TokenLength);
        UpdatedAt = now;
    }

    public void RotateSecret(DateTime now)
    {
        SigningSecret = TokenGenerator.New(40);
        UpdatedAt = now;
    }

    /// <summary>Whether an address may send postbacks: any when the list is empty.</summary>
    public static bool IsIpAllowed(IReadOnlyList<string> allowedIps, IPAddress? address)
    {
        if (allowedIps.Count == 0) return true;
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return allowedIps.Any(ip => IPAddress.TryParse(ip, out var allowed) && allowed.Equals(address));
    }

}

/// <summary>HMAC-SHA256 signatures in the "sha256=&lt;hex&gt;" form.</summary>
public static class Signatures
{
    public const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> payload) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));

    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> payload)
    {
        if (string.IsNullOrWhiteSpace(header)) return false;
        var value = header.Trim();
        if (!value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(value[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
