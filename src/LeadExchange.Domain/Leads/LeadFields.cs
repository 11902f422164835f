using System.Globalization;
using System.Text.Json;
using LeadExchange.Domain.Reference;

namespace LeadExchange.Domain.Leads;

/// <summary>Niche-specific fields checked against the niche definition: required ones present, types right, choices known.</summary>
public static class LeadFields
{
    public const int MaxFields = 30;
    public const int TextMaxLength = 500;

    /// <summary>Returns the values normalised to strings (numbers invariant, booleans true/false) and the errors by field ("fields.rooms").</summary>
    public static (Dictionary<string, string> Values, List<(string Field, string Message)> Errors) Check(
        IReadOnlyList<NicheField> definition, IReadOnlyDictionary<string, JsonElement>? given)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<(string, string)>();
        given ??= new Dictionary<string, JsonElement>();
        if (given.Count > MaxFields) errors.Add(("fields", $"At most {MaxFields} fields."));
        foreach (var key in given.Keys.Where(k => definition.All(d => !d.Key.Equals(k, StringComparison.OrdinalIgnoreCase))))
            errors.Add(($"fields.{key}", $"'{key}' is not a field of this niche. Fields: {string.Join(", ", definition.Select(d => d.Key))}."));
        foreach (var field in definition)
        {
            var name = $"fields.{field.Key}";
            var present = given.FirstOrDefault(g => g.Key.Equals(field.Key, StringComparison.OrdinalIgnoreCase));
            if (present.Key is null || present.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                || (present.Value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(present.Value.GetString())))
            {
                if (field.Required) errors.Add((name, $"{field.Label} is required."));
                continue;
            }
            var v = present.Value;
            switch (field.Type)
            {
                case LeadFieldType.Integer:
                    if (TryNumber(v, out var i) && i == decimal.Truncate(i) && i >= long.MinValue && i <= long.MaxValue)
                        values[field.Key] = ((long)i).ToString(CultureInfo.InvariantCulture);
                    else errors.Add((name, $"{field.Label} must be a whole number."));
                    break;
                case LeadFieldType.Decimal:
                    if (TryNumber(v, out var d)) values[field.Key] = d.ToString(CultureInfo.InvariantCulture);
                    else errors.Add((name, $"{field.Label} must be a number."));
                    break;
                case LeadFieldType.Boolean:
                    if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) values[field.Key] = v.GetBoolean() ? "true" : "false";
                    else if (v.ValueKind == JsonValueKind.String && bool.TryParse(v.GetString(), out var b)) values[field.Key] = b ? "true" : "false";
                    else errors.Add((name, $"{field.Label} must be true or false."));
                    break;
                case LeadFieldType.Choice:
                    var choice = v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
                    var match = field.Choices?.FirstOrDefault(c => c.Equals(choice, StringComparison.OrdinalIgnoreCase));
                    if (match is not null) values[field.Key] = match;
                    else errors.Add((name, $"{field.Label} must be one of: {string.Join(", ", field.Choices ?? [])}."));
                    break;
                default:
                    var text = v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
                    if (text is null) errors.Add((name, $"{field.Label} must be text."));
                    else if (text.Length > TextMaxLength) errors.Add((name, $"{field.Label} is at most {TextMaxLength} characters."));
                    else values[field.Key] = text;
                    break;
            }
        }
        return (values, errors);
    }

    private static bool TryNumber(JsonElement v, out decimal value)
    {
        value = 0;
        if (v.ValueKind == JsonValueKind.Number) return v.TryGetDecimal(out value);
        return v.ValueKind == JsonValueKind.String
               && decimal.TryParse(v.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
