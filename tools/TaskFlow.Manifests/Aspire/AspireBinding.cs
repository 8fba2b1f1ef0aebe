namespace TaskFlow.Manifests.Aspire;

/// <summary>One endpoint of a project or container (<c>bindings.&lt;name&gt;</c>).</summary>
public sealed record AspireBinding(string Name, string Scheme, string Protocol, string Transport, int? TargetPort, bool External);
