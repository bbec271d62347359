using Gateway.Api.Reports;

namespace Gateway.Tests.Api.Reports;

public sealed class CsvTextTests
{
    [Fact]
    public void Row_QuotesCommasQuotesAndLineBreaks_AndEndsWithCrLf()
    {
        var csv = new CsvText().Row("a,b", "say \"hi\"", "two\nlines", null, "plain").ToString();
        Assert.Equal("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,plain\r\n", csv);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-0.5", "-0.5")]
    public void Row_FormulaLikeText_IsDefused_ButNegativeNumbersAreNot(string value, string expected)
    {
        Assert.Equal(expected + "\r\n", new CsvText().Row(value).ToString());
    }

    [Fact]
    public void Money_IsAPlainInvariantDecimal_WithoutExponentOrTrailingZeros()
    {
        Assert.Equal(("0.00000012", "1234567.5", "0"), (CsvText.Money(0.000000120m), CsvText.Money(1234567.50m), CsvText.Money(0.000m)));
    }
}
