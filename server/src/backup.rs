//! 备份与恢复 (`server backup FILE`, `server restore FILE`): a consistent copy of the database
//! taken while the app serves, and putting one back while it is stopped.
//!
//! SQLite: `VACUUM INTO` writes one self-contained file from a single read transaction (a
//! snapshot: a write committed meanwhile is wholly in it or wholly not); the copy is checked
//! (`PRAGMA integrity_check`) and synced before it takes its name. A restore checks the copy
//! the same way, refuses while an app has the database open (each holds a shared lock on the
//! file, [`hold_shared`]), keeps the old file (and its WAL) under another name, and moves the
//! copy in with one rename.
//!
//! PostgreSQL: `pg_dump --format=custom` reading the snapshot the reported counts were taken
//! in, and `pg_restore` into a new database which then takes the name, the old one kept
//! renamed; refused while anything is connected to the database. The tools must be on `PATH`,
//! of the server's major version or newer.

use anyhow::{bail, Context};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// How many rows each table holds, by table: what a backup or a restore reports.
pub type Counts = Vec<(String, i64)>;

/// What a restore did: the restored database's counts, and where the one it replaced is kept.
#[derive(Debug)]
pub struct Restored {
    pub counts: Counts,
    pub kept: Option<String>,
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// Writes a consistent copy of the database at `database_url` to `to` (which must not exist).
pub async fn backup(database_url: &str, to: &Path) -> anyhow::Result<Counts> {
    if to.exists() {
        bail!("{} exists already: a backup never overwrites", to.display());
    }
    let partial = suffixed(to, ".partial");
    remove_if_there(&partial)?;
    let written = if is_postgres(database_url) {
        pg_backup(database_url, &partial).await
    } else {
        sqlite_backup(database_url, &partial).await
    };
    let finish = |counts| -> anyhow::Result<Counts> {
        File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, to)?;
        sync_folder(to)?;
        Ok(counts)
    };
    match written.and_then(finish) {
        Ok(counts) => Ok(counts),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Puts the backup `from` in place of the database at `database_url` (the app stopped).
pub async fn restore(database_url: &str, from: &Path) -> anyhow::Result<Restored> {
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    if is_postgres(database_url) {
        pg_restore(database_url, from).await
    } else {
        sqlite_restore(database_url, from).await
    }
}

/// Holds `file` (an SQLite database) with a shared lock for as long as the returned handle
/// lives; `None` when there is no such file. Fails while a restore holds it exclusively.
pub fn hold_shared(file: &Path) -> std::io::Result<Option<File>> {
    let Ok(handle) = File::open(file) else {
        return Ok(None);
    };
    match handle.try_lock_shared() {
        Ok(()) => Ok(Some(handle)),
        Err(TryLockError::WouldBlock) => Err(std::io::Error::other(
            "a restore is replacing this database",
        )),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

async fn sqlite_backup(url: &str, to: &Path) -> anyhow::Result<Counts> {
    let options = SqliteConnectOptions::from_str(url)?;
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("opening {url}"))?;
    sqlx::query("VACUUM INTO ?")
        .bind(to.to_str().context("the backup's path is not UTF-8")?)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    sqlite_check(to).await
}

/// The file is sound and is a database of this app: its counts.
async fn sqlite_check(file: &Path) -> anyhow::Result<Counts> {
    let options = SqliteConnectOptions::new().filename(file);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not an SQLite database", file.display()))?;
    if verdict != "ok" {
        bail!("{}: the integrity check failed: {verdict}", file.display());
    }
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await?;
    let counts = count_rows::<sqlx::Sqlite>(&mut conn, tables).await?;
    conn.close().await?;
    if !counts.iter().any(|(table, _)| table == "_sqlx_migrations") {
        bail!("{} is not a database of this app", file.display());
    }
    Ok(counts)
}

async fn count_rows<DB>(conn: &mut DB::Connection, tables: Vec<String>) -> anyhow::Result<Counts>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    i64: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    (i64,): for<'r> sqlx::FromRow<'r, DB::Row>,
{
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        let sql = format!("SELECT count(*) FROM \"{}\"", table.replace('"', "\"\""));
        let n: i64 = sqlx::query_scalar::<DB, i64>(&sql)
            .fetch_one(&mut *conn)
            .await?;
        counts.push((table, n));
    }
    Ok(counts)
}

async fn sqlite_restore(url: &str, from: &Path) -> anyhow::Result<Restored> {
    let target = SqliteConnectOptions::from_str(url)?
        .get_filename()
        .to_owned();
    // Held to the end: no app opens the old file meanwhile.
    let _held = match File::open(&target) {
        Ok(handle) => match handle.try_lock() {
            Ok(()) => Some(handle),
            Err(TryLockError::WouldBlock) => bail!(
                "an app has {} open: stop every instance, then restore",
                target.display()
            ),
            Err(TryLockError::Error(e)) => return Err(e.into()),
        },
        Err(_) => None,
    };
    if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    let staged = suffixed(&target, ".restoring");
    remove_if_there(&staged)?;
    std::fs::copy(from, &staged)?;
    let counts = match sqlite_check(&staged).await {
        Ok(counts) => counts,
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
    };
    File::open(&staged)?.sync_all()?;
    // The old database with its WAL (a crash may have left commits only there), under a name
    // of its own: SQLite finds a WAL by the database's name.
    let kept = if target.exists() {
        let kept = suffixed(
            &target,
            &format!(".before-restore-{}", chrono::Utc::now().timestamp()),
        );
        std::fs::hard_link(&target, &kept)?;
        for side in ["-wal", "-shm"] {
            let from = suffixed(&target, side);
            if from.exists() {
                std::fs::rename(&from, suffixed(&kept, side))?;
            }
        }
        Some(kept.display().to_string())
    } else {
        None
    };
    std::fs::rename(&staged, &target)?;
    sync_folder(&target)?;
    Ok(Restored { counts, kept })
}

/// A PostgreSQL URL split around its database name: `(before, name, after)`.
fn pg_parts(url: &str) -> anyhow::Result<(&str, &str, &str)> {
    let (address, query) = match url.find('?') {
        Some(at) => url.split_at(at),
        None => (url, ""),
    };
    let host = address.find("://").context("DATABASE_URL is not a URL")? + 3;
    let slash = address[host..]
        .find('/')
        .map(|at| host + at)
        .context("DATABASE_URL names no database")?;
    let name = &address[slash + 1..];
    // Names are put into statements (CREATE / ALTER DATABASE take no parameters); 45 leaves
    // room for `_before_<seconds>` within PostgreSQL's 63.
    if name.is_empty()
        || name.len() > 45
        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        bail!("the database name {name:?} is not one this tool handles (letters, digits, _; at most 45)");
    }
    Ok((&address[..slash], name, query))
}

async fn pg_backup(url: &str, to: &Path) -> anyhow::Result<Counts> {
    let mut conn = PgConnection::connect(url).await?;
    // The counts and the dump read one snapshot, exported by this transaction.
    sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut conn)
        .await?;
    let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
        .fetch_one(&mut conn)
        .await?;
    let counts = pg_counts(&mut conn).await?;
    run(
        "pg_dump",
        &[
            "--format=custom",
            "--no-owner",
            &format!("--snapshot={snapshot}"),
            &format!("--file={}", to.display()),
            &format!("--dbname={}", pg_parts(url)?.1),
        ],
        &libpq_env(url)?,
    )
    .await?;
    sqlx::query("COMMIT").execute(&mut conn).await?;
    conn.close().await?;
    Ok(counts)
}

async fn pg_counts(conn: &mut PgConnection) -> anyhow::Result<Counts> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
    .fetch_all(&mut *conn)
    .await?;
    count_rows::<sqlx::Postgres>(conn, tables).await
}

async fn pg_restore(url: &str, from: &Path) -> anyhow::Result<Restored> {
    let (base, name, query) = pg_parts(url)?;
    let url_of = |database: &str| format!("{base}/{database}{query}");
    let mut admin = PgConnection::connect(&url_of("postgres")).await?;
    let connected: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = $1")
            .bind(name)
            .fetch_one(&mut admin)
            .await?;
    if connected > 0 {
        bail!("{connected} connections are open to {name}: stop every instance, then restore");
    }
    let staged = format!("{name}_restoring");
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{staged}\""))
        .execute(&mut admin)
        .await?;
    sqlx::query(&format!("CREATE DATABASE \"{staged}\""))
        .execute(&mut admin)
        .await?;
    let restored = run(
        "pg_restore",
        &[
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            &format!("--dbname={staged}"),
            &from.display().to_string(),
        ],
        &libpq_env(url)?,
    )
    .await;
    let counts = match restored {
        Ok(()) => {
            let mut conn = PgConnection::connect(&url_of(&staged)).await?;
            let counts = pg_counts(&mut conn).await?;
            conn.close().await?;
            counts
        }
        Err(e) => {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{staged}\""))
                .execute(&mut admin)
                .await;
            return Err(e);
        }
    };
    if !counts.iter().any(|(table, _)| table == "_sqlx_migrations") {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{staged}\""))
            .execute(&mut admin)
            .await;
        bail!("{} is not a backup of this app's database", from.display());
    }
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut admin)
            .await?;
    let kept = if exists {
        let kept = format!("{name}_before_{}", chrono::Utc::now().timestamp());
        sqlx::query(&format!("ALTER DATABASE \"{name}\" RENAME TO \"{kept}\""))
            .execute(&mut admin)
            .await?;
        Some(kept)
    } else {
        None
    };
    sqlx::query(&format!("ALTER DATABASE \"{staged}\" RENAME TO \"{name}\""))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(Restored { counts, kept })
}

/// How a PostgreSQL tool reaches the server of `url`: libpq's variables (host, port, user,
/// password, TLS), so the password never goes on the tool's command line, which any local
/// user can read (`ps`). The database is named on the command line, by name alone.
fn libpq_env(url: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
    let parsed = url::Url::parse(url).context("DATABASE_URL is not a URL")?;
    let decoded = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .context("DATABASE_URL holds an escape that is not UTF-8")
    };
    let mut env = Vec::new();
    if let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) {
        env.push((
            "PGHOST",
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
        ));
    }
    if let Some(port) = parsed.port() {
        env.push(("PGPORT", port.to_string()));
    }
    if !parsed.username().is_empty() {
        env.push(("PGUSER", decoded(parsed.username())?));
    }
    if let Some(password) = parsed.password() {
        env.push(("PGPASSWORD", decoded(password)?));
    }
    for (key, value) in parsed.query_pairs() {
        let variable = match key.as_ref() {
            "host" => "PGHOST",
            "port" => "PGPORT",
            "user" => "PGUSER",
            "password" => "PGPASSWORD",
            "sslmode" => "PGSSLMODE",
            "sslrootcert" => "PGSSLROOTCERT",
            "sslcert" => "PGSSLCERT",
            "sslkey" => "PGSSLKEY",
            "application_name" => "PGAPPNAME",
            "options" => "PGOPTIONS",
            _ => continue,
        };
        env.retain(|(k, _)| *k != variable);
        env.push((variable, value.into_owned()));
    }
    Ok(env)
}

/// Runs a PostgreSQL tool with `env` added; its own message when it fails.
async fn run(tool: &str, args: &[&str], env: &[(&'static str, String)]) -> anyhow::Result<()> {
    let output = tokio::process::Command::new(tool)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .await
        .with_context(|| format!("{tool} could not be started (is it on PATH?)"))?;
    if !output.status.success() {
        bail!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_there(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A rename is durable once the folder holding the name is synced.
fn sync_folder(file: &Path) -> std::io::Result<()> {
    match file.parent().filter(|f| !f.as_os_str().is_empty()) {
        Some(folder) => File::open(folder)?.sync_all(),
        None => File::open(".")?.sync_all(),
    }
}

#[cfg(test)]
mod tests {
    use super::{libpq_env, pg_parts};

    #[test]
    fn a_postgres_url_splits_around_its_database_name() {
        let (base, name, query) =
            pg_parts("postgres://u@127.0.0.1:5432/bizopp?sslmode=disable").unwrap();
        assert_eq!(
            (base, name, query),
            ("postgres://u@127.0.0.1:5432", "bizopp", "?sslmode=disable")
        );
        assert!(pg_parts("postgres://u@host").is_err(), "no database named");
        assert!(
            pg_parts("postgres://u@host/a\";DROP").is_err(),
            "not a plain name"
        );
    }

    #[test]
    fn a_tool_gets_the_password_in_its_environment_decoded() {
        let env =
            libpq_env("postgres://u%40x:p%2Fw%3A1@db.example:6543/bizopp?sslmode=require").unwrap();
        let value = |k: &str| {
            env.iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(value("PGHOST"), Some("db.example"));
        assert_eq!(value("PGPORT"), Some("6543"));
        assert_eq!(value("PGUSER"), Some("u@x"));
        assert_eq!(value("PGPASSWORD"), Some("p/w:1"));
        assert_eq!(value("PGSSLMODE"), Some("require"));
        let local = libpq_env("postgres://postgres@127.0.0.1/test").unwrap();
        assert!(!local.iter().any(|(k, _)| *k == "PGPASSWORD"));
    }
}
