//! The access matrix (#19, `../shared/ACCESS.md`): every endpoint the router has — the pages,
//! the server's own forms, exports and downloads, and every server function — has its row
//! here, and a new endpoint without one fails `every_endpoint_has_a_row`. Each row is then
//! checked over HTTP as nobody, as every demo user, and, for an endpoint of a record, on a
//! record outside the caller's scope: refused, and refused exactly as a record that does not
//! exist is (same status, nothing of the record in the answer).

use crate::filing::{customer, file, user_id};
use crate::helpers::*;
use axum::http::Method;
use std::collections::{BTreeSet, HashMap};

/// Every demo user.
pub(crate) const LOGINS: [&str; 14] = [
    "admin", "oppadmin", "prov_gm", "prov_vp", "ind_gov", "support", "prov_am1", "sjz_am1",
    "sjz_am2", "sjz_vp1", "sjz_gm", "bd_am1", "bd_vp1", "bd_gm",
];
const ADMIN: &[&str] = &["admin"];
const PUBLISHERS: &[&str] = &["admin", "oppadmin"];
/// 统计分析: everyone but the 客户经理.
const ANALYSTS: &[&str] = &[
    "admin", "oppadmin", "prov_gm", "prov_vp", "ind_gov", "support", "sjz_vp1", "sjz_gm", "bd_vp1",
    "bd_gm",
];
/// 转交: the administrator, and a city's managers within their city.
const TRANSFERRERS: &[&str] = &["admin", "sjz_vp1", "sjz_gm", "bd_vp1", "bd_gm"];
/// 添加客户 (and so 导入): everyone but 销售支持.
const CUSTOMER_ADDERS: &[&str] = &[
    "admin", "oppadmin", "prov_gm", "prov_vp", "ind_gov", "prov_am1", "sjz_am1", "sjz_am2",
    "sjz_vp1", "sjz_gm", "bd_am1", "bd_vp1", "bd_gm",
];
/// 报备: the 客户经理.
const FILERS: &[&str] = &["prov_am1", "sjz_am1", "sjz_am2", "bd_am1"];

/// Which records an endpoint of a record is about (the fixture made for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Customer,
    Contact,
    Opportunity,
    /// An open approval step of sjz_vp1's.
    Task,
    Activity,
    Quote,
    Milestone,
    Attachment,
    /// A 待阅消息 of sjz_am1's.
    Message,
    /// An import of sjz_am1's.
    Job,
    /// Changing an announcement (the publishers').
    AnnouncementManage,
    /// Reading one published to everyone.
    Announcement,
    /// A user's administration.
    User,
}

impl Kind {
    /// Who may not reach the fixture of this kind (all of sjz_am1's, not shared).
    fn outsiders(self) -> Vec<&'static str> {
        let records = ["sjz_am2", "bd_am1", "bd_vp1", "bd_gm", "prov_am1"];
        match self {
            Kind::Message => vec!["sjz_am2", "bd_am1", "sjz_vp1", "admin"],
            Kind::Job => vec!["sjz_am2", "bd_am1", "bd_vp1"],
            Kind::AnnouncementManage => outside(PUBLISHERS),
            Kind::Announcement => vec![],
            Kind::User => outside(ADMIN),
            _ => records.to_vec(),
        }
    }

    /// One who may reach it.
    fn insider(self) -> &'static str {
        match self {
            Kind::Task => "sjz_vp1",
            Kind::AnnouncementManage => "oppadmin",
            Kind::Announcement => "bd_am1",
            Kind::User => "admin",
            _ => "sjz_am1",
        }
    }
}

fn outside(allowed: &[&str]) -> Vec<&'static str> {
    LOGINS
        .into_iter()
        .filter(|l| !allowed.contains(l))
        .collect()
}

/// An endpoint's row of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rule {
    /// Anyone, logged in or not.
    Public,
    /// Every logged-in user; what each sees is scoped in the query.
    Signed,
    /// Only these users.
    Only(&'static [&'static str]),
    /// A record's page, action or function: its kind says who is outside.
    Record(Kind),
}

/// The row of a page, an own endpoint or a server function (`/api/…`).
pub(crate) fn row(method: &Method, path: &str) -> Option<Rule> {
    use Kind::*;
    use Rule::*;
    let get = method == Method::GET;
    Some(match path {
        "/healthz" | "/login" | "/lang" => Public,
        "/logout"
        | "/prefs/columns"
        | "/events"
        | "/"
        | "/password"
        | "/profile"
        | "/profile/password"
        | "/profile/sessions/end"
        | "/customers"
        | "/customers/find"
        | "/customers/batch"
        | "/customers/export"
        | "/contacts"
        | "/contacts/new"
        | "/contacts/export"
        | "/opportunities"
        | "/opportunities/batch"
        | "/opportunities/export"
        | "/activities"
        | "/tasks"
        | "/announcements"
        | "/rankings"
        | "/rankings/export"
        | "/milestones"
        | "/warnings/export"
        | "/outreach" => Signed,
        // The page of 合并客户 starts from one customer (`?a=`); its post names both.
        "/customers/merge" if get => Record(Customer),
        "/customers/merge" => Signed,
        "/warnings" if get => Signed,
        "/warnings" => Only(ADMIN),
        "/customers/new" | "/customers/import" | "/customers/import/start" => Only(CUSTOMER_ADDERS),
        "/opportunities/new" => Only(FILERS),
        "/announcements/new" => Only(PUBLISHERS),
        "/analysis"
        | "/analysis/pyramid"
        | "/analysis/forecast"
        | "/analysis/competition"
        | "/analysis/export" => Only(ANALYSTS),
        "/transfer" => Only(TRANSFERRERS),
        "/admin"
        | "/admin/users"
        | "/admin/users/new"
        | "/admin/dictionaries"
        | "/admin/roles"
        | "/admin/audit"
        | "/admin/audit/export"
        | "/admin/org"
        | "/admin/routing" => Only(ADMIN),
        "/customers/{id}/contacts/new" => Record(Customer),
        p if p.starts_with("/customers/{id}") => Record(Customer),
        p if p.starts_with("/contacts/{id}") => Record(Contact),
        p if p.starts_with("/opportunities/{id}") => Record(Opportunity),
        p if p.starts_with("/tasks/{id}") => Record(Task),
        p if p.starts_with("/activities/{id}") => Record(Activity),
        p if p.starts_with("/quotes/{id}") => Record(Quote),
        p if p.starts_with("/milestones/{id}") => Record(Milestone),
        p if p.starts_with("/attachments/{id}") => Record(Attachment),
        p if p.starts_with("/messages/{id}") => Record(Message),
        p if p.starts_with("/jobs/{id}") => Record(Job),
        "/announcements/{id}" => Record(Announcement),
        p if p.starts_with("/announcements/{id}/") => Record(AnnouncementManage),
        p if p.starts_with("/admin/users/{id}") => Record(User),
        p if p.starts_with("/api/") => return server_function(&p[5..]).map(|(rule, _)| rule),
        _ => return None,
    })
}

/// A server function's row, and the arguments it is called with (`{id}`: the fixture's).
pub(crate) fn server_function(
    name: &str,
) -> Option<(Rule, &'static [(&'static str, &'static str)])> {
    use Kind::*;
    use Rule::*;
    Some(match name {
        "whoami" | "badges" | "home" | "org_units" | "profile" | "customers" | "customers_find"
        | "contacts" | "opportunities" | "tasks" | "activities" | "announcements" | "rankings"
        | "milestones" | "warnings" | "outreach_draft" | "opportunity_form" | "customer_merge" => {
            (Signed, &[])
        }
        "customer_form_options" => (Only(CUSTOMER_ADDERS), &[]),
        "announcement_form" => (Only(PUBLISHERS), &[]),
        "analysis" => (
            Only(ANALYSTS),
            &[("figure", "Funnel"), ("address[from]", "")],
        ),
        "transfer_view" => (Only(TRANSFERRERS), &[]),
        "admin_org" | "admin_routing" | "admin_roles" => (Only(ADMIN), &[]),
        "admin_audit" => (Only(ADMIN), &[("query[user]", "")]),
        "admin_users" => (Only(ADMIN), &[("query[q]", "")]),
        "admin_dictionary" => (Only(ADMIN), &[("kind", "industry")]),
        "customer" | "customer_copy" | "customer_edit" => (Record(Customer), &[("id", "{id}")]),
        "customer_deals" => (Record(Customer), &[("id", "{id}"), ("query[group]", "")]),
        "contact_edit" => (Record(Contact), &[("id", "{id}")]),
        "opportunity" => (Record(Opportunity), &[("id", "{id}")]),
        "opportunity_edit" => (
            Record(Opportunity),
            &[("id", "{id}"), ("customer_query", ""), ("chosen", "")],
        ),
        "opportunity_flow_form" => (
            Record(Opportunity),
            &[("id", "{id}"), ("flow", "Termination")],
        ),
        "evaluation" | "milestone_form" => (Record(Opportunity), &[("opportunity_id", "{id}")]),
        "task" => (Record(Task), &[("id", "{id}")]),
        "activity_edit" => (Record(Activity), &[("id", "{id}")]),
        "activity_form" | "record_activities" => (Record(Customer), &[]),
        "quote" => (Record(Quote), &[("id", "{id}")]),
        "milestone_edit" => (Record(Milestone), &[("id", "{id}")]),
        "job" => (Record(Job), &[("id", "{id}")]),
        "announcement" => (Record(Announcement), &[("id", "{id}")]),
        "admin_user_form" => (Record(User), &[("id", "{id}")]),
        _ => return None,
    })
}

/// Every endpoint: the pages (GET), the server's own, and the server functions.
pub(crate) fn endpoints() -> Vec<(Method, String)> {
    let mut all: BTreeSet<(String, String)> = BTreeSet::new();
    for page in server::startup::page_paths() {
        all.insert(("GET".into(), page));
    }
    for (method, path) in server::startup::endpoints() {
        all.insert((method.to_string(), path.to_owned()));
    }
    for (method, path) in server::startup::server_functions() {
        all.insert((method.to_string(), path.to_owned()));
    }
    all.into_iter()
        .map(|(m, p)| (m.parse().expect("a method"), p))
        .collect()
}

#[test]
fn every_endpoint_has_a_row() {
    let missing: Vec<String> = endpoints()
        .into_iter()
        .filter(|(m, p)| row(m, p).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the access table: {missing:#?}"
    );
    assert!(endpoints().len() > 180, "the router's endpoints were found");
}

/// Every record's name starts so: a refusal must not contain it.
pub(crate) const MARK: &str = "矩阵";

/// One record of each kind (mostly sjz_am1's, none shared): the ids.
pub(crate) async fn fixtures(app: &TestApp) -> HashMap<Kind, String> {
    let (db, url) = (app.db(), app.database_url.clone());
    let id_of = |sql: String| {
        let url = url.clone();
        async move { scalar(db, &url, &sql).await.to_string() }
    };
    let mut ids = HashMap::new();
    app.login_as("sjz_am1").await;
    let am1 = user_id(app, "sjz_am1").await;
    let vp1 = user_id(app, "sjz_vp1").await;
    let c = customer(app, "矩阵客户").await;
    let added = app
        .post_form(
            &format!("/customers/{c}/contacts/new"),
            &[("name", "矩阵联系人")],
        )
        .await;
    assert_eq!(added.status(), 303);
    ids.insert(
        Kind::Contact,
        id_of(format!(
            "SELECT MAX(id) FROM contacts WHERE customer_id = {c}"
        ))
        .await,
    );
    let logged = app
        .post_form(
            &format!("/customers/{c}/activities/new"),
            &[
                ("kind", "visit"),
                ("date", "2026-11-20"),
                ("customer_id", &c),
                ("notes", "矩阵活动"),
            ],
        )
        .await;
    assert_eq!(logged.status(), 303, "{:?}", logged.text().await);
    ids.insert(
        Kind::Activity,
        id_of(format!(
            "SELECT MAX(id) FROM activities WHERE customer_id = {c}"
        ))
        .await,
    );
    let stored = app
        .post_files(
            &format!("/customers/{c}/files"),
            &[("矩阵资料.pdf", b"%PDF-1.4".to_vec())],
        )
        .await;
    assert_eq!(stored.status(), 303);
    ids.insert(
        Kind::Attachment,
        id_of(format!(
            "SELECT MAX(id) FROM attachments WHERE customer_id = {c}"
        ))
        .await,
    );
    let order = crate::milestones::signed(app, "矩阵商机", "2026-11-20", "1000").await;
    let o = order.rsplit('/').next().unwrap().to_owned();
    ids.insert(
        Kind::Milestone,
        id_of(format!(
            "SELECT MIN(id) FROM order_milestones WHERE opportunity_id = {o}"
        ))
        .await,
    );
    let (quoted, _) = crate::lifecycle::filed(app, "矩阵报价商机").await;
    let quote = app.post_form(&format!("{quoted}/quotes"), &[]).await;
    assert_eq!(quote.status(), 303);
    ids.insert(
        Kind::Quote,
        location(&quote).rsplit('/').next().unwrap().to_owned(),
    );
    file(app, "矩阵待审商机", &c, vp1).await;
    ids.insert(
        Kind::Task,
        id_of(format!(
            "SELECT MAX(id) FROM tasks WHERE assignee_id = {vp1} AND open = TRUE"
        ))
        .await,
    );
    ids.insert(
        Kind::Message,
        id_of(format!(
            "SELECT MAX(id) FROM messages WHERE user_id = {am1}"
        ))
        .await,
    );
    let (status, preview) = crate::import::upload(
        app,
        "customers",
        "矩阵.csv",
        "客户名称,行业,客户级别\n矩阵导入客户,政务,一般客户\n"
            .as_bytes()
            .to_vec(),
    )
    .await;
    assert_eq!(status, 200);
    let job =
        crate::import::start(app, &preview, "customers", &["name", "industry", "level"]).await;
    job_finished(app, &job).await;
    ids.insert(Kind::Job, job.rsplit('/').next().unwrap().to_owned());
    let publisher = another_client(app);
    publisher.login_as("oppadmin").await;
    let published = publisher
        .post_multipart(
            "/announcements/new",
            &[
                ("title", "矩阵公告"),
                ("body", "矩阵公告内容"),
                ("city_id", ""),
            ],
            ("file", "矩阵.pdf", b"%PDF-1.4".to_vec()),
        )
        .await;
    assert_eq!(published.status(), 303, "{:?}", published.text().await);
    let announcement = id_of("SELECT MAX(id) FROM announcements".into()).await;
    ids.insert(Kind::Announcement, announcement.clone());
    ids.insert(Kind::AnnouncementManage, announcement);
    ids.insert(Kind::User, user_id(app, "sjz_am2").await.to_string());
    ids.insert(Kind::Customer, c);
    ids.insert(Kind::Opportunity, o);
    ids
}

/// A session of every demo user.
pub(crate) async fn everyone(app: &TestApp) -> HashMap<&'static str, TestApp> {
    let mut sessions = HashMap::new();
    for login in LOGINS {
        let client = another_client(app);
        client.login_as(login).await;
        sessions.insert(login, client);
    }
    sessions
}

/// What a record's form is posted with by an outsider: every field its forms read, each
/// plausible, so the answer is the right's and not the form's.
pub(crate) const FORM: &[(&str, &str)] = &[
    ("user_id", "9"),
    ("access", "read"),
    ("version", "1"),
    ("name", "矩阵改名"),
    ("decision", "approve_end"),
    ("opinion", "越权"),
    ("stage", "plan"),
    ("approver_id", "10"),
    ("kind", "visit"),
    ("date", "2026-11-20"),
    ("notes", "越权"),
    ("status", "done"),
    ("title", "越权"),
    ("body", "越权"),
    ("amount", "1"),
    ("contract_no", "HT-X"),
    ("signed_on", "2026-11-20"),
    ("reason", "越权"),
    ("category_id", "1"),
    ("industry_id", "1"),
    ("level_id", "1"),
    ("registered_on", "2026-11-20"),
    ("due_on", "2026-12-20"),
    ("password", "Xyz-12345678"),
    ("confirm", "Xyz-12345678"),
];

/// Sends one request (a GET, a POST of an empty form, or a server function's call with its
/// arguments): the status and the body.
async fn send(client: &TestApp, method: &Method, path: &str, id: &str) -> (u16, String) {
    send_with(client, method, path, id, &[]).await
}

pub(crate) async fn send_with(
    client: &TestApp,
    method: &Method,
    path: &str,
    id: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    // What a link to an export carries.
    let address = match path {
        "/analysis/export" => "/analysis/export?figure=funnel".to_owned(),
        "/warnings/export" => "/warnings/export?kind=idle".to_owned(),
        "/customers/merge" if *method == Method::GET => format!("/customers/merge?a={id}"),
        other => other.replace("{id}", id),
    };
    let response = if let Some(name) = address.strip_prefix("/api/") {
        let args: Vec<(String, String)> = server_function(name)
            .map(|(_, args)| args)
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.to_string(), v.replace("{id}", id)))
            .collect();
        client.server_fn_form(name, &args).await
    } else if *method == Method::GET {
        client.get(&address).await
    } else {
        client.post_form(&address, form).await
    };
    let status = response.status().as_u16();
    // The live channel's answer never ends: its head is the answer.
    if address == "/events" {
        return (status, String::new());
    }
    let body = response.text().await.unwrap_or_default();
    (status, body)
}

/// What is not checked as a caller's own action: logging out ends the session the sweep uses.
fn swept(path: &str) -> bool {
    path != "/logout"
}

on_both_databases! {
    async fn nobody_reaches_anything_but_the_public_endpoints(db) {
        let app = spawn_app(db).await;
        let ids = fixtures(&app).await;
        let nobody = another_client(&app);
        for (method, path) in endpoints() {
            let rule = row(&method, &path).unwrap();
            if matches!(rule, Rule::Public) {
                continue;
            }
            let id = match rule { Rule::Record(kind) => ids[&kind].as_str(), _ => "1" };
            let (status, body) = send(&nobody, &method, &path, id).await;
            assert!(matches!(status, 303 | 400 | 401 | 403), "{method} {path} as nobody: {status}");
            if status == 303 && !path.starts_with("/api/") {
                // Told to log in (the answer carries no page).
                assert!(body.is_empty() || !body.contains(MARK), "{method} {path}");
            }
            assert!(!body.contains(MARK), "{method} {path} as nobody showed a record");
        }
    }

    async fn each_role_reaches_exactly_its_rows(db) {
        let app = spawn_app(db).await;
        let _ = fixtures(&app).await;
        let sessions = everyone(&app).await;
        for (method, path) in endpoints() {
            if !swept(&path) || path.contains("{id}") {
                continue;
            }
            let allowed: Vec<&str> = match row(&method, &path).unwrap() {
                Rule::Only(list) => list.to_vec(),
                Rule::Signed => LOGINS.to_vec(),
                _ => continue,
            };
            for login in LOGINS {
                let (status, _) = send(&sessions[login], &method, &path, "").await;
                let may = allowed.contains(&login);
                assert!(status < 500, "{method} {path} as {login}: {status}");
                if !may {
                    assert_eq!(status, 403, "{method} {path} is refused to {login}");
                } else if method == Method::GET {
                    assert!(matches!(status, 200 | 303), "{method} {path} as {login}: {status}");
                } else if matches!(row(&method, &path), Some(Rule::Only(_))) {
                    // An empty form: refused beside its fields, not for who is asking. (An
                    // empty form of an open row names no record, so it may find none.)
                    assert_ne!(status, 403, "{method} {path} is {login}'s to use");
                }
            }
        }
    }

    async fn a_record_outside_the_callers_scope_answers_as_a_missing_one(db) {
        let app = spawn_app(db).await;
        let ids = fixtures(&app).await;
        let sessions = everyone(&app).await;
        for (method, path) in endpoints() {
            let Some(Rule::Record(kind)) = row(&method, &path) else { continue };
            if path.starts_with("/api/") && server_function(&path[5..]).is_some_and(|(_, a)| a.is_empty()) {
                continue;
            }
            let id = &ids[&kind];
            for login in kind.outsiders() {
                let (status, body) = send_with(&sessions[login], &method, &path, id, FORM).await;
                assert!(matches!(status, 403 | 404), "{method} {path} ({kind:?} {id}) as {login}: {status}");
                assert!(!body.contains(MARK), "{method} {path} as {login} showed the record");
                let (missing, _) = send_with(&sessions[login], &method, &path, "987654321", FORM).await;
                assert_eq!(status, missing, "{method} {path} as {login}: refused and missing answer alike");
            }
            if method == Method::GET {
                let insider = kind.insider();
                let (status, _) = send(&sessions[insider], &method, &path, id).await;
                assert!(status < 500 && status != 404, "{method} {path} as {insider}: {status}");
            }
        }
    }
}
