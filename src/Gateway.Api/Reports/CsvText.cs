using System.Globalization;
using System.Text;

namespace Gateway.Api.Reports;

/// <summary>
/// CSV that opens cleanly in a spreadsheet (RFC 4180): comma separated, CRLF lines, a header row, fields quoted when
/// they hold a comma, quote or line break. Money is a plain invariant decimal (never an exponent or a currency sign).
/// Values that come from callers (tags, end users, aliases) and would start with <c>= + - @</c> are prefixed with an
/// apostrophe so a spreadsheet never runs them as formulas (CSV injection).
/// </summary>
internal sealed class CsvText
{
    private readonly StringBuilder _text = new();

    public CsvText Row(params string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
                _text.Append(',');
            Field(fields[i] ?? "");
        }
        _text.Append("\r\n");
        return this;
    }

    public static string Money(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => _text.ToString();

    private void Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsNumber(value))
            value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _text.Append(value);
            return;
        }
        _text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static bool IsNumber(string value) => decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
