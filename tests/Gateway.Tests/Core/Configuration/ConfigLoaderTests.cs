using Gateway.Core.Configuration;
using Gateway.Core.Routing;
using YamlDotNet.RepresentationModel;

namespace Gateway.Tests.Core.Configuration;

public sealed class ConfigLoaderTests
{
    private static readonly string[] Providers = ["openai", "mock"];

    private static readonly Dictionary<string, string> DefaultEnv = new()
    {
        ["OPENAI_API_KEY"] = "sk-test-openai-key",
        ["LITELLM_MASTER_KEY"] = "sk-test-master-key",
    };

    private static GatewayConfig Load(string yaml, IReadOnlyDictionary<string, string>? env = null)
    {
        env ??= DefaultEnv;
        return ConfigLoader.Load(yaml, "test", name => env.TryGetValue(name, out var value) ? value : null, Providers);
    }

    private static string SingleProblem(string yaml)
    {
        var error = Assert.Throws<ConfigException>(() => Load(yaml));
        return Assert.Single(error.Problems);
    }

    private static string Entry(string litellmParams, string name = "m") =>
        $"model_list:\n  - model_name: {name}\n    litellm_params:\n{litellmParams}";

    [Theory]
    [InlineData("model_list:\n  - model_name: m\n    litellm_params: {model: mock/m\n", "line 4, column 1: ")]
    [InlineData("model_list:\n  - model_name: m\n    litellm_params:\n      model: mock/m\n     rpm: 5\n", "line 5, column 6: ")]
    public void Load_YamlSyntaxError_ReportsLineAndColumn(string yaml, string expectedStart)
    {
        Assert.StartsWith(expectedStart, SingleProblem(yaml));
    }

    [Theory]
    [InlineData("- just\n- a list\n")]
    [InlineData("just a string\n")]
    [InlineData("")]
    public void Load_RootNotMapping_ReportsRoot(string yaml)
    {
        Assert.StartsWith("(root): must be a mapping", SingleProblem(yaml));
    }

    [Fact]
    public void Load_MissingModelList_ReportsRequired()
    {
        Assert.StartsWith("model_list: is required", SingleProblem("general_settings:\n  master_key: sk-local\n"));
    }

    [Fact]
    public void Load_EmptyModelList_ReportsAtLeastOne()
    {
        Assert.Equal("model_list: must list at least one model", SingleProblem("model_list: []\n"));
    }

    [Fact]
    public void Load_EntryMissingModelName_ReportsPath()
    {
        var problem = SingleProblem("model_list:\n  - litellm_params:\n      model: mock/m\n");

        Assert.Equal("model_list[0].model_name: is required", problem);
    }

    [Fact]
    public void Load_EntryMissingLitellmParams_ReportsPath()
    {
        var problem = SingleProblem("model_list:\n  - model_name: m\n    model_info:\n      id: x\n");

        Assert.Equal("model_list[0].litellm_params: is required", problem);
    }

    [Fact]
    public void Load_EntryWithEmptyLitellmParams_ReportsPath()
    {
        // Regression: an empty required mapping ("litellm_params:") once dropped the entry silently.
        var problem = SingleProblem("model_list:\n  - model_name: m\n    litellm_params:\n");

        Assert.StartsWith("model_list[0].litellm_params: ", problem);
    }

    [Fact]
    public void Load_MissingModel_ReportsPath()
    {
        var problem = SingleProblem(Entry("      rpm: 10\n"));

        Assert.Equal("model_list[0].litellm_params.model: is required", problem);
    }

    [Fact]
    public void Load_ModelWithoutProviderPrefix_ReportsExpectedShape()
    {
        var problem = SingleProblem(Entry("      model: gpt-4o\n"));

        Assert.StartsWith("model_list[0].litellm_params.model: 'gpt-4o' must be 'provider/model-id'", problem);
    }

    [Fact]
    public void Load_UnknownProviderPrefix_ListsSupportedProviders()
    {
        var problem = SingleProblem(Entry("      model: vertex_ai/gemini-pro\n"));

        Assert.StartsWith("model_list[0].litellm_params.model: unknown provider prefix 'vertex_ai'", problem);
        Assert.EndsWith("supported: mock, openai", problem);
    }

    [Fact]
    public void Load_EnvironmentVariableUnset_NamesVariableAndPath()
    {
        var problem = SingleProblem(Entry("      model: openai/gpt-4o\n      api_base: https://example.test/v1\n      api_key: os.environ/TEAM_A_OPENAI_KEY\n"));

        Assert.StartsWith("model_list[0].litellm_params.api_key: ", problem);
        Assert.Contains("'TEAM_A_OPENAI_KEY'", problem);
    }

    [Fact]
    public void Load_OpenAIWithoutKeyOrBase_ReportsApiKeyRequired()
    {
        var problem = SingleProblem(Entry("      model: openai/gpt-4o\n"));

        Assert.StartsWith("model_list[0].litellm_params.api_key: is required", problem);
    }

    [Theory]
    [InlineData("not-a-url")]
    [InlineData("ftp://example.test/v1")]
    [InlineData("/relative/v1")]
    public void Load_BadApiBase_ReportsAbsoluteHttpUrl(string apiBase)
    {
        var problem = SingleProblem(Entry($"      model: openai/llama\n      api_base: {apiBase}\n"));

        Assert.Equal("model_list[0].litellm_params.api_base: must be an absolute http(s) URL", problem);
    }

    [Theory]
    [InlineData("timeout", "-1", "must be a number between 0.001 and 3600")]
    [InlineData("stream_timeout", "soon", "must be a number between 0.001 and 3600")]
    [InlineData("rpm", "1.5", "must be a whole number of at least 1")]
    [InlineData("tpm", "0", "must be a whole number of at least 1")]
    [InlineData("weight", "0", "must be a number between 1E-06 and 1000000")]
    [InlineData("order", "first", "must be a whole number of at least 1")]
    public void Load_BadNumber_ReportsPathAndRange(string key, string value, string expected)
    {
        var problem = SingleProblem(Entry($"      model: mock/m\n      {key}: {value}\n"));

        Assert.Equal($"model_list[0].litellm_params.{key}: {expected}", problem);
    }

    [Fact]
    public void Load_DuplicateModelInfoId_ReportsDuplicate()
    {
        var yaml = "model_list:\n" +
                   "  - model_name: a\n    litellm_params: {model: mock/one}\n    model_info: {id: shared}\n" +
                   "  - model_name: b\n    litellm_params: {model: mock/two}\n    model_info: {id: shared}\n";

        var problem = SingleProblem(yaml);

        Assert.StartsWith("model_list: duplicate deployment id 'shared' (groups: a, b)", problem);
    }

    [Fact]
    public void Load_TwoIdenticalEntries_ReportsDuplicateDerivedId()
    {
        var entry = "  - model_name: a\n    litellm_params:\n      model: mock/one\n";

        var problem = SingleProblem("model_list:\n" + entry + entry);

        Assert.Matches("^model_list: duplicate deployment id '[0-9a-f]{16}' \\(groups: a, a\\)", problem);
    }

    [Fact]
    public void Load_SeveralProblems_ThrowsOnceListingEveryPath()
    {
        var error = Assert.Throws<ConfigException>(() => Load(FixtureFile.Text("config", "several-problems.yaml")));

        string[] paths =
        [
            "model_list[0].litellm_params.model: ",
            "model_list[1].litellm_params.model: ",
            "model_list[2].litellm_params.api_base: ",
            "model_list[3].model_name: ",
            "model_list[4].litellm_params.rpm: ",
            "general_settings.master_key: ",
        ];
        Assert.Equal(paths.Length, error.Problems.Count);
        foreach (var path in paths)
        {
            Assert.Single(error.Problems, p => p.StartsWith(path, StringComparison.Ordinal));
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void Load_LiteLLMConfig_ReadsDeployments()
    {
        var config = Load(FixtureFile.Text("config", "litellm-valid.yaml"));

        Assert.Equal(3, config.Deployments.Count);
        var primary = config.Deployments[0];
        Assert.Equal(("gpt-4o-primary", "gpt-4o", "openai", "gpt-4o"), (primary.Id, primary.GroupName, primary.Provider, primary.ModelId));
        Assert.Equal("sk-test-openai-key", primary.ApiKey);
        Assert.Null(primary.ApiBase);
        Assert.Equal(TimeSpan.FromSeconds(30), primary.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(12.5), primary.StreamTimeout);
        Assert.Equal((600, 150000, 2.0, 1), (primary.Rpm, primary.Tpm, primary.Weight, primary.Order));
        Assert.Equal("chat", primary.ModelInfo["mode"]);
        Assert.Equal("gpt-4o-2024-08-06", primary.ModelInfo["base_model"]);

        var local = config.Deployments[1];
        Assert.Equal("http://localhost:8080/v1", local.ApiBase);
        Assert.Null(local.ApiKey);
        Assert.Matches("^[0-9a-f]{16}$", local.Id);
        Assert.Null(local.Timeout);

        var mock = config.Deployments[2];
        Assert.Equal(("mock", "mock-small"), (mock.Provider, mock.ModelId));
        Assert.Equal("Hello from the mock", mock.Param("mock_response"));
    }

    [Fact]
    public void Load_LiteLLMConfig_ResolvesMasterKeyAndKeepsOtherSections()
    {
        var config = Load(FixtureFile.Text("config", "litellm-valid.yaml"));

        Assert.Equal("sk-test-master-key", config.MasterKey);
        Assert.Equal(2L * 1024 * 1024, config.MaxRequestBytes);
        Assert.Equal("test", config.Source);
        Assert.NotNull(config.RouterSettings);
        Assert.Equal("simple-shuffle", ((YamlScalarNode)config.RouterSettings.Children[new YamlScalarNode("routing_strategy")]).Value);
        Assert.NotNull(config.LitellmSettings);
        Assert.Equal("true", ((YamlScalarNode)config.LitellmSettings.Children[new YamlScalarNode("drop_params")]).Value);
        Assert.True(config.DropParams);
        Assert.Equal(2, config.Router.NumRetries);
        Assert.Equal("simple-shuffle", config.Router.RoutingStrategy);
        string[] notYetSupported =
        [
            "litellm_settings.set_verbose: not supported yet, kept but ignored",
        ];
        Assert.Equal(notYetSupported, config.Warnings.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_UnknownKeys_OneWarningPerKeyNamingPath()
    {
        var config = Load(FixtureFile.Text("config", "unknown-keys.yaml"));

        string[] expected =
        [
            "gateway_settings.region: unknown key, ignored",
            "general_settings.database_url: unknown key, ignored",
            "model_list[0].colour: unknown key, ignored",
            "model_list[0].litellm_params.temprature: unknown key, ignored",
            "telemetry: unknown key, ignored",
        ];
        Assert.Equal(expected, config.Warnings.Order(StringComparer.Ordinal));
        Assert.Equal("/tmp/gateway-test", config.DataDir);
    }

    [Fact]
    public void Load_SameFileTwice_DerivesSameIds()
    {
        var yaml = FixtureFile.Text("config", "litellm-valid.yaml");

        Assert.Equal(Load(yaml).Deployments.Select(d => d.Id), Load(yaml).Deployments.Select(d => d.Id));
    }

    [Theory]
    [InlineData("      model: openai/gpt-4o-mini\n      api_base: http://localhost:8080/v1\n")]
    [InlineData("      model: openai/gpt-4o\n      api_base: http://localhost:9090/v1\n")]
    [InlineData("      model: openai/gpt-4o\n      api_base: http://localhost:8080/v1\n      rpm: 5\n")]
    public void Load_DifferentParams_DeriveDifferentId(string otherParams)
    {
        var baseline = DerivedId(Entry("      model: openai/gpt-4o\n      api_base: http://localhost:8080/v1\n"));

        Assert.NotEqual(baseline, DerivedId(Entry(otherParams)));
    }

    [Fact]
    public void Load_DifferentGroupName_DerivesDifferentId()
    {
        var p = "      model: mock/m\n";

        Assert.NotEqual(DerivedId(Entry(p, "group-a")), DerivedId(Entry(p, "group-b")));
    }

    [Fact]
    public void Load_OnlyApiKeyChanges_DerivedIdUnchanged()
    {
        var p = "      model: openai/gpt-4o\n      api_key: {0}\n";

        var literalA = DerivedId(Entry(string.Format(p, "sk-first-key-aaaa")));
        var literalB = DerivedId(Entry(string.Format(p, "sk-second-key-bbbb")));
        var fromEnv = DerivedId(Entry(string.Format(p, "os.environ/OPENAI_API_KEY")));
        var rotated = Load(Entry(string.Format(p, "os.environ/OPENAI_API_KEY")),
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-rotated-key" }).Deployments[0].Id;

        Assert.Equal(literalA, literalB);
        Assert.Equal(fromEnv, rotated);
    }

    private static string DerivedId(string yaml)
    {
        Deployment deployment = Assert.Single(Load(yaml).Deployments);
        Assert.Matches("^[0-9a-f]{16}$", deployment.Id);
        return deployment.Id;
    }
}
