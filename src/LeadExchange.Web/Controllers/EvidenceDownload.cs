using LeadExchange.Application.Disputes;
using Microsoft.AspNetCore.Mvc;

namespace LeadExchange.Web.Controllers;

/// <summary>
/// A dispute's evidence file as the API and the moderation pages serve it: always a download, never sniffed
/// or rendered inline, sandboxed in case a browser opens it anyway (buyers upload it; nobody vouches for it).
/// </summary>
public static class EvidenceDownload
{
    public static FileContentResult For(ControllerBase controller, EvidenceFile file)
    {
        controller.Response.Headers.XContentTypeOptions = "nosniff";
        controller.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return controller.File(file.Content, file.ContentType, file.FileName);
    }
}
