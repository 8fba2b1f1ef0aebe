using TaskFlow.Manifests;

const string Usage = """
    Converts the AppHost's Aspire manifest into Kubernetes YAML (and validates it).

    usage: TaskFlow.Manifests [generate] [options]   write deploy/k8s (or --check that it is up to date)
           TaskFlow.Manifests secrets [options]      fill in missing secret values (random), check every value and
                                                     derive the encoded copies (secrets.derived.env)

    options:
      --deploy <dir>          the deploy folder (default: deploy)
      --manifest <file>       the Aspire manifest (default: <deploy>/aspire-manifest.json)
      --settings <file>       deployment settings (default: <deploy>/k8s.settings.json)
      --output <dir>          where the YAML goes (default: <deploy>/k8s)
      --image-prefix <text>   project images are <prefix>/<name>:<tag> (default from the settings: taskflow)
      --image-tag <tag>       the images' version (default from the settings; never 'latest')
      --version <version>     the same as --image-tag
      --check                 write nothing; fail if the files on disk differ from what would be written
    """;

var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "generate";
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var check = false;
for (var i = command == args.ElementAtOrDefault(0) ? 1 : 0; i < args.Length; i++)
{
    if (args[i] == "--check")
    {
        check = true;
    }
    else if (args[i] is "--deploy" or "--manifest" or "--settings" or "--output" or "--image-prefix" or "--image-tag" or "--version" && i + 1 < args.Length)
    {
        options[args[i] == "--version" ? "--image-tag" : args[i]] = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.\n\n{Usage}");
        return 2;
    }
}

if (command is not ("generate" or "secrets"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var deploy = options.GetValueOrDefault("--deploy", "deploy");
var manifestPath = options.GetValueOrDefault("--manifest", Path.Combine(deploy, "aspire-manifest.json"));
var settingsPath = options.GetValueOrDefault("--settings", Path.Combine(deploy, "k8s.settings.json"));
var output = options.GetValueOrDefault("--output", Path.Combine(deploy, "k8s"));

Conversion conversion;
try
{
    var settings = DeploymentSettings.Load(settingsPath);
    settings = settings with
    {
        ImagePrefix = options.GetValueOrDefault("--image-prefix", settings.ImagePrefix),
        ImageTag = options.GetValueOrDefault("--image-tag", settings.ImageTag),
    };
    conversion = ManifestConverter.Convert(
        AspireManifest.Parse(File.ReadAllText(manifestPath)), settings, MonitoringSources.Load(deploy));
}
catch (Exception e) when (e is ManifestException or IOException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

if (!conversion.Succeeded)
{
    Console.Error.WriteLine($"error: {manifestPath} does not convert to valid Kubernetes objects:");
    foreach (var error in conversion.Errors)
    {
        Console.Error.WriteLine($"  - {error}");
    }

    return 1;
}

if (command == "secrets")
{
    var known = new[] { SecretValues.InBase(KubernetesGenerator.SecretsEnvFile), $"{MonitoringGenerator.Folder}/{MonitoringGenerator.GrafanaEnvFile}" }
        .Concat(conversion.Secrets.Keys.Where(k => k.File is not null).Select(k => SecretValues.InBase(k.File!.File)));
    var existing = known.Where(p => File.Exists(Path.Combine(output, p)))
        .ToDictionary(p => p, p => File.ReadAllText(Path.Combine(output, p)), StringComparer.Ordinal);
    var plan = SecretValues.Prepare(conversion.Secrets, existing);
    if (!plan.Succeeded)
    {
        foreach (var error in plan.Errors)
        {
            Console.Error.WriteLine($"error: {error}");
        }

        Console.Error.WriteLine("error: no secret file was written.");
        return 1;
    }

    foreach (var (path, text) in plan.Files)
    {
        var target = Path.Combine(output, path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Console.WriteLine($"wrote    {target}");
    }

    Console.WriteLine(plan.Generated.Count == 0
        ? "Every secret value was given; derived keys written."
        : $"Generated random values for: {string.Join(", ", plan.Generated)}.");
    return 0;
}

var generated = conversion.Files.ToDictionary(f => Path.GetFullPath(Path.Combine(output, f.Path)), f => f.Render());
// Files an earlier run generated for resources the manifest no longer has.
var stale = Directory.Exists(output)
    ? Directory.EnumerateFiles(output, "*.yaml", SearchOption.AllDirectories)
        .Select(Path.GetFullPath)
        .Where(f => !generated.ContainsKey(f) && File.ReadLines(f).FirstOrDefault()?.Contains(ManifestFile.GeneratedNotice, StringComparison.Ordinal) == true)
        .ToList()
    : [];

if (check)
{
    var outdated = generated.Where(g => !File.Exists(g.Key) || File.ReadAllText(g.Key) != g.Value).Select(g => g.Key).Concat(stale).ToList();
    foreach (var file in outdated)
    {
        Console.Error.WriteLine($"out of date: {Path.GetRelativePath(Environment.CurrentDirectory, file)}");
    }

    if (outdated.Count > 0)
    {
        Console.Error.WriteLine("error: the Kubernetes manifests are out of date; run deploy/generate-k8s.sh and commit deploy/.");
        return 1;
    }

    Console.WriteLine($"{generated.Count} files in {output} are up to date.");
    return 0;
}

foreach (var (path, text) in generated)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, text);
}

foreach (var file in stale)
{
    File.Delete(file);
    Console.WriteLine($"removed  {Path.GetRelativePath(Environment.CurrentDirectory, file)}");
}

Console.WriteLine($"wrote {generated.Count} files to {output} ({conversion.Secrets.Keys.Count} secret keys: see secrets.example.env).");
return 0;
