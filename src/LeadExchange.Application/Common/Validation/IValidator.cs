using LeadExchange.Domain.Common;

namespace LeadExchange.Application.Common.Validation;

/// <summary>Checks a request before its handler runs; the validation behaviour turns errors into a ValidationException.</summary>
public interface IValidator<in TRequest>
{
    Task<IReadOnlyList<(string Field, string Message)>> ValidateAsync(TRequest request, CancellationToken ct);
}

/// <summary>Collects field errors with a few common rules.</summary>
public sealed class ValidationErrors
{
    private readonly List<(string Field, string Message)> _errors = [];

    public IReadOnlyList<(string Field, string Message)> Errors => _errors;

    public ValidationErrors Add(string field, string message)
    {
        _errors.Add((field, message));
        return this;
    }

    public ValidationErrors AddRange(IEnumerable<(string Field, string Message)> errors)
    {
        _errors.AddRange(errors);
        return this;
    }

    public ValidationErrors Required(string field, string? value, int maxLength, string label)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"{label} is required.");
        else if (value.Length > maxLength) Add(field, $"{label} is at most {maxLength} characters.");
        return this;
    }

    /// <summary>A name other people read (a display name, a title): required, at most <paramref name="maxLength"/>, no hidden characters.</summary>
    public ValidationErrors ShownName(string field, string? value, int maxLength, string label)
    {
        Required(field, value, maxLength, label);
        if (DisplayText.HasHiddenCharacters(value)) Add(field, DisplayText.HiddenCharactersMessage(label));
        return this;
    }

    public ValidationErrors Email(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "Email is required.");
        else if (value.Length > 256 || !System.Net.Mail.MailAddress.TryCreate(value.Trim(), out var parsed) || parsed.Address != value.Trim())
            Add(field, "Email is not a valid address.");
        return this;
    }
}
