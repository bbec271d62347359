using System.Globalization;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite;

/// <summary>Daily rollups; writing a day deletes and rewrites it in one transaction, so re-runs are idempotent.</summary>
public sealed class SqliteRollupStore(SqliteDatabase db) : IRollupStore
{
    public Task ReplaceDayAsync(DateOnly day, IReadOnlyList<DailyRollup> rows, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            var dayText = Day(day);
            using (var delete = connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM rollups WHERE day=$d";
                delete.Parameters.AddWithValue("$d", dayText);
                delete.ExecuteNonQuery();
            }
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO rollups VALUES ($d,$dim,$v,$req,$ok,$fail,$hit,$pt,$ct,$cached,$rt,$cost,$saved)";
            foreach (var name in new[] { "$d", "$dim", "$v", "$req", "$ok", "$fail", "$hit", "$pt", "$ct", "$cached", "$rt", "$cost", "$saved" })
                insert.Parameters.Add(name, Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var r in rows)
            {
                var p = insert.Parameters;
                p["$d"].Value = dayText;
                p["$dim"].Value = r.Dimension;
                p["$v"].Value = r.Value;
                p["$req"].Value = r.Requests;
                p["$ok"].Value = r.Successes;
                p["$fail"].Value = r.Failures;
                p["$hit"].Value = r.CacheHits;
                p["$pt"].Value = r.PromptTokens;
                p["$ct"].Value = r.CompletionTokens;
                p["$cached"].Value = r.CachedTokens;
                p["$rt"].Value = r.ReasoningTokens;
                p["$cost"].Value = r.Cost.ToString(CultureInfo.InvariantCulture);
                p["$saved"].Value = r.SavedCost.ToString(CultureInfo.InvariantCulture);
                insert.ExecuteNonQuery();
            }
            return rows.Count;
        }, cancellationToken);

    public Task<IReadOnlyList<DailyRollup>> QueryAsync(DateOnly from, DateOnly to, string dimension, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT day, dimension, value, requests, successes, failures, cache_hits, prompt_tokens, completion_tokens, " +
                                  "cached_tokens, reasoning_tokens, cost, saved_cost FROM rollups WHERE day >= $f AND day <= $t AND dimension = $dim ORDER BY day, value";
            command.Parameters.AddWithValue("$f", Day(from));
            command.Parameters.AddWithValue("$t", Day(to));
            command.Parameters.AddWithValue("$dim", dimension);
            var rows = new List<DailyRollup>();
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(new DailyRollup
                {
                    Day = DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Dimension = r.GetString(1),
                    Value = r.GetString(2),
                    Requests = r.GetInt64(3),
                    Successes = r.GetInt64(4),
                    Failures = r.GetInt64(5),
                    CacheHits = r.GetInt64(6),
                    PromptTokens = r.GetInt64(7),
                    CompletionTokens = r.GetInt64(8),
                    CachedTokens = r.GetInt64(9),
                    ReasoningTokens = r.GetInt64(10),
                    Cost = decimal.Parse(r.GetString(11), CultureInfo.InvariantCulture),
                    SavedCost = decimal.Parse(r.GetString(12), CultureInfo.InvariantCulture),
                });
            }
            return (IReadOnlyList<DailyRollup>)rows;
        }, cancellationToken);

    public Task RecordRunAsync(RollupRun run, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using (var purge = connection.CreateCommand())
            {
                purge.Transaction = transaction;
                purge.CommandText = "DELETE FROM rollup_runs WHERE started_at < $cutoff";
                purge.Parameters.AddWithValue("$cutoff", (run.StartedAt - RunRetention).ToUnixTimeMilliseconds());
                purge.ExecuteNonQuery();
            }
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR REPLACE INTO rollup_runs VALUES ($s,$d,$t,$r,$n,$ms,$o,$e)";
            insert.Parameters.AddWithValue("$s", run.StartedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$d", Day(run.Day));
            insert.Parameters.AddWithValue("$t", run.Trigger);
            insert.Parameters.AddWithValue("$r", run.RecordsRead);
            insert.Parameters.AddWithValue("$n", run.Rows);
            insert.Parameters.AddWithValue("$ms", run.DurationMs);
            insert.Parameters.AddWithValue("$o", run.Outcome);
            insert.Parameters.AddWithValue("$e", (object?)run.Error ?? DBNull.Value);
            return insert.ExecuteNonQuery();
        }, cancellationToken);

    public Task<IReadOnlyList<RollupRun>> RecentRunsAsync(int limit, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT started_at, day, run_trigger, records_read, row_count, duration_ms, outcome, error FROM rollup_runs " +
                                  "ORDER BY started_at DESC, day DESC LIMIT $l";
            command.Parameters.AddWithValue("$l", limit);
            var runs = new List<RollupRun>();
            await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                runs.Add(new RollupRun
                {
                    StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)),
                    Day = DateOnly.ParseExact(r.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Trigger = r.GetString(2),
                    RecordsRead = r.GetInt64(3),
                    Rows = r.GetInt32(4),
                    DurationMs = r.GetDouble(5),
                    Outcome = r.GetString(6),
                    Error = r.IsDBNull(7) ? null : r.GetString(7),
                });
            return (IReadOnlyList<RollupRun>)runs;
        }, cancellationToken);

    private static readonly TimeSpan RunRetention = TimeSpan.FromDays(90);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
