using System.Security.Cryptography;
using System.Text;
using LeadExchange.Application.Common.Interfaces;
using Microsoft.Extensions.Options;

namespace LeadExchange.Infrastructure.Leads;

/// <summary>Section "Leads:ContactKey": base64 of 32 random bytes, the same on every node (e.g. `openssl rand -base64 32`).</summary>
public sealed class ContactKeyOptions
{
    public const string Section = "Leads";

    /// <summary>Used only when no key is configured and the app runs in Development or demo mode. Never for real data.</summary>
    public const string DevelopmentKey = "ZGV2ZWxvcG1lbnQtb25seS1jb250YWN0LWtleS0wMDA=";

    public string? ContactKey { get; set; }
}

/// <summary>
/// AES-256-GCM for contact data ("v1:" + base64(nonce | tag | ciphertext), a fresh nonce each time) and
/// HMAC-SHA256 with a key derived from the same secret for the comparable hashes. Deterministic across
/// nodes because the key is configuration, not a per-machine key ring.
/// </summary>
public sealed class ContactProtector : IContactProtector
{
    private const string Prefix = "v1:";
    private readonly byte[] _encryptionKey;
    private readonly byte[] _hashKey;

    public ContactProtector(IOptions<ContactKeyOptions> options)
    {
        var secret = Convert.FromBase64String(options.Value.ContactKey ?? throw new InvalidOperationException("Leads:ContactKey is not set."));
        if (secret.Length < 32) throw new InvalidOperationException("Leads:ContactKey must be at least 32 bytes (base64).");
        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "lead-contact-encryption"u8.ToArray());
        _hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "lead-contact-hash"u8.ToArray());
    }

    public string Protect(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[12 + 16 + plain.Length];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, 16);
        aes.Encrypt(nonce, plain, output.AsSpan(28), output.AsSpan(12, 16));
        return Prefix + Convert.ToBase64String(output);
    }

    public string Unprotect(string ciphertext)
    {
        if (!ciphertext.StartsWith(Prefix, StringComparison.Ordinal)) throw new CryptographicException("Unknown contact cipher version.");
        var data = Convert.FromBase64String(ciphertext[Prefix.Length..]);
        var plain = new byte[data.Length - 28];
        using var aes = new AesGcm(_encryptionKey, 16);
        aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(28), data.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public string Hash(string normalised) => Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(normalised)));
}
