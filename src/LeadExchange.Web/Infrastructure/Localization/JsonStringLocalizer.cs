using System.Globalization;
using Microsoft.Extensions.Localization;

namespace LeadExchange.Web.Infrastructure.Localization;

/// <summary>
/// One shared localizer for the whole UI: the key is the English text, looked up in the current UI culture
/// (<see cref="Translations"/>); without a translation the English key is the text. Views get it as
/// <c>@inject IStringLocalizer L</c> (Views/_ViewImports.cshtml): LocalizedString is plain text, so Razor
/// HTML-encodes it like any other string, in content and in attributes alike.
/// </summary>
public sealed class JsonStringLocalizer(Translations translations) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var value = translations.Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text.Value, arguments), text.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        translations.All(CultureInfo.CurrentUICulture).Select(p => new LocalizedString(p.Key, p.Value));
}

/// <summary>Every type and view shares one key space (the English text), so every request gets the same localizer.</summary>
public sealed class JsonStringLocalizerFactory(JsonStringLocalizer localizer) : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => localizer;

    public IStringLocalizer Create(string baseName, string location) => localizer;
}
