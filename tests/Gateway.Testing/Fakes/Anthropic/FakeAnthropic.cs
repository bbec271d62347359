namespace Gateway.Testing.Fakes.Anthropic;

/// <summary>
/// Makes a <see cref="FakeUpstream"/> answer as api.anthropic.com does: only POST /v1/messages, only with the right
/// key (else Anthropic's 401 authentication_error) and an <c>anthropic-version</c> header (else its 400). The key is
/// read from <c>x-api-key</c> (what the gateway sends, as the API reference documents) or from
/// <c>Authorization: Bearer</c> (what the official .NET SDK 13.x sends, with a newer anthropic-version).
/// </summary>
public static class FakeAnthropic
{
    public const string ApiKey = "sk-ant-api03-fake-upstream-key-0123456789";
    public const string Version = "2023-06-01";
    public const string Model = "claude-sonnet-4-20250514";

    public static Func<RecordedRequest, FakeResponse> Authenticated(Func<RecordedRequest, FakeResponse> respond, string apiKey = ApiKey) => request =>
    {
        if ((request.Header("x-api-key") ?? BearerToken(request)) is not { } key)
            return AnthropicWire.ErrorResponse(401, "authentication_error", "x-api-key header is required");
        if (key != apiKey)
            return AnthropicWire.ErrorResponse(401, "authentication_error", "invalid x-api-key");
        if (request.Header("anthropic-version") is null)
            return AnthropicWire.ErrorResponse(400, "invalid_request_error", "anthropic-version: header is required");
        if (request.Method != "POST" || request.Path != "/v1/messages")
            return AnthropicWire.ErrorResponse(404, "not_found_error", "Not found");
        return respond(request);
    };

    private static string? BearerToken(RecordedRequest request) =>
        request.Header("authorization") is { } value && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value["Bearer ".Length..] : null;

    /// <summary>Starts a fake that answers every authenticated request with <paramref name="respond"/>.</summary>
    public static async Task<FakeUpstream> StartAsync(Func<RecordedRequest, FakeResponse> respond)
    {
        var fake = await FakeUpstream.StartAsync();
        fake.Respond = Authenticated(respond);
        return fake;
    }

    /// <summary>A gateway config with one Anthropic group named <c>claude</c> at the fake.</summary>
    public static string Config(string fakeBaseUrl, string extraParams = "", string generalExtra = "", string apiKey = ApiKey, string model = Model) => $"""
        model_list:
          - model_name: claude
            litellm_params:
              model: anthropic/{model}
              api_base: {fakeBaseUrl}
              api_key: {apiKey}
        {extraParams}
        general_settings:
          master_key: {Hosting.Configs.MasterKey}
        {generalExtra}
        """;
}
