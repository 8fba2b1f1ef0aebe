namespace TaskFlow.Manifests.Aspire;

/// <summary>An endpoint as the cluster serves it: a Service port named after the binding.</summary>
public sealed record ClusterEndpoint(string Resource, AspireBinding Binding, int Port)
{
    public string Url => $"{Binding.Scheme}://{Resource}:{Port}";
}
