using System.Security.Cryptography;

namespace LeadExchange.Domain.Common;

/// <summary>Unguessable URL-safe identifiers (link codes, click ids, API key secrets).</summary>
public static class TokenGenerator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(int length)
    {
        // GetString draws uniformly from the alphabet (no modulo bias).
        return RandomNumberGenerator.GetString(Alphabet, length);
    }

    public static bool IsWellFormed(string? value, int maxLength) =>
        !string.IsNullOrEmpty(value) && value.Length <= maxLength && value.All(c => Alphabet.Contains(c));
}
