using Gateway.Core.Storage;
using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Configuration;

/// <summary>Reads <c>gateway_settings</c>: the store backend and its location.</summary>
internal static class StoreSettingsReader
{
    private const string Path = "gateway_settings";

    /// <summary>A deployment can choose the store by environment (<c>GATEWAY_STORE</c>, <c>GATEWAY_DYNAMODB_TABLE</c>;
    /// the SAM template sets both), so the same config.yaml runs locally on SQLite and on Lambda on DynamoDB.</summary>
    public static StoreSettings Read(YamlMappingNode? map, ConfigReader reader, IReadOnlySet<string> known)
    {
        map ??= new YamlMappingNode();
        reader.WarnUnknownKeys(map, Path, known);
        var kind = reader.String(map, "store", Path) ?? reader.Environment("GATEWAY_STORE") ?? StoreSettings.Sqlite;
        if (kind is not (StoreSettings.Sqlite or StoreSettings.DynamoDb))
            reader.Problem(Path + ".store", $"must be '{StoreSettings.Sqlite}' or '{StoreSettings.DynamoDb}'");
        var table = reader.Resolve(reader.String(map, "dynamodb_table", Path), Path + ".dynamodb_table") ?? reader.Environment("GATEWAY_DYNAMODB_TABLE");
        if (kind == StoreSettings.DynamoDb && table is null)
            reader.Problem(Path + ".dynamodb_table", "is required when store is dynamodb");
        var failureMode = reader.String(map, "store_failure_mode", Path) ?? "closed";
        if (failureMode is not ("closed" or "open"))
            reader.Problem(Path + ".store_failure_mode", "must be 'closed' (refuse with 503) or 'open' (allow)");
        return new StoreSettings
        {
            Kind = kind,
            DataDir = reader.Resolve(reader.String(map, "data_dir", Path), Path + ".data_dir"),
            DynamoDbTable = table,
            DynamoDbEndpoint = reader.Resolve(reader.String(map, "dynamodb_endpoint", Path), Path + ".dynamodb_endpoint"),
            Region = reader.Resolve(reader.String(map, "aws_region_name", Path), Path + ".aws_region_name") ?? reader.Environment("AWS_REGION"),
            FailOpen = failureMode == "open",
        };
    }
}
