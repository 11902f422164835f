using System.Security.Cryptography;

namespace LeadExchange.Infrastructure.Identity;

/// <summary>
/// RFC 6238 time-based one-time codes as authenticator apps make them: HMAC-SHA1 of the 30-second step, six digits,
/// with the secret in Base32 (RFC 4648, what Identity stores and the otpauth URI carries).
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    public static string Code(string base32Secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(FromBase32(base32Secret), counter, hash);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static byte[] FromBase32(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = input.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var output = new byte[clean.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0) throw new FormatException("Not a Base32 secret.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits < 8) continue;
            output[index++] = (byte)(buffer >> (bits - 8));
            bits -= 8;
        }
        return output;
    }
}
