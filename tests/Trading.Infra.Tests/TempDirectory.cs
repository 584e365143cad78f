namespace Trading.Infra.Tests;

/// <summary>A scratch directory deleted on dispose; used to alter copies of the templates without touching the repo.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "trading-infra-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies a directory tree into this one and returns the copy's path.</summary>
    public string CopyOf(string source)
    {
        var target = System.IO.Path.Combine(Path, new DirectoryInfo(source).Name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
