namespace TaskFlow.Manifests.Kubernetes;

/// <summary>How a derived key is computed from its source.</summary>
public enum SecretEncoding
{
    /// <summary>Percent-encoding (RFC 3986 unreserved characters kept): for the userinfo of a URI.</summary>
    Uri,

    /// <summary><c>"value"</c> with '"' doubled: an ADO.NET connection string value that may hold ';', '=' or quotes.</summary>
    ConnectionStringQuoted,
}
