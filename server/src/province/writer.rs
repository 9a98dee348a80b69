//! Rows written in bulk: each table's rows gather as one multi-row `INSERT` of literal values
//! (numbers, times and the generator's own text, quoted), sent when it is large. Literal SQL
//! is the same text for both databases and has no bind-parameter limit; nothing typed by a
//! user ever passes through here.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::fmt::Write;

/// Rows per statement.
const BATCH: usize = 500;

/// The generator's own connection.
pub enum Writer {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Writer {
    /// Opens a connection tuned for a bulk load (SQLite: no fsync until the end, foreign keys
    /// unchecked since the generator writes its own ids in order; PostgreSQL: no wait on each
    /// commit's flush).
    pub async fn open(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let mut conn = PgConnection::connect(url).await?;
            sqlx::raw_sql("SET synchronous_commit = off")
                .execute(&mut conn)
                .await?;
            Ok(Self::Postgres(conn))
        } else {
            let mut conn = SqliteConnection::connect(url).await?;
            sqlx::raw_sql(
                "PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144",
            )
            .execute(&mut conn)
            .await?;
            Ok(Self::Sqlite(conn))
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    /// Runs SQL text (one statement or several).
    pub async fn exec(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
            Self::Postgres(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
        }
    }

    /// One number, such as `SELECT MAX(id) …`; 0 for NULL.
    pub async fn number(&mut self, sql: &str) -> Result<i64, sqlx::Error> {
        let value: Option<i64> = match self {
            Self::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await?,
            Self::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await?,
        };
        Ok(value.unwrap_or(0))
    }

    /// A column of ids.
    pub async fn ids(&mut self, sql: &str) -> Result<Vec<i64>, sqlx::Error> {
        match self {
            Self::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await,
            Self::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await,
        }
    }

    /// Rows of (id, text).
    pub async fn pairs(&mut self, sql: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
        match self {
            Self::Sqlite(c) => sqlx::query_as(sql).fetch_all(c).await,
            Self::Postgres(c) => sqlx::query_as(sql).fetch_all(c).await,
        }
    }

    /// Sends the table's gathered rows, if any.
    pub async fn flush(&mut self, table: &mut Table) -> Result<(), sqlx::Error> {
        if table.pending > 0 {
            self.exec(&table.sql).await?;
            table.start();
        }
        Ok(())
    }

    /// Sends the tables' rows in the order given (parents before children) if the first is
    /// full.
    pub async fn flush_if_full(&mut self, tables: &mut [&mut Table]) -> Result<(), sqlx::Error> {
        if tables.first().is_some_and(|t| t.pending >= BATCH) {
            self.flush_all(tables).await?;
        }
        Ok(())
    }

    pub async fn flush_all(&mut self, tables: &mut [&mut Table]) -> Result<(), sqlx::Error> {
        for t in tables.iter_mut() {
            self.flush(t).await?;
        }
        Ok(())
    }
}

/// One table's rows waiting to be sent, and how many it wrote in all.
pub struct Table {
    pub name: &'static str,
    columns: &'static str,
    sql: String,
    pending: usize,
    pub written: u64,
}

impl Table {
    pub fn new(name: &'static str, columns: &'static str) -> Self {
        let mut t = Self {
            name,
            columns,
            sql: String::with_capacity(1 << 17),
            pending: 0,
            written: 0,
        };
        t.start();
        t
    }

    fn start(&mut self) {
        self.sql.clear();
        self.pending = 0;
        let _ = write!(
            self.sql,
            "INSERT INTO {} ({}) VALUES ",
            self.name, self.columns
        );
    }

    /// Adds a row: `fill` writes its values in the columns' order.
    pub fn push(&mut self, fill: impl FnOnce(&mut Row)) {
        if self.pending > 0 {
            self.sql.push(',');
        }
        self.sql.push('(');
        let mut row = Row {
            sql: &mut self.sql,
            first: true,
        };
        fill(&mut row);
        self.sql.push(')');
        self.pending += 1;
        self.written += 1;
    }

    pub fn is_full(&self) -> bool {
        self.pending >= BATCH
    }
}

/// The values of one row, as SQL literals.
pub struct Row<'a> {
    sql: &'a mut String,
    first: bool,
}

impl Row<'_> {
    fn next(&mut self) -> &mut String {
        if !self.first {
            self.sql.push(',');
        }
        self.first = false;
        self.sql
    }

    pub fn int(&mut self, v: i64) -> &mut Self {
        let _ = write!(self.next(), "{v}");
        self
    }

    pub fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    pub fn null(&mut self) -> &mut Self {
        self.next().push_str("NULL");
        self
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.next().push_str(if v { "TRUE" } else { "FALSE" });
        self
    }

    /// Text, quoted (a quote doubled: both databases read backslashes as themselves).
    pub fn text(&mut self, v: &str) -> &mut Self {
        let sql = self.next();
        sql.push('\'');
        for c in v.chars() {
            if c == '\'' {
                sql.push('\'');
            }
            sql.push(c);
        }
        sql.push('\'');
        self
    }

    pub fn opt_text(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    /// A time as the drivers write one (sqlx's SQLite encoding: RFC 3339, whole seconds
    /// without a fraction), which PostgreSQL reads as a `TIMESTAMPTZ`.
    pub fn time(&mut self, at: DateTime<Utc>) -> &mut Self {
        self.text(&at.to_rfc3339_opts(SecondsFormat::AutoSi, false))
    }

    pub fn opt_time(&mut self, at: Option<DateTime<Utc>>) -> &mut Self {
        match at {
            Some(at) => self.time(at),
            None => self.null(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Table;
    use chrono::{TimeZone, Utc};

    #[test]
    fn rows_become_one_insert_of_quoted_literals() {
        let mut t = Table::new("things", "id, name, at, gone, note");
        t.push(|r| {
            r.int(1)
                .text("O'Brien 的客户")
                .time(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap())
                .bool(false)
                .null();
        });
        t.push(|r| {
            r.int(2)
                .text("b\\c")
                .opt_time(None)
                .bool(true)
                .opt_int(Some(7));
        });
        assert_eq!(
            t.sql,
            "INSERT INTO things (id, name, at, gone, note) VALUES \
             (1,'O''Brien 的客户','2026-01-02T03:04:05+00:00',FALSE,NULL),\
             (2,'b\\c',NULL,TRUE,7)"
        );
        assert_eq!(t.written, 2);
    }
}
