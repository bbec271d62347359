using Gateway.Core.Configuration;
using Gateway.Storage.DynamoDb;
using YamlDotNet.RepresentationModel;

namespace Gateway.Tests.Serverless;

/// <summary>The SAM template must hold what the app needs: fails when a table, index, env var or route the app uses goes missing.</summary>
public sealed class TemplateTests
{
    private static readonly string RepoRoot = FindRoot();
    private static readonly YamlMappingNode Resources = Load();

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "template.yaml")))
            dir = Path.GetDirectoryName(dir) ?? throw new FileNotFoundException("template.yaml not found above the test output");
        return dir;
    }

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepoRoot, "template.yaml"))));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["Resources"];
    }

    /// <summary>The function's environment as the deployed process sees it (<c>${AWS::StackName}</c> → <c>stack</c>).</summary>
    private static Dictionary<string, string> FunctionEnvironment() =>
        ((YamlMappingNode)((YamlMappingNode)Props("GatewayFunction")["Environment"])["Variables"]).Children
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (((YamlScalarNode)c.Value).Value ?? "").Replace("${AWS::StackName}", "stack")
                .Replace("${ConfigFile}", "config.yaml"));

    private static HashSet<string> Actions(string resource) =>
        Props(resource)["Policies"].AllNodes.OfType<YamlScalarNode>().Select(n => n.Value!).ToHashSet();

    private static YamlMappingNode Props(string resource) => (YamlMappingNode)((YamlMappingNode)Resources[resource])["Properties"];

    [Fact]
    public void Table_MatchesTheStoreSchema_WithTtlAndRecovery()
    {
        var table = Props("GatewayTable");
        var expected = DynamoDbTableSchema.CreateTableRequest("t");
        var keys = ((YamlSequenceNode)table["KeySchema"]).Select(k => ((YamlScalarNode)((YamlMappingNode)k)["AttributeName"]).Value);
        Assert.Equal(expected.KeySchema.Select(k => k.AttributeName), keys);
        var indexes = ((YamlSequenceNode)table["GlobalSecondaryIndexes"]).Select(i => ((YamlScalarNode)((YamlMappingNode)i)["IndexName"]).Value);
        Assert.Equal(expected.GlobalSecondaryIndexes.Select(i => i.IndexName), indexes);
        Assert.Equal("ttl", ((YamlScalarNode)((YamlMappingNode)table["TimeToLiveSpecification"])["AttributeName"]).Value);
        Assert.Equal("PAY_PER_REQUEST", ((YamlScalarNode)table["BillingMode"]).Value);
        Assert.Equal("true", ((YamlScalarNode)((YamlMappingNode)table["PointInTimeRecoverySpecification"])["PointInTimeRecoveryEnabled"]).Value);
    }

    [Fact]
    public void Function_SetsTheEnvironmentTheAppReads_AndMayUseTheTable()
    {
        var function = Props("GatewayFunction");
        var variables = (YamlMappingNode)((YamlMappingNode)function["Environment"])["Variables"];
        foreach (var name in new[] { "GATEWAY_CONFIG", "GATEWAY_STORE", "GATEWAY_DYNAMODB_TABLE", "ASPNETCORE_URLS", "AWS_LWA_PORT", "AWS_LWA_INVOKE_MODE" })
            Assert.True(variables.Children.ContainsKey(new YamlScalarNode(name)), $"template lacks env var {name}");
        var actions = function["Policies"].AllNodes.OfType<YamlScalarNode>().Select(n => n.Value).ToHashSet();
        foreach (var action in new[] { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem" })
            Assert.Contains(action, actions);
        Assert.DoesNotContain("dynamodb:*", actions);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "POST")]
    [InlineData("/chat/completions", "POST")]
    [InlineData("/v1/embeddings", "POST")]
    [InlineData("/v1/models", "GET")]
    [InlineData("/health/readiness", "GET")]
    [InlineData("/health/deployments", "GET")]
    [InlineData("/key/{proxy+}", "ANY")]
    [InlineData("/team/{proxy+}", "ANY")]
    [InlineData("/customer/{proxy+}", "ANY")]
    [InlineData("/reports/{proxy+}", "GET")]
    [InlineData("/admin/rollups/{proxy+}", "ANY")]
    [InlineData("/ui", "GET")]
    public void Api_RoutesEveryPublicEndpoint_AndNeverEvents(string path, string method)
    {
        var events = ((YamlMappingNode)Props("GatewayFunction")["Events"]).Children.Values.OfType<YamlMappingNode>()
            .Select(e => (YamlMappingNode)e["Properties"]).ToList();
        Assert.Contains(events, e => ((YamlScalarNode)e["Path"]).Value == path && ((YamlScalarNode)e["Method"]).Value == method);
        Assert.DoesNotContain(events, e => ((YamlScalarNode)e["Path"]).Value!.StartsWith("/events", StringComparison.Ordinal));
    }

    [Fact]
    public void RollupFunction_RunsOnlyOnItsSchedule_InTheRollupRole_WithTheAlertsTopic()
    {
        var function = Props("RollupFunction");
        var variables = (YamlMappingNode)((YamlMappingNode)function["Environment"])["Variables"];
        Assert.Equal("rollup", ((YamlScalarNode)variables["GATEWAY_ROLE"]).Value);
        Assert.Equal("/events", ((YamlScalarNode)variables["AWS_LWA_PASS_THROUGH_PATH"]).Value);
        var topic = (YamlScalarNode)variables["GATEWAY_ALERTS_TOPIC_ARN"];
        Assert.Equal(("!Ref", "AlertsTopic"), (topic.Tag.Value, topic.Value));
        Assert.Equal("900", ((YamlScalarNode)function["Timeout"]).Value);
        var events = ((YamlMappingNode)function["Events"]).Children.Values.OfType<YamlMappingNode>().ToList();
        Assert.Equal("Schedule", ((YamlScalarNode)Assert.Single(events)["Type"]).Value);
        Assert.Equal("AWS::SNS::Topic", ((YamlScalarNode)((YamlMappingNode)Resources["AlertsTopic"])["Type"]).Value);
        foreach (var name in new[] { "RollupFunction", "GatewayFunction" })
            Assert.Contains("sns:Publish", Props(name)["Policies"].AllNodes.OfType<YamlScalarNode>().Select(n => n.Value));
        var apiVariables = (YamlMappingNode)((YamlMappingNode)Props("GatewayFunction")["Environment"])["Variables"];
        Assert.Equal("api", ((YamlScalarNode)apiVariables["GATEWAY_ROLE"]).Value);
    }

    [Fact]
    public void StoreSelection_FromEnvironment_PicksDynamoDbWithTheTemplatesTable()
    {
        var env = new Dictionary<string, string> { ["GATEWAY_STORE"] = "dynamodb", ["GATEWAY_DYNAMODB_TABLE"] = "stack-table", ["AWS_REGION"] = "eu-west-1" };
        var config = ConfigLoader.Load("model_list:\n  - model_name: m\n    litellm_params: { model: mock/m }\n", "test",
            n => env.GetValueOrDefault(n), ["mock"]);
        Assert.Equal(("dynamodb", "stack-table", "eu-west-1"), (config.Store.Kind, config.Store.DynamoDbTable, config.Store.Region));
    }

    /// <summary>The packaged config loads with exactly the environment the template gives the function: every
    /// <c>os.environ/</c> it reads is set, and every secret it names is one the stack creates and the function may read.</summary>
    [Fact]
    public void DeployConfig_LoadsWithTheTemplatesEnvironment_AndReadsOnlyTheStacksSecrets()
    {
        var env = FunctionEnvironment();
        var requested = new List<string>();
        var config = ConfigLoader.Load(File.ReadAllText(Path.Combine(RepoRoot, "deploy", "config.yaml")), "deploy/config.yaml",
            n => env.GetValueOrDefault(n), ["openai", "anthropic", "bedrock", "azure", "mock"], new RecordingResolver(requested));

        Assert.NotNull(config.MasterKey);
        Assert.Equal(3, config.RefreshableSecrets.Count);
        var secretNames = Resources.Children.Values.OfType<YamlMappingNode>()
            .Where(r => ((YamlScalarNode)r["Type"]).Value == "AWS::SecretsManager::Secret")
            .Select(r => ((YamlScalarNode)((YamlMappingNode)r["Properties"])["Name"]).Value!.Replace("${AWS::StackName}", "stack")).ToHashSet();
        Assert.All(requested, id => Assert.Contains(id, secretNames));
        var actions = Actions("GatewayFunction");
        Assert.Contains("ssm:GetParameter", actions);
        Assert.Contains("secretsmanager:GetSecretValue", actions);
        Assert.Contains("bedrock:InvokeModel", actions);
        Assert.Contains("bedrock:InvokeModelWithResponseStream", actions);
        Assert.DoesNotContain(env.Values, v => v.StartsWith("sk-", StringComparison.Ordinal));
    }

    [Fact]
    public void Operations_MetricsAreOn_AndAlarmsWatchErrorsAndThrottles()
    {
        Assert.Equal("emf", FunctionEnvironment()["GATEWAY_METRICS"]);
        var alarms = Resources.Children.Values.OfType<YamlMappingNode>()
            .Where(r => ((YamlScalarNode)r["Type"]).Value == "AWS::CloudWatch::Alarm")
            .Select(r => ((YamlScalarNode)((YamlMappingNode)r["Properties"])["MetricName"]).Value).ToHashSet();
        Assert.Superset(new HashSet<string?> { "5XXError", "Throttles", "Errors" }, alarms);
    }

    private sealed class RecordingResolver(List<string> requested) : ISecretResolver
    {
        public Task<string> ResolveAsync(string secretId, string? jsonField, CancellationToken cancellationToken)
        {
            requested.Add(secretId);
            return Task.FromResult("resolved-" + jsonField);
        }
    }
}
