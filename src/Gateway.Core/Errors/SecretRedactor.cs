using System.Text.RegularExpressions;

namespace Gateway.Core.Errors;

/// <summary>
/// Removes anything shaped like a credential from text that came from elsewhere (upstream error messages),
/// so that no key reaches a client or a log even when a provider echoes part of one back.
/// </summary>
public static partial class SecretRedactor
{
    private const int MaxMessageLength = 1000;

    public static string Redact(string text)
    {
        var redacted = CredentialPattern().Replace(text, "[redacted]");
        return redacted.Length <= MaxMessageLength ? redacted : redacted[..MaxMessageLength] + "…";
    }

    [GeneratedRegex(@"(sk-[A-Za-z0-9_\-\*\.]{4,}|(?i:bearer)\s+\S+|AKIA[0-9A-Z]{12,}|ASIA[0-9A-Z]{12,}|[A-Za-z0-9_\-]{32,})")]
    private static partial Regex CredentialPattern();
}
