namespace LeadExchange.Application.Common.Interfaces;

/// <summary>
/// Lead contact data at rest: authenticated encryption for what buyers may read, and a keyed hash for
/// what must only be compared (dedup, blocklists). The key comes from configuration, the same on every node.
/// </summary>
public interface IContactProtector
{
    string Protect(string plaintext);

    string Unprotect(string ciphertext);

    /// <summary>A keyed, deterministic hash (hex) of a normalised value: equal inputs give equal hashes, nothing else can be read from it.</summary>
    string Hash(string normalised);
}
