namespace Gateway.Core.Configuration;

/// <summary>
/// Where secrets come from when the config says <c>aws_secret/&lt;id&gt;</c> or <c>aws_secret/&lt;id&gt;#&lt;json-field&gt;</c>
/// (Secrets Manager, read through SSM on Lambda). Returns the value, or throws with a message that names the secret
/// but never contains secret material.
/// </summary>
public interface ISecretResolver
{
    Task<string> ResolveAsync(string secretId, string? jsonField, CancellationToken cancellationToken);
}

/// <summary>
/// A secret the gateway holds and may replace when it is rotated: API keys and the master key. Readers always see a
/// whole value (a volatile reference swap); <see cref="Reference"/> is what the config named, for refreshing.
/// </summary>
public sealed class SecretValue
{
    private string _current;

    public SecretValue(string current, string? reference = null)
    {
        _current = current;
        Reference = reference;
    }

    /// <summary>The config text (<c>aws_secret/id#field</c>) when refreshable; null for literals and environment variables.</summary>
    public string? Reference { get; }
    public string Current => Volatile.Read(ref _current);

    /// <summary>Replaces the value; returns whether it changed.</summary>
    public bool Update(string value) => !string.Equals(Interlocked.Exchange(ref _current, value), value, StringComparison.Ordinal);

    /// <summary>Splits <c>aws_secret/id#field</c>; false for anything else.</summary>
    public static bool TryParseReference(string text, out string secretId, out string? jsonField)
    {
        const string prefix = "aws_secret/";
        (secretId, jsonField) = ("", null);
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length == prefix.Length)
            return false;
        var rest = text[prefix.Length..];
        var hash = rest.IndexOf('#');
        (secretId, jsonField) = hash < 0 ? (rest, null) : (rest[..hash], rest[(hash + 1)..]);
        return secretId.Length > 0 && jsonField is not "";
    }
}
