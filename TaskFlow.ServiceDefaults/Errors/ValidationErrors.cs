namespace TaskFlow.ServiceDefaults.Errors;

/// <summary>
/// Collects field → messages for a 400 <c>ValidationProblem</c>; field names are the API's JSON (camelCase) or query
/// names, as the <c>errors</c> of the validation problem.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Adds <paramref name="message"/> under <paramref name="field"/>; a null message (a rule that passed) adds nothing.</summary>
    public ValidationErrors Add(string field, string? message)
    {
        if (message is not null)
        {
            if (!_errors.TryGetValue(field, out var messages))
            {
                messages = [];
                _errors[field] = messages;
            }

            messages.Add(message);
        }

        return this;
    }

    public bool Contains(string field) => _errors.ContainsKey(field);

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
