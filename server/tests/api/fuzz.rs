//! The fuzzer (#19): random and mutated inputs sent to every form post, server function and
//! page of the router, as users of six roles, on their own records, others' and none: every
//! field its forms read, plausible or not (invalid UTF-8, control characters, markup, SQL,
//! huge and negative numbers, impossible dates, very long text), in the wrong encoding too.
//! Never a 5xx or a dropped connection; a refused request (4xx) writes nothing; afterwards the
//! database is sound and its statuses and tasks agree. A failing input shrinks (proptest) to
//! a minimal one, which the failure prints.

use crate::access::{endpoints, fixtures, server_function, FORM};
use crate::helpers::*;
use axum::http::Method;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::HashMap;

/// Who sends: the fixtures' owner, their approver, the administrator, the 商机管理员, another
/// city's 总经理 and 销售支持.
const WHO: [&str; 6] = [
    "sjz_am1", "sjz_vp1", "admin", "oppadmin", "bd_gm", "support",
];

/// Values that have broken web applications before.
const TRICKY: &[&str] = &[
    "'; DROP TABLE customers;--",
    "\" OR 1=1 --",
    "<script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "\u{0}",
    "a\u{0}b",
    "\u{7}\u{1b}[31m\r\n\t\u{7f}",
    "😀👨‍👩‍👧",
    "ＡＢＣ全角１２３",
    "\u{202e}fdp.exe",
    "%00",
    "../../etc/passwd",
    "-1",
    "0",
    "-9223372036854775808",
    "9223372036854775807",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "-0",
    "0.0000001",
    "1,000",
    "2026-02-30",
    "9999-12-31",
    "0000-01-01",
    "-2026-01-01",
    "2026-13-01",
    "20261120",
    "true",
    "null",
    "[]",
    "{}",
];

/// Path ids that are no record's.
const ODD_IDS: &[&str] = &["0", "-1", "99999999999999999999", "abc", "1.5", "%E4%B8%AD"];

/// Keys that no form of ours reads, or that only some do: a forged field goes unnoticed
/// unless something reads it.
const EXTRA_KEYS: &[&str] = &[
    "id",
    "owner_id",
    "org_unit_id",
    "city_id",
    "customer_id",
    "customer_ids",
    "opportunity_id",
    "attachment_id",
    "assignee_id",
    "task_id",
    "q",
    "page",
    "after",
    "sort",
    "status",
    "level",
    "roles",
    "login",
    "expected",
    "contact_ids",
];

#[derive(Debug, Clone, Copy)]
enum Encoding {
    Form,
    Multipart,
    Json,
    /// The fields' bytes as they are, unescaped, declared as a form.
    Raw,
}

/// One request: who sends it, the id in its path, its fields, their encoding.
#[derive(Clone)]
struct Input {
    who: usize,
    id: String,
    fields: Vec<(String, Vec<u8>)>,
    encoding: Encoding,
}

/// Shown as text, a long value cut short.
impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "as {}, id {:?}, {:?}:",
            WHO[self.who], self.id, self.encoding
        )?;
        for (k, v) in &self.fields {
            let text: String = String::from_utf8_lossy(v).chars().take(60).collect();
            writeln!(f, "  {k} = {text:?} ({} bytes)", v.len())?;
        }
        Ok(())
    }
}

/// The inputs of one endpoint: `base` is its plausible form, mutated or not.
fn inputs(base: Vec<(String, String)>, ids: Vec<String>) -> impl Strategy<Value = Input> {
    let mut keys: Vec<String> = base.iter().map(|(k, _)| k.clone()).collect();
    keys.extend(EXTRA_KEYS.iter().map(|k| k.to_string()));
    let mut plausible: Vec<String> = base.iter().map(|(_, v)| v.clone()).collect();
    plausible.extend(ids.iter().cloned());
    plausible.push(String::new());
    let value = prop_oneof![
        4 => prop::sample::select(plausible).prop_map(String::into_bytes),
        3 => prop::sample::select(TRICKY).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..24),
        1 => prop::collection::vec(any::<char>(), 0..24)
            .prop_map(|c| c.into_iter().collect::<String>().into_bytes()),
        1 => (1_usize..12_000).prop_map(|n| "长".repeat(n).into_bytes()),
    ];
    let mut path_ids = ids;
    path_ids.extend(ODD_IDS.iter().map(|s| s.to_string()));
    let encoding = prop_oneof![
        6 => Just(Encoding::Form),
        1 => Just(Encoding::Multipart),
        1 => Just(Encoding::Json),
        1 => Just(Encoding::Raw),
    ];
    (
        0..WHO.len(),
        prop::sample::select(path_ids),
        any::<bool>(),
        prop::collection::vec((prop::sample::select(keys), value), 0..12),
        encoding,
    )
        .prop_map(move |(who, id, from_base, changes, encoding)| {
            let mut fields: Vec<(String, Vec<u8>)> = if from_base {
                base.iter()
                    .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
                    .collect()
            } else {
                Vec::new()
            };
            for (key, value) in changes {
                match fields.iter_mut().find(|(k, _)| *k == key) {
                    Some(field) => field.1 = value,
                    None => fields.push((key, value)),
                }
            }
            Input {
                who,
                id,
                fields,
                encoding,
            }
        })
}

/// `application/x-www-form-urlencoded` bytes, any byte escaped.
fn urlencoded(fields: &[(String, Vec<u8>)]) -> Vec<u8> {
    let escape = |bytes: &[u8], out: &mut Vec<u8>| {
        for b in bytes {
            if b.is_ascii_alphanumeric() || b"-_.*".contains(b) {
                out.push(*b);
            } else {
                out.extend(format!("%{b:02X}").bytes());
            }
        }
    };
    let mut out = Vec::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        escape(k.as_bytes(), &mut out);
        out.push(b'=');
        escape(v, &mut out);
    }
    out
}

/// Sends `input` to the endpoint: the status, or why there was none.
async fn send(client: &TestApp, method: &Method, path: &str, input: &Input) -> Result<u16, String> {
    let address = format!("{}{}", client.address, path.replace("{id}", &input.id));
    let request = if *method == Method::GET {
        // An address is short (a client refuses one over 64 KB): values cut to 2,000 bytes.
        let short: Vec<(String, Vec<u8>)> = input
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v[..v.len().min(2_000)].to_vec()))
            .collect();
        let query = String::from_utf8(urlencoded(&short)).expect("escaped");
        client.client.get(format!("{address}?{query}"))
    } else {
        let post = client
            .client
            .post(&address)
            .header("Sec-Fetch-Site", "same-origin");
        let post = if path.starts_with("/api/") {
            post.header("Accept", "application/json")
        } else {
            post
        };
        match input.encoding {
            Encoding::Form => post
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(urlencoded(&input.fields)),
            Encoding::Raw => {
                let mut body = Vec::new();
                for (k, v) in &input.fields {
                    body.extend(k.as_bytes());
                    body.push(b'=');
                    body.extend(v);
                    body.push(b'&');
                }
                post.header("Content-Type", "application/x-www-form-urlencoded")
                    .body(body)
            }
            Encoding::Json => {
                let map: serde_json::Map<String, serde_json::Value> = input
                    .fields
                    .iter()
                    .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned().into()))
                    .collect();
                post.json(&map)
            }
            Encoding::Multipart => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in &input.fields {
                    form = form.part(k.clone(), reqwest::multipart::Part::bytes(v.clone()));
                }
                let bytes = input
                    .fields
                    .first()
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let file = reqwest::multipart::Part::bytes(bytes).file_name("模糊.pdf");
                post.multipart(form.part("files", file))
            }
        }
    };
    let response = request
        .send()
        .await
        .map_err(|e| format!("no answer: {e:?}"))?;
    let status = response.status().as_u16();
    // The body is read whole: a connection dropped mid-answer is a failure too.
    response
        .bytes()
        .await
        .map_err(|e| format!("answer cut off: {e}"))?;
    Ok(status)
}

/// What the records are: counts and versions of every table a request may write (not the
/// sessions, the audit log or the analysis cells, which change beside a refusal by design).
const FINGERPRINT: &str = "SELECT CONCAT_WS(',', \
    (SELECT COUNT(*) FROM customers), (SELECT COALESCE(SUM(version), 0) FROM customers), \
    (SELECT COUNT(*) FROM customer_shares), \
    (SELECT COUNT(*) FROM contacts), (SELECT COALESCE(SUM(version), 0) FROM contacts), \
    (SELECT COUNT(*) FROM contact_relations), \
    (SELECT COUNT(*) FROM opportunities), (SELECT COALESCE(SUM(version), 0) FROM opportunities), \
    (SELECT COUNT(*) FROM opportunity_customers), (SELECT COUNT(*) FROM opportunity_competitors), \
    (SELECT COUNT(*) FROM opportunity_shares), \
    (SELECT COUNT(*) FROM tasks), (SELECT COUNT(*) FROM tasks WHERE open), \
    (SELECT COUNT(*) FROM approval_records), (SELECT COUNT(*) FROM messages), \
    (SELECT COUNT(*) FROM stage_history), (SELECT COUNT(*) FROM signings), \
    (SELECT COUNT(*) FROM terminations), (SELECT COUNT(*) FROM activities), \
    (SELECT COUNT(*) FROM activity_contacts), \
    (SELECT COUNT(*) FROM announcements), (SELECT COALESCE(SUM(version), 0) FROM announcements), \
    (SELECT COUNT(*) FROM customer_merges), (SELECT COUNT(*) FROM jobs), \
    (SELECT COUNT(*) FROM outreach_messages), (SELECT COUNT(*) FROM quotes), \
    (SELECT COUNT(*) FROM quote_lines), (SELECT COUNT(*) FROM order_milestones), \
    (SELECT COUNT(*) FROM milestone_history), (SELECT COUNT(*) FROM opportunity_evaluations), \
    (SELECT COUNT(*) FROM users), (SELECT COALESCE(SUM(version), 0) FROM users), \
    (SELECT COUNT(*) FROM user_roles), (SELECT COUNT(*) FROM user_industries), \
    (SELECT COUNT(*) FROM org_units), (SELECT COUNT(*) FROM dict_items), \
    (SELECT version FROM directory_version), (SELECT COUNT(*) FROM user_prefs), \
    (SELECT COUNT(*) FROM attachments WHERE customer_id IS NOT NULL OR opportunity_id IS NOT NULL))";

/// One connection kept open for the fingerprints.
enum Connection {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Connection {
    async fn open(db: Db, url: &str) -> Self {
        use sqlx::Connection as _;
        match db {
            Db::Sqlite => Self::Sqlite(sqlx::SqliteConnection::connect(url).await.expect("open")),
            Db::Postgres => Self::Postgres(sqlx::PgConnection::connect(url).await.expect("open")),
        }
    }

    async fn fingerprint(&mut self) -> String {
        match self {
            Self::Sqlite(c) => sqlx::query_scalar(FINGERPRINT).fetch_one(c).await,
            Self::Postgres(c) => sqlx::query_scalar(FINGERPRINT).fetch_one(c).await,
        }
        .expect("the fingerprint")
    }
}

/// What is not fuzzed: the endpoints that end the fuzzing session, and the live channel,
/// whose answer never ends.
fn fuzzed(path: &str) -> bool {
    !matches!(path, "/logout" | "/events" | "/profile/sessions/end")
}

fn cases() -> u32 {
    std::env::var("BIZOPP_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(25)
}

/// Sends one input and judges the answer: its status, or what went wrong.
async fn check(
    sessions: &[TestApp],
    records: &mut Connection,
    method: &Method,
    path: &str,
    input: &Input,
) -> Result<u16, String> {
    let before = records.fingerprint().await;
    let status = send(&sessions[input.who], method, path, input).await?;
    if status >= 500 {
        return Err(format!("answered {status}"));
    }
    if (400..500).contains(&status) && records.fingerprint().await != before {
        return Err(format!("refused ({status}) yet wrote"));
    }
    Ok(status)
}

on_both_databases! {
    async fn random_and_mutated_inputs_never_fail_the_server_or_write_half(db) {
        let app = spawn_app(db).await;
        let ids: HashMap<_, _> = fixtures(&app).await;
        let mut all_ids: Vec<String> = ids.values().cloned().collect();
        all_ids.sort();
        all_ids.dedup();
        let mut sessions = Vec::new();
        for login in WHO {
            let client = another_client(&app);
            client.login_as(login).await;
            sessions.push(client);
        }
        let mut records = Connection::open(db, &app.database_url).await;
        let config = Config { cases: cases(), failure_persistence: None, ..Config::default() };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[19; 32]));
        let (mut sent, mut accepted_posts) = (0, 0);
        for (method, path) in endpoints() {
            if !fuzzed(&path) {
                continue;
            }
            let mut base: Vec<(String, String)> =
                FORM.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            if let Some((_, args)) = path.strip_prefix("/api/").and_then(server_function) {
                let record = ids.values().next().cloned().unwrap_or_default();
                base.extend(args.iter().map(|(k, v)| (k.to_string(), v.replace("{id}", &record))));
            }
            let strategy = inputs(base, all_ids.clone());
            for _ in 0..cases() {
                let mut tree = strategy.new_tree(&mut runner).expect("an input");
                sent += 1;
                let first = match check(&sessions, &mut records, &method, &path, &tree.current()).await {
                    Ok(status) => {
                        if method == Method::POST && status < 400 {
                            accepted_posts += 1;
                        }
                        continue;
                    }
                    Err(why) => why,
                };
                // Shrink: simplify while it still fails, step back when it stops failing.
                let mut failure = (tree.current(), first);
                for _ in 0..300 {
                    if !tree.simplify() {
                        break;
                    }
                    match check(&sessions, &mut records, &method, &path, &tree.current()).await {
                        Err(why) => failure = (tree.current(), why),
                        Ok(_) => {
                            if !tree.complicate() {
                                break;
                            }
                        }
                    }
                }
                let (input, why) = failure;
                panic!("{method} {path}: {why}\nminimal input {input:?}");
            }
        }
        println!("{sent} random requests, {accepted_posts} posts accepted");
        assert!(sent > 1_500 * cases() / 10, "every endpoint was fuzzed: {sent}");
        // Not only refusals: plausible inputs reached the handlers and wrote.
        assert!(accepted_posts > cases() * 5, "{accepted_posts} posts accepted");

        // The server still answers, and what the requests wrote is whole.
        assert_eq!(sessions[0].get("/").await.status(), 200);
        let url = &app.database_url;
        if db == Db::Sqlite {
            assert_eq!(text(db, url, "PRAGMA integrity_check").await, "ok");
            assert_eq!(scalar(db, url, "SELECT COUNT(*) FROM pragma_foreign_key_check").await, 0);
        }
        let pending = "('pending', 'sign_pending', 'terminate_pending')";
        assert_eq!(
            scalar(db, url, &format!("SELECT COUNT(*) FROM opportunities o WHERE status IN {pending} \
                AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.opportunity_id = o.id AND t.open AND t.kind = 'approve')")).await,
            0,
            "every pending opportunity has its open step"
        );
        assert_eq!(
            scalar(db, url, &format!("SELECT COUNT(*) FROM tasks t JOIN opportunities o ON o.id = t.opportunity_id \
                WHERE t.open AND t.kind = 'approve' AND o.status NOT IN {pending}")).await,
            0,
            "no open step on a settled opportunity"
        );
        assert_eq!(
            scalar(db, url, "SELECT COUNT(*) FROM opportunities o WHERE status = 'returned' \
                AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.opportunity_id = o.id AND t.open AND t.kind = 'returned')").await,
            0,
            "every returned filing waits for its filer"
        );
        assert_eq!(
            scalar(db, url, "SELECT COUNT(*) FROM (SELECT task_id FROM approval_records \
                WHERE kind IN ('approve_end', 'approve_forward', 'return') GROUP BY task_id HAVING COUNT(*) > 1) twice").await,
            0,
            "no step decided twice"
        );
    }
}
