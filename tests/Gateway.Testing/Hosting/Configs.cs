namespace Gateway.Testing.Hosting;

/// <summary>Config texts the tests start gateways with.</summary>
public static class Configs
{
    public const string MasterKey = "sk-test-master-0123456789";

    /// <summary>One OpenAI-compatible group at the fake, plus a mock group; master key required.</summary>
    /// <remarks>Retries default to 0 here so error-mapping tests see one upstream call; routing tests set their own.</remarks>
    public static string OpenAIAt(string fakeBaseUrl, string extraParams = "", string generalExtra = "", int numRetries = 0) => $"""
        model_list:
          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {fakeBaseUrl}/v1
              api_key: sk-upstream-secret-abcdefghijklmnop
        {extraParams}
          - model_name: mock-gpt
            litellm_params:
              model: mock/mock-gpt
        general_settings:
          master_key: {MasterKey}
        {generalExtra}
        router_settings:
          num_retries: {numRetries}
        """;
}
