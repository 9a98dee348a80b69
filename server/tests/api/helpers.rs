//! `spawn_app(db)`: the real server on a fresh database, and a client with helpers.

use leptos::config::LeptosOptions;
use server::clock::{Clock, SystemClock};
use server::config::{Settings, OUTPUT_NAME};
use server::db::{self, postgres::PgStore, sqlite::SqliteStore, Store};
use server::startup::Application;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Declares each test twice, as `sqlite::name` and `postgres::name`; the body gets `db`.
macro_rules! on_both_databases {
    ($(async fn $name:ident($db:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let $db = $crate::helpers::Db::Sqlite;
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let $db = $crate::helpers::Db::Postgres;
                    $body
                }
            )*
        }
    };
}
pub(crate) use on_both_databases;

/// A running server and a cookie-keeping client pointed at it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    pub database_url: String,
}

impl TestApp {
    /// Which database this app runs on.
    pub fn db(&self) -> Db {
        if self.database_url.starts_with("postgres") {
            Db::Postgres
        } else {
            Db::Sqlite
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request sent")
    }

    /// Posts a form as a same-origin browser page would.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{}", self.address, path))
            .header("Sec-Fetch-Site", "same-origin")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// Posts a `multipart/form-data` form with one file (`file`: field, name, bytes), as a
    /// browser posts a form with a file input.
    pub async fn post_multipart(
        &self,
        path: &str,
        form: &[(&str, &str)],
        file: (&str, &str, Vec<u8>),
    ) -> reqwest::Response {
        let mut multipart = reqwest::multipart::Form::new();
        for (k, v) in form {
            multipart = multipart.text(k.to_string(), v.to_string());
        }
        let (field, name, bytes) = file;
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str("application/pdf")
            .expect("mime");
        multipart = multipart.part(field.to_owned(), part);
        self.client
            .post(format!("{}{}", self.address, path))
            .header("Sec-Fetch-Site", "same-origin")
            .multipart(multipart)
            .send()
            .await
            .expect("request sent")
    }

    /// Posts several files in the input `files`, as a browser posts `<input type=file multiple>`.
    pub async fn post_files(&self, path: &str, files: &[(&str, Vec<u8>)]) -> reqwest::Response {
        let mut multipart = reqwest::multipart::Form::new();
        for (name, bytes) in files {
            let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string());
            multipart = multipart.part("files", part);
        }
        self.client
            .post(format!("{}{}", self.address, path))
            .header("Sec-Fetch-Site", "same-origin")
            .multipart(multipart)
            .send()
            .await
            .expect("request sent")
    }

    /// Logs in through the login form; returns the response (a redirect).
    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("login", login), ("password", password)])
            .await
    }

    /// Logs in as a demo user and checks that it worked.
    pub async fn login_as(&self, login: &str) {
        let response = self.login(login, server::seed::DEMO_PASSWORD).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/", "login as {login} failed");
    }

    /// Calls a server function (JSON in, JSON out) by its endpoint.
    pub async fn server_fn(&self, endpoint: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/{}", self.address, endpoint))
            .header("Sec-Fetch-Site", "same-origin")
            .header("Accept", "application/json")
            .form(&[("", "")][..0])
            .send()
            .await
            .expect("request sent")
    }

    /// Calls a server function with form arguments (`name[field]` for a struct's fields).
    pub async fn server_fn_form(
        &self,
        endpoint: &str,
        form: &[(String, String)],
    ) -> reqwest::Response {
        self.client
            .post(format!("{}/api/{}", self.address, endpoint))
            .header("Sec-Fetch-Site", "same-origin")
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// The logged-in user as the server sees this client.
    pub async fn whoami(&self) -> app::model::CurrentUser {
        let response = self.server_fn("whoami").await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("a user")
    }
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Starts the application on a fresh copy of the seeded template database.
pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with_clock(db, Arc::new(SystemClock)).await
}

pub async fn spawn_app_with_clock(db: Db, clock: Arc<dyn Clock>) -> TestApp {
    spawn_app_with(db, clock, |_| {}).await
}

/// The application with its clock at `day` (YYYY-MM-DD), `utc_hour`:50 UTC (China is eight
/// hours on: 15 is ten minutes before midnight there), and the clock to move it.
pub async fn spawn_app_at(
    db: Db,
    day: &str,
    utc_hour: u32,
) -> (TestApp, server::clock::ManualClock) {
    use chrono::TimeZone;
    let start = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(utc_hour, 50, 0))
        .expect("a day and an hour");
    let clock = server::clock::ManualClock::new(chrono::Utc.from_utc_datetime(&start));
    (
        spawn_app_with_clock(db, Arc::new(clock.clone())).await,
        clock,
    )
}

/// The application on a seeded database, its settings changed by `change` first.
pub async fn spawn_app_with(
    db: Db,
    clock: Arc<dyn Clock>,
    change: impl FnOnce(&mut Settings),
) -> TestApp {
    server::telemetry::init();
    let database_url = seeded_database(db).await;
    let mut settings = settings(&database_url, true);
    change(&mut settings);
    let app = Application::build_with_clock(settings, clock)
        .await
        .expect("application builds");
    let address = format!("http://{}", app.address());
    let store = app.store();
    tokio::spawn(app.run());
    TestApp {
        address,
        client: new_client(),
        store,
        database_url,
    }
}

/// The settings of a test server on `database_url`, on a free port.
pub fn settings(database_url: &str, demo_data: bool) -> Settings {
    Settings {
        database_url: database_url.to_owned(),
        demo_data,
        leptos: LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_addr(([127, 0, 0, 1], 0))
            .build(),
        session: Default::default(),
        lockout: Default::default(),
        smtp: None,
    }
}

/// A second instance of the application on `app`'s database (as when scaling out).
pub async fn spawn_instance(app: &TestApp) -> TestApp {
    spawn_on(&app.database_url).await
}

/// The application on the database at `database_url`, as it is (no demo data added).
pub async fn spawn_on(database_url: &str) -> TestApp {
    let instance = Application::build(settings(database_url, false))
        .await
        .expect("the application builds");
    let address = format!("http://{}", instance.address());
    let store = instance.store();
    tokio::spawn(instance.run());
    TestApp {
        address,
        client: new_client(),
        store,
        database_url: database_url.to_owned(),
    }
}

/// A URL of a new database with the migrations applied and the demo data seeded.
pub async fn seeded_database(db: Db) -> String {
    match db {
        Db::Sqlite => {
            let template = SQLITE_TEMPLATE.get_or_init(sqlite_template).await;
            let path = scratch_dir().join(format!("{}.db", uuid::Uuid::new_v4()));
            std::fs::copy(template, &path).expect("template copied");
            format!("sqlite://{}", path.display())
        }
        Db::Postgres => {
            let template = PG_TEMPLATE.get_or_init(pg_template).await;
            let name = format!("bizopp_t_{}", uuid::Uuid::new_v4().simple());
            pg_admin_exec(&format!("CREATE DATABASE {name} TEMPLATE {template}")).await;
            pg_url(&name)
        }
    }
}

/// A URL of a new, empty database (no tables at all; on PostgreSQL, no database yet).
pub async fn empty_database(db: Db) -> String {
    match db {
        Db::Sqlite => format!(
            "sqlite://{}",
            scratch_dir()
                .join(format!("{}.db", uuid::Uuid::new_v4()))
                .display()
        ),
        // Not even created: opening the store creates it, as on a first start.
        Db::Postgres => pg_url(&format!("bizopp_t_{}", uuid::Uuid::new_v4().simple())),
    }
}

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static PG_TEMPLATE: OnceCell<String> = OnceCell::const_new();

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bizopp-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

async fn sqlite_template() -> PathBuf {
    let work = scratch_dir().join("template-work.db");
    let store = SqliteStore::connect(&format!("sqlite://{}", work.display()))
        .await
        .expect("template database");
    server::seed::seed_demo(&store, chrono::Utc::now())
        .await
        .expect("template seeded");
    // One self-contained file, with nothing left in a WAL beside it.
    let template = scratch_dir().join("template.db");
    store
        .vacuum_into(&template.display().to_string())
        .await
        .expect("template written");
    template
}

async fn pg_template() -> String {
    let name = format!("bizopp_tpl_{}", std::process::id());
    pg_admin_exec(&format!("DROP DATABASE IF EXISTS {name}")).await;
    pg_admin_exec(&format!("CREATE DATABASE {name}")).await;
    let store = PgStore::connect(&pg_url(&name)).await.unwrap_or_else(|e| {
        panic!("PostgreSQL is required for these tests and did not answer: {e}")
    });
    server::seed::seed_demo(&store, chrono::Utc::now())
        .await
        .expect("template seeded");
    // A template must have no connections when it is copied.
    store.close().await;
    name
}

/// The server the PostgreSQL tests use: `TEST_POSTGRES_URL`, default the local one.
fn pg_base_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn pg_url(database: &str) -> String {
    format!("{}/{}", pg_base_url(), database)
}

/// Runs one statement on the `postgres` maintenance database.
async fn pg_admin_exec(sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&pg_url("postgres"))
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL is required for these tests and did not answer: {e}")
        });
    sqlx::query(sql)
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

/// Opens a store directly on `url` (migrating it), for tests below the HTTP surface.
pub async fn open_store(url: &str) -> Arc<dyn Store> {
    db::connect(url).await.expect("store opens")
}

/// Runs one query returning a single value on `url`, outside the store.
pub async fn query_one<T>(db: Db, url: &str, sql: &str) -> T
where
    T: Send + Unpin,
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    use sqlx::Connection;
    match db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
            sqlx::query_scalar(sql)
                .fetch_one(&mut conn)
                .await
                .expect(sql)
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
            sqlx::query_scalar(sql)
                .fetch_one(&mut conn)
                .await
                .expect(sql)
        }
    }
}

/// Runs one query returning a single integer on `url`, outside the store.
pub async fn scalar(db: Db, url: &str, sql: &str) -> i64 {
    query_one(db, url, sql).await
}

/// Runs one query returning a single text on `url`, outside the store.
pub async fn text(db: Db, url: &str, sql: &str) -> String {
    query_one(db, url, sql).await
}

/// Runs one statement on `url`, outside the store (as an administrator's tool would).
pub async fn execute(db: Db, url: &str, sql: &str) {
    try_execute(db, url, sql).await.expect(sql);
}

/// The same, answering the database's refusal instead of failing the test.
pub async fn try_execute(db: Db, url: &str, sql: &str) -> Result<(), String> {
    use sqlx::Connection;
    let done = match db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
            sqlx::query(sql).execute(&mut conn).await.map(|_| ())
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
            sqlx::query(sql).execute(&mut conn).await.map(|_| ())
        }
    };
    done.map_err(|e| e.to_string())
}

/// Moves an opportunity's first submission to `at`, outside the store (to place it on either
/// side of a month's boundary); bound as the store binds instants.
pub async fn set_submitted_at(db: Db, url: &str, id: i64, at: chrono::DateTime<chrono::Utc>) {
    use sqlx::Connection;
    let sql = "UPDATE opportunities SET submitted_at = $1 WHERE id = $2";
    match db {
        Db::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
            sqlx::query(sql)
                .bind(at)
                .bind(id)
                .execute(&mut conn)
                .await
                .expect(sql);
        }
        Db::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
            sqlx::query(sql)
                .bind(at)
                .bind(id)
                .execute(&mut conn)
                .await
                .expect(sql);
        }
    }
}

/// How many migration files the backend has.
pub fn migration_files(db: Db) -> i64 {
    let dir = match db {
        Db::Sqlite => "sqlite",
        Db::Postgres => "postgres",
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(dir);
    std::fs::read_dir(path)
        .expect("migrations folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count() as i64
}

/// A second client (its own cookies) on the same running server as `app`.
pub fn another_client(app: &TestApp) -> TestApp {
    TestApp {
        address: app.address.clone(),
        client: new_client(),
        store: app.store.clone(),
        database_url: app.database_url.clone(),
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them), and
/// gives up on a request that hangs rather than hanging the suite.
fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

/// A job's page (a batch, an import) once it has finished.
pub async fn job_finished(app: &TestApp, job: &str) -> String {
    for _ in 0..2400 {
        let page = app.get(job).await.text().await.unwrap();
        if !page.contains("data-status=\"running\"") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{job} did not finish");
}

/// The text of a job page's counter `id` (`job-succeeded` …), spaces dropped.
pub fn job_counter(page: &str, id: &str) -> String {
    let rest = page.split(&format!("id=\"{id}\">")).nth(1).unwrap();
    rest.split("</dd>")
        .next()
        .unwrap()
        .replace("<!-- -->", "")
        .replace("<!>", "")
        .replace(' ', "")
}
