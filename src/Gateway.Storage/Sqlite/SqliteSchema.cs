namespace Gateway.Storage.Sqlite;

/// <summary>Tables of the embedded store. Money is TEXT holding an invariant decimal, so sums stay exact.</summary>
internal static class SqliteSchema
{
    public const string Script = """
        CREATE TABLE IF NOT EXISTS usage (
            request_id TEXT NOT NULL PRIMARY KEY,
            ts INTEGER NOT NULL,
            key_id TEXT NOT NULL,
            requested_model TEXT NOT NULL,
            deployment TEXT, provider TEXT, provider_model TEXT,
            status TEXT NOT NULL, http_status INTEGER NOT NULL, error_kind TEXT,
            prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
            cached_read_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL,
            latency_ms REAL NOT NULL, ttft_ms REAL, stream INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, fallbacks TEXT);
        CREATE INDEX IF NOT EXISTS usage_by_time ON usage (ts, request_id);
        CREATE INDEX IF NOT EXISTS usage_by_key ON usage (key_id, ts);

        CREATE TABLE IF NOT EXISTS meters (
            entity TEXT NOT NULL, meter TEXT NOT NULL, period TEXT NOT NULL,
            used TEXT NOT NULL, reserved TEXT NOT NULL, expires_at INTEGER NOT NULL,
            PRIMARY KEY (entity, meter, period));

        CREATE TABLE IF NOT EXISTS cache (
            cache_key TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL, expires_at INTEGER NOT NULL);

        CREATE TABLE IF NOT EXISTS keys (
            key_hash TEXT NOT NULL PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, team_id TEXT,
            created_at INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS keys_by_team ON keys (team_id, created_at, key_hash);

        CREATE TABLE IF NOT EXISTS teams (
            team_id TEXT NOT NULL PRIMARY KEY, created_at INTEGER NOT NULL, body TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS customers (
            user_id TEXT NOT NULL PRIMARY KEY, body TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS rollups (
            day TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL,
            requests INTEGER NOT NULL, successes INTEGER NOT NULL, failures INTEGER NOT NULL, cache_hits INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
            reasoning_tokens INTEGER NOT NULL, cost TEXT NOT NULL, saved_cost TEXT NOT NULL,
            PRIMARY KEY (day, dimension, value));

        CREATE TABLE IF NOT EXISTS rollup_runs (
            started_at INTEGER NOT NULL, day TEXT NOT NULL, run_trigger TEXT NOT NULL, records_read INTEGER NOT NULL,
            row_count INTEGER NOT NULL, duration_ms REAL NOT NULL, outcome TEXT NOT NULL, error TEXT,
            PRIMARY KEY (started_at, day));
        """;

    /// <summary>Columns added after a table first shipped; each is added when a database from an older build lacks it.</summary>
    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("usage", "attempts", "INTEGER NOT NULL DEFAULT 0"),
        ("usage", "fallbacks", "TEXT"),
        ("usage", "key_alias", "TEXT"),
        ("usage", "team_id", "TEXT"),
        ("usage", "end_user", "TEXT"),
        ("usage", "tags", "TEXT"),
        ("usage", "model_group", "TEXT"),
        ("usage", "region", "TEXT"),
        ("usage", "cost", "TEXT"),
        ("usage", "saved_cost", "TEXT"),
        ("usage", "unpriced", "INTEGER NOT NULL DEFAULT 0"),
        ("usage", "cache_status", "TEXT"),
        ("usage", "request_body", "TEXT"),
        ("usage", "response_body", "TEXT"),
    ];

    public static void Migrate(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        foreach (var (table, column, definition) in AddedColumns)
        {
            using var check = connection.CreateCommand();
            check.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                SqliteDatabase.Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
        }
    }
}
