namespace LeadExchange.Application.Common.Exceptions;

/// <summary>Bad input: field name to messages. Rendered as RFC 7807 problem details (422) or beside form fields.</summary>
public sealed class ValidationException : Exception
{
    public ValidationException(IDictionary<string, string[]> errors)
        : base("One or more fields are invalid.") => Errors = new Dictionary<string, string[]>(errors);

    public ValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    public static ValidationException From(IEnumerable<(string Field, string Message)> errors) =>
        new(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray()));
}

/// <summary>Not there, or not yours: both answer 404 so ids of others' data reveal nothing.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>The request is valid but conflicts with the current state (e.g. already joined).</summary>
public sealed class ConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Wrong email or password (or a locked account): 401 with a message that does not say which.</summary>
public sealed class AuthenticationFailedException() : Exception("Email or password is wrong, or the account is locked.");
