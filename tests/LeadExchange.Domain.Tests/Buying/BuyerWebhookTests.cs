using System.Security.Cryptography;
using System.Text;
using LeadExchange.Domain.Buying;
using LeadExchange.Domain.Common;

namespace LeadExchange.Domain.Tests.Buying;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private const string Body = """{"event":"lead.sold","leadId":"7f0c","contact":{"name":"Иван","phone":"+79161234567"}}""";
    private const long T = 1_795_000_000;

    [Fact]
    public void Sign_WhenGivenSecretTimeAndBody_IsHexHmacOfTimeDotBody()
    {
        var header = WebhookSignature.Sign(Secret, T, Body);

        // Computed independently of the implementation, the way a buyer's server does it.
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{T}.{Body}"));
        Assert.Equal($"t={T},v1={Convert.ToHexString(mac).ToLowerInvariant()}", header);
    }

    [Fact]
    public void Verify_WhenHeaderWasSignedWithTheSameSecretAndBody_IsTrue() =>
        Assert.True(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, T, Body), Body, T + 10));

    [Fact]
    public void Verify_WhenHeaderHasSpacesAfterTheComma_IsTrue() =>
        Assert.True(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, T, Body).Replace(",", ", ", StringComparison.Ordinal), Body, T));

    [Fact]
    public void Verify_WhenBodyWasTampered_IsFalse() =>
        Assert.False(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, T, Body), Body.Replace("7f0c", "7f0d", StringComparison.Ordinal), T));

    [Fact]
    public void Verify_WhenSecretDiffers_IsFalse() =>
        Assert.False(WebhookSignature.Verify("whsec_other", WebhookSignature.Sign(Secret, T, Body), Body, T));

    [Fact]
    public void Verify_WhenTimestampWasChangedAfterSigning_IsFalse()
    {
        var replayed = WebhookSignature.Sign(Secret, T, Body).Replace($"t={T}", $"t={T + 100}", StringComparison.Ordinal);

        Assert.False(WebhookSignature.Verify(Secret, replayed, Body, T + 100));
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)] // from the future
    [InlineData(3600, false)]
    public void Verify_WhenTimestampIsOld_IsFalseOutsideTheTolerance(long ageSeconds, bool valid) =>
        Assert.Equal(valid, WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, T, Body), Body, T + ageSeconds));

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=1795000000")]
    [InlineData("v1=00ff")]
    [InlineData("t=-5,v1=00ff")]
    [InlineData("t=abc,v1=00ff")]
    public void Verify_WhenHeaderIsMalformed_IsFalse(string header) => Assert.False(WebhookSignature.Verify(Secret, header, Body, T));
}

public sealed class BuyerWebhookSettingsTests
{
    private static readonly DateTime Now = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>As the outbox handler leaves the row after the last allowed failure (it counts and switches off in SQL).</summary>
    private static BuyerWebhookSettings SwitchedOff(BuyerWebhookSettings settings)
    {
        Set(settings, nameof(BuyerWebhookSettings.ConsecutiveFailures), BuyerWebhookSettings.DisableAfterFailures);
        Set(settings, nameof(BuyerWebhookSettings.Enabled), false);
        Set(settings, nameof(BuyerWebhookSettings.DisabledAt), (DateTime?)Now);
        Set(settings, nameof(BuyerWebhookSettings.DisabledReason), "Switched off after 10 failed deliveries in a row; last: HTTP 500");
        return settings;
    }

    private static void Set(BuyerWebhookSettings settings, string property, object? value) =>
        typeof(BuyerWebhookSettings).GetProperty(property)!.SetValue(settings, value);

    [Fact]
    public void Create_WhenNew_IsOffWithAFreshWhsecSecret()
    {
        var a = BuyerWebhookSettings.Create("adv-1", Now);
        var b = BuyerWebhookSettings.Create("adv-2", Now);

        Assert.False(a.Enabled);
        Assert.Equal("", a.Url);
        Assert.StartsWith("whsec_", a.Secret);
        Assert.True(a.Secret.Length >= 6 + 32, a.Secret);
        Assert.NotEqual(a.Secret, b.Secret);
    }

    [Theory]
    [InlineData("https://crm.example/hooks/leads")]
    [InlineData("http://crm.example:8080/hooks?token=abc")]
    [InlineData("  https://crm.example/hook  ")]
    public void ValidateUrl_WhenAbsoluteHttpUrl_IsNull(string url) => Assert.Null(BuyerWebhookSettings.ValidateUrl(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("crm.example/hook")]
    [InlineData("/hooks/leads")]
    [InlineData("ftp://crm.example/hook")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user:pass@crm.example/hook")]
    public void ValidateUrl_WhenNotAnAbsoluteHttpUrl_ReturnsAMessage(string? url) => Assert.False(string.IsNullOrWhiteSpace(BuyerWebhookSettings.ValidateUrl(url)));

    [Fact]
    public void ValidateUrl_WhenLongerThanTheLimit_ReturnsAMessage() =>
        Assert.NotNull(BuyerWebhookSettings.ValidateUrl("https://crm.example/" + new string('a', BuyerWebhookSettings.UrlMaxLength)));

    [Fact]
    public void Update_WhenUrlIsInvalid_ThrowsOnUrlAndKeepsTheSettings()
    {
        var settings = BuyerWebhookSettings.Create("adv-1", Now);
        settings.Update("https://crm.example/hook", enabled: true, Now);

        var ex = Assert.Throws<DomainException>(() => settings.Update("ftp://crm.example/hook", enabled: false, Now.AddHours(1)));

        Assert.Equal("url", ex.Field);
        Assert.Equal("https://crm.example/hook", settings.Url);
        Assert.True(settings.Enabled);
    }

    [Fact]
    public void Update_WhenUrlIsValid_StoresItTrimmedAndTheSwitch()
    {
        var settings = BuyerWebhookSettings.Create("adv-1", Now);

        settings.Update("  https://crm.example/hook ", enabled: true, Now.AddMinutes(1));

        Assert.Equal("https://crm.example/hook", settings.Url);
        Assert.True(settings.Enabled);
        Assert.Equal(Now.AddMinutes(1), settings.UpdatedAt);
    }

    [Fact]
    public void Update_WhenSwitchedOnAfterAutomaticSwitchOff_ClearsFailuresAndReason()
    {
        var settings = SwitchedOff(BuyerWebhookSettings.Create("adv-1", Now));

        settings.Update("https://crm.example/fixed", enabled: true, Now.AddHours(1));

        Assert.True(settings.Enabled);
        Assert.Equal(0, settings.ConsecutiveFailures);
        Assert.Null(settings.DisabledAt);
        Assert.Null(settings.DisabledReason);
    }

    [Fact]
    public void Update_WhenStillOff_KeepsTheSwitchOffReason()
    {
        var settings = SwitchedOff(BuyerWebhookSettings.Create("adv-1", Now));

        settings.Update("https://crm.example/fixed", enabled: false, Now.AddHours(1));

        Assert.False(settings.Enabled);
        Assert.NotNull(settings.DisabledReason);
        Assert.Equal(BuyerWebhookSettings.DisableAfterFailures, settings.ConsecutiveFailures);
    }

    [Fact]
    public void RotateSecret_WhenCalled_ReplacesTheSecret()
    {
        var settings = BuyerWebhookSettings.Create("adv-1", Now);
        var old = settings.Secret;

        settings.RotateSecret(Now.AddDays(1));

        Assert.StartsWith("whsec_", settings.Secret);
        Assert.NotEqual(old, settings.Secret);
    }

    [Fact]
    public void Record_WhenErrorIsLong_CutsItAndSucceededFollowsTheStatus()
    {
        var ok = WebhookDelivery.Record("adv-1", Guid.NewGuid(), Guid.NewGuid(), 1, "https://crm.example/hook", 204, null, 12, Now);
        var failed = WebhookDelivery.Record("adv-1", Guid.NewGuid(), Guid.NewGuid(), 2, "https://crm.example/hook", 500, new string('e', 900), 12, Now);
        var unreachable = WebhookDelivery.Record("adv-1", Guid.NewGuid(), Guid.NewGuid(), 3, "https://crm.example/hook", null, "Timed out.", 10_000, Now);

        Assert.True(ok.Succeeded);
        Assert.False(failed.Succeeded);
        Assert.Equal(WebhookDelivery.ErrorMaxLength, failed.Error!.Length);
        Assert.False(unreachable.Succeeded);
    }
}
