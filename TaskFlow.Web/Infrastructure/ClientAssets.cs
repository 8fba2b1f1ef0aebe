using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.FileProviders;

namespace TaskFlow.Web.Infrastructure;

/// <summary>
/// The client's files, versioned by their content: every asset is served under <c>/assets/{version}/</c>, where the
/// version is a hash of all of them, so browsers may cache them for a year and still never run a stale mix.
/// Only <c>index.html</c>, which names the version, is revalidated on each visit.
/// </summary>
/// <param name="Version">The first 12 hex digits of a SHA-256 over every asset's path and content.</param>
/// <param name="IndexHtml"><c>index.html</c> with the version filled in.</param>
/// <param name="AssetsRoot">The physical folder holding the assets.</param>
public sealed record ClientAssets(string Version, string IndexHtml, string AssetsRoot)
{
    private const string AssetsFolder = "assets";
    private const string VersionPlaceholder = "{{version}}";

    /// <summary>The URL path the assets are served under, e.g. <c>/assets/3f2a9c0d1e4b</c>.</summary>
    public string BasePath => $"/{AssetsFolder}/{Version}";

    /// <summary>The entity tag of <c>index.html</c>: it changes exactly when an asset does.</summary>
    public string IndexETag => $"\"{Version}\"";

    public static ClientAssets Load(string webRootPath)
    {
        var assetsRoot = Path.Combine(webRootPath, AssetsFolder);
        var files = Directory.GetFiles(assetsRoot, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(assetsRoot, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(assetsRoot, file)));
        }

        var version = Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
        var template = File.ReadAllText(Path.Combine(webRootPath, "index.html"));
        return new ClientAssets(version, template.Replace(VersionPlaceholder, version, StringComparison.Ordinal), assetsRoot);
    }

    public IFileProvider CreateFileProvider() => new PhysicalFileProvider(AssetsRoot);
}
