namespace Gateway.Core.Configuration;

/// <summary>Every problem found in a configuration, each prefixed with its path in the file.</summary>
public sealed class ConfigException(string source, IReadOnlyList<string> problems)
    : Exception(Format(source, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string Format(string source, IReadOnlyList<string> problems) =>
        $"Invalid configuration ({source}): {problems.Count} problem(s)" + Environment.NewLine +
        string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}
