using Microsoft.Data.Sqlite;

namespace CloudIdentity.Engine.Tokens.Dpop;

/// <summary>
/// A replay store in a local SQLite file, so a proof seen by one run (e.g. a scheduled task) is still known to the
/// next. Rows are keyed by key thumbprint and jti and carry their own expiry; the insert is atomic, so two
/// processes cannot both accept the same proof.
/// </summary>
public sealed class SqliteReplayStore : IReplayStore, IDisposable
{
    private readonly SqliteConnection _connection;

    public SqliteReplayStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 30 }.ToString());
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            Execute("CREATE TABLE IF NOT EXISTS dpop_replay (jkt TEXT NOT NULL, jti TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (jkt, jti)) WITHOUT ROWID;");
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            // Callers outside the engine cannot see SQLite's types (private load context): wrap.
            throw new ReplayStoreException($"The replay store '{Path}' cannot be opened: {e.Message}", e);
        }
    }

    public string Path { get; }

    public static string DefaultPath => System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "CloudIdentity", "dpop-replay.db");

    public bool Contains(string thumbprint, string jti, DateTimeOffset now)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM dpop_replay WHERE jkt = $k AND jti = $j AND expires > $now;";
        Bind(cmd, thumbprint, jti, now);
        return Convert.ToInt64(cmd.ExecuteScalar()) > 0;
    }

    public bool TryAdd(string thumbprint, string jti, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            DELETE FROM dpop_replay WHERE expires <= $now AND random() % 64 = 0;
            INSERT INTO dpop_replay (jkt, jti, expires) VALUES ($k, $j, $exp)
              ON CONFLICT (jkt, jti) DO UPDATE SET expires = excluded.expires WHERE dpop_replay.expires <= $now;
            SELECT changes();
            """;
        Bind(cmd, thumbprint, jti, now);
        cmd.Parameters.AddWithValue("$exp", expiresAt.ToUnixTimeMilliseconds());
        return Convert.ToInt64(cmd.ExecuteScalar()) == 1;
    }

    public void Dispose() => _connection.Dispose();

    private static void Bind(SqliteCommand cmd, string thumbprint, string jti, DateTimeOffset now)
    {
        cmd.Parameters.AddWithValue("$k", thumbprint);
        cmd.Parameters.AddWithValue("$j", jti);
        cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}

/// <summary>The replay store file cannot be opened or is not a replay store.</summary>
public sealed class ReplayStoreException(string message, Exception inner) : Exception(message, inner);
