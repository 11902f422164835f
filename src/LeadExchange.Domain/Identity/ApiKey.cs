using System.Security.Cryptography;
using System.Text;
using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Identity;

/// <summary>
/// A personal API key. The secret is shown once; only its SHA-256 hash is stored. SHA-256 (not a slow
/// password hash) is right here because the secret is 32 random characters (~190 bits), not a password.
/// Format: lx_{prefix}_{secret}; the prefix finds the row, the hash proves the secret.
/// </summary>
public sealed class ApiKey
{
    public const int PrefixLength = 8;
    public const int SecretLength = 32;

    private ApiKey() { }

    public Guid Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Prefix { get; private set; } = "";
    public string Hash { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime? LastUsedAt { get; private set; }
    public DateTime? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static (ApiKey Key, string PlainText) Create(string userId, string name, DateTime now)
    {
        var prefix = TokenGenerator.New(PrefixLength);
        var secret = TokenGenerator.New(SecretLength);
        var plain = $"lx_{prefix}_{secret}";
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = name.Trim(),
            Prefix = prefix,
            Hash = ComputeHash(plain),
            CreatedAt = now,
        };
        return (key, plain);
    }

    public static string? PrefixOf(string? plain)
    {
        if (plain is null || plain.Length != 3 + PrefixLength + 1 + SecretLength || !plain.StartsWith("lx_", StringComparison.Ordinal)
            || plain[3 + PrefixLength] != '_')
            return null;
        return plain.Substring(3, PrefixLength);
    }

    public static string ComputeHash(string plain) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));

    public bool Matches(string plain) =>
        IsActive && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash), Encoding.ASCII.GetBytes(ComputeHash(plain)));

    public void Revoke(DateTime now) => RevokedAt ??= now;

    public void Touch(DateTime now) => LastUsedAt = now;
}
