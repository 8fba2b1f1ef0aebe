namespace TaskFlow.Users.Infrastructure.Tokens;

/// <summary>
/// The RSA keys of the token issuer: the current one signs, the current and previous ones are published in the
/// JWKS (so tokens signed before a rotation keep validating until they expire). Key ids are RFC 7638 thumbprints.
/// </summary>
public sealed partial class SigningKeyRing
{
    public const string DevelopmentKeyFileName = "signing-key.pem";
    public const int GeneratedKeySize = 2048;

    public SigningKeyRing(RSA current, IEnumerable<RSA> previous)
    {
        Current = CreateKey(current, includePrivate: true);
        SigningCredentials = new SigningCredentials(Current, SecurityAlgorithms.RsaSha256);
        PublicKeys = [.. new[] { current }.Concat(previous)
            .Select(rsa => CreateKey(rsa, includePrivate: false))
            .DistinctBy(k => k.KeyId)];
    }

    /// <summary>The signing key (private), with its <c>kid</c>.</summary>
    public RsaSecurityKey Current { get; }

    public SigningCredentials SigningCredentials { get; }

    /// <summary>Public halves of the current and previous keys, current first.</summary>
    public IReadOnlyList<RsaSecurityKey> PublicKeys { get; }

    public static SigningKeyRing Create(TokenOptions options, string environmentName, ILogger logger)
    {
        var previous = options.PreviousSigningKeys.Where(p => !string.IsNullOrWhiteSpace(p)).Select(ImportPem).ToList();
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var ring = new SigningKeyRing(ImportPem(options.SigningKey), previous);
            LogConfiguredKey(logger, ring.Current.KeyId, ring.PublicKeys.Count - 1);
            return ring;
        }

        if (environmentName != Environments.Development && !options.AllowGeneratedKey)
        {
            throw new OptionsValidationException(TokenOptions.SectionName, typeof(TokenOptions),
                [$"No signing key is configured ({TokenOptions.SectionName}:SigningKey) and the environment '{environmentName}' is not Development."]);
        }

        var directory = options.KeyDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aspnet", "taskflow", "users-keys");
        var path = Path.Combine(directory, DevelopmentKeyFileName);
        var developmentRing = new SigningKeyRing(LoadOrCreateDevelopmentKey(path), previous);
        LogDevelopmentKey(logger, developmentRing.Current.KeyId, path);
        return developmentRing;
    }

    /// <summary>
    /// Creates the development key once and shares it: every replica started together either wins the race to
    /// link its key into place or reads the winner's, so all of them sign with the same key.
    /// </summary>
    public static RSA LoadOrCreateDevelopmentKey(string path)
    {
        if (File.Exists(path))
        {
            return ImportPem(File.ReadAllText(path));
        }

        var directory = Path.GetDirectoryName(path) ?? ".";
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var candidate = RSA.Create(GeneratedKeySize);
        var temporary = Path.Combine(directory, $".{Guid.NewGuid():N}.tmp");
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, fileOptions))
        {
            writer.Write(candidate.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            // Without overwrite this is link + unlink on Unix: it fails if another replica got there first.
            File.Move(temporary, path, overwrite: false);
            return candidate;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            candidate.Dispose();
            return ImportPem(File.ReadAllText(path));
        }
    }

    public static RSA ImportPem(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new OptionsValidationException(TokenOptions.SectionName, typeof(TokenOptions), ["A signing key is not a valid RSA PEM: " + e.Message]);
        }

        if (rsa.KeySize < 2048)
        {
            rsa.Dispose();
            throw new OptionsValidationException(TokenOptions.SectionName, typeof(TokenOptions), ["A signing key is shorter than 2048 bits."]);
        }

        return rsa;
    }

    public static string ComputeKeyId(RSA rsa)
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)));
        return Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
    }

    private static RsaSecurityKey CreateKey(RSA rsa, bool includePrivate)
    {
        var keyId = ComputeKeyId(rsa);
        var key = includePrivate
            ? new RsaSecurityKey(rsa)
            : new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
        key.KeyId = keyId;
        return key;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing access tokens with the configured key {KeyId}; {PreviousKeyCount} previous key(s) published for validation")]
    private static partial void LogConfiguredKey(ILogger logger, string keyId, int previousKeyCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "No signing key configured: using the development key {KeyId} kept at {KeyPath}")]
    private static partial void LogDevelopmentKey(ILogger logger, string keyId, string keyPath);
}
