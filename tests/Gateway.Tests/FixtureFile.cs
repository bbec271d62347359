namespace Gateway.Tests;

/// <summary>Reads data files from <c>Fixtures/</c>, which the test project copies next to the test assembly.</summary>
internal static class FixtureFile
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>The file's bytes without a trailing newline, so one-line JSON fixtures read as one SSE <c>data:</c> payload.</summary>
    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Path(parts)).AsSpan().TrimEnd("\r\n"u8).ToArray();

    /// <summary>A file of the repository itself (<c>events/</c>, <c>template.yaml</c>), found above the test output.</summary>
    public static string RepoPath(params string[] parts)
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(dir, "Functions.sln")))
            dir = System.IO.Path.GetDirectoryName(dir) ?? throw new FileNotFoundException("Functions.sln not found above the test output");
        return System.IO.Path.Combine([dir, .. parts]);
    }
}
