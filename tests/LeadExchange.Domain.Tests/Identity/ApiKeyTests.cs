using LeadExchange.Domain.Identity;

namespace LeadExchange.Domain.Tests.Identity;

public sealed class ApiKeyTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Create_WhenIssued_StoresOnlyHashAndPrefix()
    {
        var (key, plain) = ApiKey.Create("u1", "ci", Now);
        Assert.Matches("^lx_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$", plain);
        Assert.Equal(key.Prefix, ApiKey.PrefixOf(plain));
        Assert.DoesNotContain(plain[12..], key.Hash);
        Assert.Equal(64, key.Hash.Length);
        Assert.True(key.Matches(plain));
    }

    [Fact]
    public void Matches_WhenSecretDiffersOrRevoked_IsFalse()
    {
        var (key, plain) = ApiKey.Create("u1", "ci", Now);
        var tampered = plain[..^1] + (plain[^1] == 'a' ? 'b' : 'a');
        Assert.False(key.Matches(tampered));
        key.Revoke(Now);
        Assert.False(key.Matches(plain));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lx_short")]
    [InlineData("xx_AAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")]
    public void PrefixOf_WhenMalformed_IsNull(string? value) => Assert.Null(ApiKey.PrefixOf(value));

    [Fact]
    public void Normalize_WhenRoleNameInAnyCase_ReturnsCanonical()
    {
        Assert.Equal(Roles.Advertiser, Roles.Normalize("advertiser"));
        Assert.Null(Roles.Normalize("superuser"));
    }
}
