using System.Diagnostics;
using System.Globalization;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;
using Gateway.Core.Usage;
using Gateway.Storage.Sqlite;
using Gateway.Testing.Moto;

// Generates one UTC day of usage records in a store (SQLite file, or DynamoDB on moto_server), then times the rollup
// job on that day: records read, rows written, wall time, records per second, peak working set.
// Usage: RollupBench sqlite|moto RECORDS [--parallel N]
var backend = args.ElementAtOrDefault(0) ?? "sqlite";
var count = int.Parse(args.ElementAtOrDefault(1) ?? "100000", CultureInfo.InvariantCulture);
var day = new DateOnly(2026, 11, 23);
var clock = new FixedClock(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero));

MotoServer? moto = null;
string? dir = null;
GatewayStores stores;
if (backend == "moto")
{
    moto = new MotoServer();
    stores = moto.OpenStores(await moto.CreateTableAsync(), clock);
}
else
{
    dir = Path.Combine(Path.GetTempPath(), "rollup-bench-" + Guid.NewGuid().ToString("N"));
    stores = SqliteStores.Open(dir, clock);
}

var seed = Stopwatch.StartNew();
var parallel = backend == "moto" ? 8 : 1;
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel },
    async (i, ct) => await stores.Usage.AppendAsync(Generate(i, day), ct));
Console.WriteLine($"seeded {count:N0} records into {backend} in {seed.Elapsed.TotalSeconds:F1} s");

// moto serialises every request, so 16 parallel shard reads only queue behind each other (and time out); read 2 at a time there.
var job = new RollupJob(stores.Usage, stores.Rollups, clock, backend == "moto" ? 2 : null);
using var process = Process.GetCurrentProcess();
var run = await job.RunDayAsync(day, "bench", CancellationToken.None);
process.Refresh();
Console.WriteLine($"rollup {run.Outcome} {run.Error}: {run.RecordsRead:N0} records, {run.Rows:N0} rows, {run.DurationMs / 1000:F2} s, " +
                  $"{run.RecordsRead / (run.DurationMs / 1000):N0} records/s, peak working set {process.PeakWorkingSet64 / 1024 / 1024:N0} MB " +
                  $"({Environment.ProcessorCount} cores, {stores.Usage.DaySlices} slices, {(backend == "moto" ? 2 : stores.Usage.DaySlices)} at a time)");

await stores.Owner.DisposeAsync();
if (moto is not null)
    await moto.DisposeAsync();
if (dir is not null)
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(dir, true);
}

// A plausible fleet: 40 teams, 2,000 keys, 500 end users, 12 model groups over 4 providers, 3 regions, 0-2 of 20 tags.
static UsageRecord Generate(int i, DateOnly day)
{
    var random = new Random(i);
    var model = random.Next(12);
    var prompt = random.Next(50, 4000);
    var completion = random.Next(10, 800);
    var failed = random.Next(50) == 0;
    var hit = !failed && random.Next(10) == 0;
    return new UsageRecord
    {
        RequestId = "req_" + i.ToString("D9", CultureInfo.InvariantCulture),
        Timestamp = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMilliseconds(random.NextInt64(86_400_000)),
        KeyId = "key" + random.Next(2000).ToString("D4", CultureInfo.InvariantCulture),
        TeamId = "team" + random.Next(40).ToString("D2", CultureInfo.InvariantCulture),
        EndUser = random.Next(3) == 0 ? null : "user" + random.Next(500).ToString(CultureInfo.InvariantCulture),
        Tags = Enumerable.Range(0, random.Next(3)).Select(_ => "tag" + random.Next(20).ToString(CultureInfo.InvariantCulture)).Distinct().Order().ToList(),
        RequestedModel = "model" + model, ModelGroup = "model" + model, Deployment = "dep" + model,
        Provider = new[] { "openai", "anthropic", "bedrock", "azure" }[model % 4], ProviderModel = "provider-model-" + model,
        Region = model % 4 == 2 ? new[] { "us-east-1", "eu-west-1", "us-west-2" }[random.Next(3)] : null,
        Status = failed ? "failure" : "success", HttpStatus = failed ? 502 : 200, ErrorKind = failed ? "UpstreamError" : null,
        PromptTokens = failed ? 0 : prompt, CompletionTokens = failed ? 0 : completion, CachedReadTokens = prompt / 4,
        LatencyMs = random.Next(200, 9000), Stream = random.Next(2) == 0, Attempts = 1,
        Cost = hit || failed ? 0m : prompt * 0.00000015m + completion * 0.0000006m, SavedCost = hit ? prompt * 0.00000015m : 0m,
        CacheStatus = hit ? "hit" : "miss",
    };
}

sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
