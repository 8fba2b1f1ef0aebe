namespace TaskFlow.Manifests.Kubernetes;

/// <summary>One key of the generated Secret and where its value comes from.</summary>
/// <param name="Key">The key (the parameter's or the derived resource's name).</param>
/// <param name="Description">For secrets.example.env.</param>
/// <param name="Generate">Aspire's generate rule, when the AppHost would have generated the value.</param>
/// <param name="DerivedFrom">For an encoded copy: the key it encodes (computed by the <c>secrets</c> command, never by hand).</param>
/// <param name="File">For multi-line values: the git-ignored file the secretGenerator reads.</param>
/// <param name="Encoding">For an encoded copy: how it is computed.</param>
public sealed record SecretKey(string Key, string Description, GenerateRule? Generate, string? DerivedFrom, SecretFile? File, SecretEncoding? Encoding = null);
