namespace TaskFlow.Manifests.Kubernetes;

public sealed record SecretFile(string File, string? Generate = null)
{
    /// <summary>The one generator known to <c>secrets</c>: a fresh RSA key as a PKCS#8 PEM.</summary>
    public const string RsaPrivateKeyPem = "rsa-2048-pem";
}
