using System.Net;
using System.Text;
using LeadExchange.IntegrationTests.Infrastructure;
using static LeadExchange.IntegrationTests.Disputes.DisputeHarness;
using static LeadExchange.IntegrationTests.LeadForms.LeadFormHarness;

namespace LeadExchange.IntegrationTests.Security;

/// <summary>
/// Dispute evidence is uploaded by buyers and opened by moderators, so it must never run in the app's origin: only PNG,
/// JPEG, PDF and plain text whose bytes match the claimed type are accepted, and every download (API and moderation page)
/// is an attachment with its stored type, nosniff and a sandboxing CSP.
/// </summary>
public sealed class EvidenceDownloadTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    private static readonly byte[] Html = Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>");

    [Theory]
    [InlineData("evil.html", "text/html")]
    [InlineData("evil.svg", "image/svg+xml")]
    [InlineData("evil.png", "image/png")]
    [InlineData("evil.pdf", "application/pdf")]
    [InlineData("evil.js", "application/javascript")]
    public async Task Upload_WhenHtmlIsSentAsAnotherOrAnActiveType_Answers422AndStoresNothing(string fileName, string contentType)
    {
        var purchase = await PurchaseAsync(app);

        var errors = await (await DisputeAsync(purchase.Buyer.Client, purchase.SaleId, "invalid_phone", Comment, Evidence(fileName, contentType, Html)))
            .ExpectValidationErrorsAsync();

        errors.AssertHasError("evidence");
        var disputes = await (await purchase.Buyer.Client.GetAsync("/api/v1/disputes")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty(disputes.Items());
    }

    [Fact]
    public async Task Download_OfHtmlUploadedAsPlainText_IsAnInertAttachmentInTheApiAndOnTheModerationPage()
    {
        var purchase = await PurchaseAsync(app);
        var dispute = await OpenAsync(purchase, "invalid_phone", Comment, Evidence("notes.html", "text/plain", Html));
        var evidenceId = dispute.GetProperty("evidence")[0].Str("id");
        using var moderatorPage = await SignInAsync(app, "moderator@demo.test", LeadExchangeFactory.DemoPassword);

        foreach (var (client, url) in new[]
                 {
                     (purchase.Buyer.Client, $"/api/v1/disputes/{dispute.Str("id")}/evidence/{evidenceId}"),
                     (await app.DemoClientAsync("moderator"), $"/api/v1/disputes/{dispute.Str("id")}/evidence/{evidenceId}"),
                     (moderatorPage, $"/Moderation/Disputes/Evidence/{dispute.Str("id")}?evidenceId={evidenceId}"),
                 })
        {
            using var response = await client.GetAsync(url);
            await response.ExpectStatusAsync(HttpStatusCode.OK);
            Assert.Equal(Html, await response.Content.ReadAsByteArrayAsync());
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("nosniff", SecurityHeadersTests.Header(response, "X-Content-Type-Options"));
            var csp = SecurityHeadersTests.Header(response, "Content-Security-Policy");
            Assert.Equal("'none'", SecurityHeadersTests.Directive(csp, "default-src"));
            Assert.Contains("sandbox", csp.Split(';', StringSplitOptions.TrimEntries));
        }
    }
}
