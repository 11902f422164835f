namespace LeadExchange.Domain.Audit;

/// <summary>
/// One privileged or money-moving action, as it happened: who (user id and email at the time), when, what (action code,
/// target type and id) and the changed fields before and after as compact JSON. Append-only: no setter is public and there
/// is no method that changes an entry; nothing in the application updates or deletes one.
/// </summary>
public sealed class AuditEntry
{
    public const int ActionMaxLength = 64;
    public const int TargetTypeMaxLength = 64;
    public const int TargetIdMaxLength = 450;
    public const int ActorIdMaxLength = 450;
    public const int ActorEmailMaxLength = 256;

    private AuditEntry() { }

    public Guid Id { get; private set; }
    public DateTime At { get; private set; }
    public string ActorId { get; private set; } = "";
    public string? ActorEmail { get; private set; }
    public string Action { get; private set; } = "";
    public string TargetType { get; private set; } = "";
    public string TargetId { get; private set; } = "";
    public string? Before { get; private set; }
    public string? After { get; private set; }

    public static AuditEntry Create(DateTime at, string actorId, string? actorEmail, string action, string targetType, string targetId,
        string? before, string? after)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetType);
        ArgumentNullException.ThrowIfNull(targetId);
        if (action.Length > ActionMaxLength) throw new ArgumentException("Action code is too long.", nameof(action));
        if (targetType.Length > TargetTypeMaxLength) throw new ArgumentException("Target type is too long.", nameof(targetType));
        return new AuditEntry
        {
            Id = Guid.NewGuid(),
            At = at,
            ActorId = actorId,
            ActorEmail = actorEmail is { Length: > ActorEmailMaxLength } ? actorEmail[..ActorEmailMaxLength] : actorEmail,
            Action = action,
            TargetType = targetType,
            TargetId = targetId.Length > TargetIdMaxLength ? targetId[..TargetIdMaxLength] : targetId,
            Before = before,
            After = after,
        };
    }
}
