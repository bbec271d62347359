using System.Text.Json;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite;

/// <summary>End users (customers) as JSON documents keyed by id.</summary>
public sealed class SqliteCustomerStore(SqliteDatabase db) : ICustomerStore
{
    public Task<CustomerRecord?> GetAsync(string userId, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM customers WHERE user_id=$id";
            command.Parameters.AddWithValue("$id", userId);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string body
                ? JsonSerializer.Deserialize(body, StorageJsonContext.Default.CustomerRecord)
                : null;
        }, cancellationToken);

    public Task PutAsync(CustomerRecord customer, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO customers (user_id, body) VALUES ($id,$b) ON CONFLICT (user_id) DO UPDATE SET body=$b";
            command.Parameters.AddWithValue("$id", customer.UserId);
            command.Parameters.AddWithValue("$b", JsonSerializer.Serialize(customer, StorageJsonContext.Default.CustomerRecord));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM customers WHERE user_id=$id";
            command.Parameters.AddWithValue("$id", userId);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
}
