using System.Globalization;
using System.Text.Json;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite;

/// <summary>Teams as JSON documents keyed by id, listed in creation order.</summary>
public sealed class SqliteTeamStore(SqliteDatabase db) : ITeamStore
{
    public Task<TeamRecord?> GetAsync(string teamId, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM teams WHERE team_id=$id";
            command.Parameters.AddWithValue("$id", teamId);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string body
                ? JsonSerializer.Deserialize(body, StorageJsonContext.Default.TeamRecord)
                : null;
        }, cancellationToken);

    public Task<bool> CreateAsync(TeamRecord team, CancellationToken cancellationToken) =>
        Write("INSERT OR IGNORE INTO teams (team_id, created_at, body) VALUES ($id,$c,$b)", team, cancellationToken);

    public Task<bool> UpdateAsync(TeamRecord team, CancellationToken cancellationToken) =>
        Write("UPDATE teams SET body=$b WHERE team_id=$id", team, cancellationToken);

    public Task<bool> DeleteAsync(string teamId, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM teams WHERE team_id=$id";
            command.Parameters.AddWithValue("$id", teamId);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<TeamPage> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT body, team_id FROM teams WHERE team_id > $after ORDER BY team_id LIMIT $limit";
            command.Parameters.AddWithValue("$after", pageToken ?? "");
            command.Parameters.AddWithValue("$limit", limit + 1);
            var teams = new List<TeamRecord>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                teams.Add(JsonSerializer.Deserialize(reader.GetString(0), StorageJsonContext.Default.TeamRecord)!);
            if (teams.Count <= limit)
                return new TeamPage(teams, null);
            teams.RemoveAt(limit);
            return new TeamPage(teams, teams[^1].TeamId);
        }, cancellationToken);

    private Task<bool> Write(string sql, TeamRecord team, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", team.TeamId);
            command.Parameters.AddWithValue("$c", team.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$b", JsonSerializer.Serialize(team, StorageJsonContext.Default.TeamRecord));
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
}
