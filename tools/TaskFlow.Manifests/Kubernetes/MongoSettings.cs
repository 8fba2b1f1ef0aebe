namespace TaskFlow.Manifests.Kubernetes;

public sealed record MongoSettings
{
    /// <summary>The root user MONGO_INITDB_ROOT_USERNAME creates; its password is the Secret key <c>&lt;container&gt;-password</c>.</summary>
    public string User { get; init; } = "taskflow";
}
