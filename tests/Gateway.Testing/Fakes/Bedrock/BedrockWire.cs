namespace Gateway.Testing.Fakes.Bedrock;

/// <summary>Bedrock Converse wire payloads as the service model defines them (bedrock-runtime-2023-09-30.service.json).</summary>
public static class BedrockWire
{
    public static string Converse(string text, int input = 20, int output = 5, int cacheRead = 0, int cacheWrite = 0, string stopReason = "end_turn") =>
        $$$"""{"output":{"message":{"role":"assistant","content":[{"text":"{{{text}}}"}]}},"stopReason":"{{{stopReason}}}","usage":{"inputTokens":{{{input}}},"outputTokens":{{{output}}},"totalTokens":{{{input + output + cacheRead + cacheWrite}}},"cacheReadInputTokens":{{{cacheRead}}},"cacheWriteInputTokens":{{{cacheWrite}}}},"metrics":{"latencyMs":120}}""";

    public static string ToolUse(string id, string name, string inputJson) =>
        $$$"""{"output":{"message":{"role":"assistant","content":[{"text":"Checking."},{"toolUse":{"toolUseId":"{{{id}}}","name":"{{{name}}}","input":{{{inputJson}}}}}]}},"stopReason":"tool_use","usage":{"inputTokens":30,"outputTokens":9,"totalTokens":39},"metrics":{"latencyMs":80}}""";

    /// <summary>A rest-json error: the type in <c>x-amzn-ErrorType</c>, the text in <c>message</c>.</summary>
    public static FakeResponse Error(int status, string type, string message) =>
        FakeResponse.Json($$$"""{"message":"{{{message}}}"}""", status).WithHeader("x-amzn-ErrorType", $"{type}:http://internal.amazon.com/coral/com.amazon.bedrock/");
}

/// <summary>Wraps a responder so the fake, like Bedrock, refuses requests not SigV4-signed for service <c>bedrock</c>.</summary>
public static class FakeBedrock
{
    /// <summary>A gateway config with one Bedrock deployment at the fake, signed with static example credentials.</summary>
    public static string Config(string fakeUrl, string extra = "", string modelName = "claude-bedrock",
        string model = "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0") => $"""
        model_list:
          - model_name: {modelName}
            litellm_params:
              model: {model}
              api_base: {fakeUrl}
              aws_region_name: us-west-2
              aws_access_key_id: AKIDEXAMPLE
              aws_secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        {extra}
        general_settings:
          master_key: {Hosting.Configs.MasterKey}
        router_settings:
          num_retries: 0
        """;

    public static Func<RecordedRequest, FakeResponse> Signed(Func<RecordedRequest, FakeResponse> respond) => request =>
    {
        var authorization = request.Header("authorization") ?? "";
        return authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal) && authorization.Contains("/bedrock/aws4_request") &&
               request.Header("x-amz-date") is not null
            ? respond(request)
            : BedrockWire.Error(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    };
}
