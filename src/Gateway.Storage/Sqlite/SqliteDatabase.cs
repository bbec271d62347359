using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Reads use pooled connections and run in parallel.
/// Writes go through one connection on one writer thread with <b>group commit</b>: every write queued while the previous
/// transaction was committing goes into the next IMMEDIATE transaction, each inside its own savepoint (so one failing
/// write rolls back alone), and all complete after the commit. Writes still run one at a time in arrival order, so a
/// check-then-update is atomic within the process and against any other process on the same file; under load the
/// per-transaction cost is shared by the batch instead of paid by every budget check and usage record.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly Channel<IWrite> _writes = Channel.CreateUnbounded<IWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;

    private SqliteDatabase(string connectionString, SqliteConnection writer)
    {
        _connectionString = connectionString;
        _writer = writer;
        _writerLoop = Task.Factory.StartNew(WriterLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private interface IWrite
    {
        CancellationToken CancellationToken { get; }
        void Run(SqliteConnection connection, SqliteTransaction transaction);
        void Fail(Exception exception);
        void Complete();
    }

    private sealed class Write<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken) : IWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;
        public CancellationToken CancellationToken => cancellationToken;
        public void Run(SqliteConnection connection, SqliteTransaction transaction) => _result = write(connection, transaction);
        public void Fail(Exception exception) => _done.TrySetException(exception);
        public void Complete() => _done.TrySetResult(_result!);
    }

    public string Path { get; private init; } = "";

    /// <summary>Opens (creating the directory and schema on first run) the database in <paramref name="dataDir"/>.</summary>
    public static SqliteDatabase Open(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = System.IO.Path.Combine(dataDir, "gateway.db");
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Execute(writer, SqliteSchema.Script);
        SqliteSchema.Migrate(writer);
        return new SqliteDatabase(connectionString, writer) { Path = path };
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await read(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="write"/> in the next group transaction; completes once that transaction committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Write<T>(write, cancellationToken);
        if (!_writes.Writer.TryWrite(item))
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        return item.Task;
    }

    private async Task WriterLoopAsync()
    {
        var batch = new List<IWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var item))
                if (item.CancellationToken.IsCancellationRequested)
                    item.Fail(new OperationCanceledException(item.CancellationToken));
                else
                    batch.Add(item);
            if (batch.Count > 0)
                RunBatch(batch);
        }
    }

    private void RunBatch(List<IWrite> batch)
    {
        var succeeded = new List<IWrite>(batch.Count);
        try
        {
            using var transaction = _writer.BeginTransaction(deferred: false);
            foreach (var item in batch)
            {
                Execute(_writer, transaction, "SAVEPOINT w");
                try
                {
                    item.Run(_writer, transaction);
                    Execute(_writer, transaction, "RELEASE w");
                    succeeded.Add(item);
                }
                catch (Exception e)
                {
                    Execute(_writer, transaction, "ROLLBACK TO w; RELEASE w");
                    item.Fail(e);
                }
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            foreach (var item in batch)
                item.Fail(e);
            return;
        }
        foreach (var item in succeeded)
            item.Complete();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
    }
}
