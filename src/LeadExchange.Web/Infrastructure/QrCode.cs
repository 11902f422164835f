using QRCoder;

namespace LeadExchange.Web.Infrastructure;

/// <summary>QR codes for authenticator apps, as PNG data URIs (the Content-Security-Policy allows data: images, not inline SVG styles).</summary>
public static class QrCode
{
    public static string PngDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
