namespace Gateway.Tests;

/// <summary>Reads data files from <c>Fixtures/</c>, which the test project copies next to the test assembly.</summary>
internal static class FixtureFile
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>The file's bytes without a trailing newline, so one-line JSON fixtures read as one SSE <c>data:</c> payload.</summary>
    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Path(parts)).AsSpan().TrimEnd("\r\n"u8).ToArray();
}
