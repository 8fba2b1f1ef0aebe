using System.Security.Cryptography;

namespace TaskFlow.Manifests;

/// <summary>
/// The Secret's values for a cluster. The operator writes the source values (secrets.env, the PEM files) or lets
/// this fill in random ones; every value is then checked (none empty, none with a character one of its uses cannot
/// carry) and the encoded copies (URI-encoded, connection-string-quoted) are derived into secrets.derived.env, so
/// no copy is ever kept by hand and any character survives where its format can escape it.
/// </summary>
public static class SecretValues
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <param name="catalog">The Secret's keys, as the conversion found them.</param>
    /// <param name="existing">The files already there, by path relative to deploy/k8s (missing ones absent).</param>
    /// <returns>Files by path relative to deploy/k8s.</returns>
    public static SecretsPlan Prepare(SecretCatalog catalog, IReadOnlyDictionary<string, string> existing)
    {
        var errors = new List<string>();
        var generated = new List<string>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var sources = catalog.Sources.Where(k => k.File is null).ToList();

        var envText = existing.GetValueOrDefault(InBase(KubernetesGenerator.SecretsEnvFile));
        var values = envText is null ? [] : ParseEnv(envText, KubernetesGenerator.SecretsEnvFile, errors);
        foreach (var unknown in values.Keys.Where(k => !sources.Any(s => s.Key == k)))
        {
            errors.Add($"{KubernetesGenerator.SecretsEnvFile}: '{unknown}' is not a key of the Secret (derived keys are written to {KubernetesGenerator.DerivedSecretsEnvFile}, never by hand).");
        }

        var appended = new StringBuilder(envText ?? "# Secret values for deploy/k8s (see secrets.example.env). Keep this file out of git.\n");
        if (appended.Length > 0 && appended[^1] != '\n')
        {
            appended.Append('\n');
        }

        foreach (var key in sources)
        {
            if (!values.TryGetValue(key.Key, out var value))
            {
                value = RandomText(Math.Max(32, key.Generate?.MinLength ?? 0));
                values[key.Key] = value;
                generated.Add(key.Key);
                appended.Append(key.Key).Append('=').Append(value).Append('\n');
            }
            else if (value.Length == 0)
            {
                errors.Add($"{KubernetesGenerator.SecretsEnvFile}: '{key.Key}' is empty; give it a value or delete the line to have one generated.");
            }

            foreach (var constraint in catalog.ConstraintsOf(key.Key).Where(c => value.Contains(c.Forbidden, StringComparison.Ordinal)))
            {
                errors.Add($"{KubernetesGenerator.SecretsEnvFile}: '{key.Key}' contains {JsonSerializer.Serialize(constraint.Forbidden)}, which {constraint.Reason}.");
            }
        }

        if (generated.Count > 0)
        {
            files[InBase(KubernetesGenerator.SecretsEnvFile)] = appended.ToString();
        }

        var derived = new StringBuilder("# Derived from secrets.env by 'TaskFlow.Manifests secrets': do not edit, run it again instead.\n");
        foreach (var key in catalog.Derived)
        {
            var source = values.GetValueOrDefault(key.DerivedFrom!) ?? "";
            derived.Append(key.Key).Append('=').Append(Encode(source, key.Encoding)).Append('\n');
        }

        files[InBase(KubernetesGenerator.DerivedSecretsEnvFile)] = derived.ToString();

        foreach (var key in catalog.Sources.Where(k => k.File is not null))
        {
            var path = InBase(key.File!.File);
            if (existing.TryGetValue(path, out var pem))
            {
                CheckPem(pem, path, key.Key, errors);
            }
            else if (key.File.Generate == SecretFile.RsaPrivateKeyPem)
            {
                using var rsa = RSA.Create(2048);
                files[path] = rsa.ExportPkcs8PrivateKeyPem() + "\n";
                generated.Add(key.Key);
            }
            else
            {
                errors.Add($"{path}: missing ('{key.Key}' is read from it).");
            }
        }

        var grafana = $"{MonitoringGenerator.Folder}/{MonitoringGenerator.GrafanaEnvFile}";
        if (!existing.ContainsKey(grafana))
        {
            files[grafana] = $"{MonitoringGenerator.GrafanaSecretKey}={RandomText(32)}\n";
            generated.Add(MonitoringGenerator.GrafanaSecretKey);
        }

        return new SecretsPlan(files, errors, generated);
    }

    /// <summary>The secret files sit beside the application kustomization that reads them.</summary>
    public static string InBase(string file) => $"{KubernetesGenerator.BaseFolder}/{file}";

    /// <summary>The encoded copy of a secret, as the format it is used in reads it back.</summary>
    public static string Encode(string value, SecretEncoding? encoding) => encoding switch
    {
        SecretEncoding.Uri => Uri.EscapeDataString(value),
        SecretEncoding.ConnectionStringQuoted => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        _ => value,
    };

    /// <summary>
    /// Reads KEY=VALUE lines as kustomize's secretGenerator does: blank lines and '#' comments skipped, everything
    /// after the first '=' is the value, byte for byte.
    /// </summary>
    public static Dictionary<string, string> ParseEnv(string text, string file, List<string> errors)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"{file}:{number}: not KEY=VALUE.");
                continue;
            }

            var key = trimmed[..equals];
            if (!values.TryAdd(key, trimmed[(equals + 1)..]))
            {
                errors.Add($"{file}:{number}: '{key}' is given twice.");
            }
        }

        return values;
    }

    private static void CheckPem(string pem, string path, string key, List<string> errors)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            _ = rsa.ExportParameters(includePrivateParameters: true);
            if (rsa.KeySize < 2048)
            {
                errors.Add($"{path}: '{key}' is a {rsa.KeySize}-bit key; at least 2048 bits.");
            }
        }
        catch (ArgumentException e)
        {
            errors.Add($"{path}: '{key}' is not an RSA private key in PEM form ({e.Message}).");
        }
        catch (CryptographicException e)
        {
            errors.Add($"{path}: '{key}' is not an RSA private key in PEM form ({e.Message}).");
        }
    }

    private static string RandomText(int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)])]);
}
