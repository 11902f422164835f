using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace LeadExchange.Web.Infrastructure.Localization;

/// <summary>
/// Every translation of the UI: the embedded files Resources/i18n/{culture}/*.json, each a flat object
/// {"English text": "translation"}. The key is the English text itself, so English needs no file and a
/// missing translation shows English. Many small files (one per area) instead of one big one, so people
/// adding strings in parallel rarely touch the same file; a key translated differently in two files of
/// one culture is an error at start-up rather than a silent pick.
/// </summary>
public sealed class Translations
{
    /// <summary>Prefix of the embedded resources' logical names (see LeadExchange.Web.csproj).</summary>
    public const string ResourcePrefix = "i18n/";

    private readonly Dictionary<string, Dictionary<string, string>> _byCulture;

    public Translations(IEnumerable<(string Culture, string File, string Json)> files)
    {
        _byCulture = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        var origin = new Dictionary<(string, string), string>();
        foreach (var (culture, file, json) in files)
        {
            if (!_byCulture.TryGetValue(culture, out var table))
                _byCulture[culture] = table = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Parse(file, json))
            {
                if (table.TryGetValue(key, out var existing) && existing != value)
                    throw new InvalidOperationException(
                        $"Translation conflict in {culture}: \"{key}\" is \"{existing}\" in {origin[(culture, key)]} and \"{value}\" in {file}.");
                table[key] = value;
                origin[(culture, key)] = file;
            }
        }
    }

    /// <summary>The cultures that have at least one file.</summary>
    public IReadOnlyCollection<string> Cultures => _byCulture.Keys;

    /// <summary>The translation for the culture or one of its parents (ru-RU, then ru); null when there is none.</summary>
    public string? Find(string key, CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
            if (_byCulture.TryGetValue(c.Name, out var table) && table.TryGetValue(key, out var value))
                return value;
        return null;
    }

    public IReadOnlyDictionary<string, string> All(CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
            if (_byCulture.TryGetValue(c.Name, out var table)) return table;
        return new Dictionary<string, string>();
    }

    /// <summary>A file's pairs; anything but a flat object of non-empty strings is an error naming the file.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Parse(string file, string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException($"{file}: the translations must be one flat JSON object.");
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(property.Value.GetString()))
                throw new InvalidOperationException($"{file}: \"{property.Name}\" needs a non-empty string translation.");
            pairs.Add(new(property.Name, property.Value.GetString()!));
        }
        return pairs;
    }

    /// <summary>The embedded files of an assembly: logical names i18n/{culture}/{name}.json.</summary>
    public static IEnumerable<(string Culture, string File, string Json)> Embedded(Assembly assembly)
    {
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !normalized.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                continue;
            var parts = normalized[ResourcePrefix.Length..].Split('/');
            if (parts.Length != 2) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (parts[0], normalized, reader.ReadToEnd());
        }
    }
}
