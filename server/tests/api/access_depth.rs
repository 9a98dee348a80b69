//! The access matrix in depth (#19): beside other cities and other owners (`access`), the
//! records in between — shared 只读, 可编辑 or 协作, someone else's draft — a user disabled while
//! logged in, and forged fields naming another owner, unit, customer, approver or file. Each
//! endpoint of a customer or an opportunity is swept at every share level against the table.

use crate::access::{endpoints, everyone, row, send_with, Kind, Rule, FORM, LOGINS, MARK};
use crate::filing::{business_type, customer, decide, decide_with, file, first_task, user_id};
use crate::helpers::*;
use axum::http::Method;
use std::collections::BTreeSet;

/// What a share level lets its holder post on the record, beside reading it (ACCESS.md: 可编辑
/// edits a customer but neither deletes nor shares it; 协作 edits an active opportunity's
/// non-approval fields, logs its activities and quotes; 只读 posts nothing).
fn allowed_posts(kind: Kind, level: &str) -> &'static [&'static str] {
    match (kind, level) {
        (Kind::Customer, "edit") => &[
            "/customers/{id}/edit",
            // 转为交易客户 changes one field of the customer: an edit.
            "/customers/{id}/convert",
            "/customers/{id}/contacts/new",
            "/customers/{id}/relations",
            "/customers/{id}/activities/new",
            "/customers/{id}/files",
        ],
        (Kind::Opportunity, "collaborate") => &[
            "/opportunities/{id}/edit",
            "/opportunities/{id}/activities/new",
            "/opportunities/{id}/quotes",
            "/opportunities/{id}/evaluation",
            "/opportunities/{id}/files",
        ],
        _ => &[],
    }
}

/// The own posts (forms) of a record of `kind`.
fn record_posts(kind: Kind) -> Vec<String> {
    endpoints()
        .into_iter()
        .filter(|(m, p)| {
            *m == Method::POST
                && !p.starts_with("/api/")
                && matches!(row(m, p), Some(Rule::Record(k)) if k == kind)
        })
        .map(|(_, p)| p)
        .collect()
}

/// Shares `path`'s record with sjz_am2 at `level` (as its owner).
async fn share(owner: &TestApp, path: &str, am2: i64, level: &str) {
    let shared = owner
        .post_form(
            &format!("{path}/share"),
            &[("user_id", &am2.to_string()), ("access", level)],
        )
        .await;
    assert_eq!(shared.status(), 303, "shared {path} {level}");
}

async fn unshare(owner: &TestApp, path: &str, am2: i64) {
    let gone = owner
        .post_form(&format!("{path}/unshare"), &[("user_id", &am2.to_string())])
        .await;
    assert_eq!(gone.status(), 303, "unshared {path}");
}

/// Posts customer `c`'s edit form, on its current version, with `extra` fields.
async fn edit_customer(
    app: &TestApp,
    c: &str,
    extra: &[(&'static str, String)],
) -> reqwest::Response {
    let sql = format!("SELECT version FROM customers WHERE id = {c}");
    let version = scalar(app.db(), &app.database_url, &sql).await.to_string();
    let mut fields = crate::customer_pages::edit_fields(app, "13800000000", &version).await;
    fields.extend_from_slice(extra);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(&format!("/customers/{c}/edit"), &fields)
        .await
}

on_both_databases! {
    async fn each_share_level_reaches_exactly_what_the_table_gives_it(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let am2 = user_id(&app, "sjz_am2").await;
        let guest = another_client(&app);
        guest.login_as("sjz_am2").await;
        let c = customer(&app, "矩阵共享客户").await;
        let (o_path, _) = crate::lifecycle::filed(&app, "矩阵共享商机").await;
        let o = o_path.rsplit('/').next().unwrap().to_owned();
        let records = [
            (Kind::Customer, format!("/customers/{c}"), c.clone(), ["read", "edit"]),
            (Kind::Opportunity, o_path.clone(), o.clone(), ["read", "collaborate"]),
        ];
        for (kind, path, id, levels) in &records {
            let posts = record_posts(*kind);
            assert!(posts.len() >= 5, "{kind:?}: {posts:?}");
            // Not shared: as missing (`access` sweeps that for every endpoint).
            assert_eq!(guest.get(path).await.status(), 403);
            for level in levels {
                share(&app, path, am2, level).await;
                let page = guest.get(path).await;
                assert_eq!(page.status(), 200, "{path} shared {level}");
                assert!(page.text().await.unwrap().contains(MARK), "{path} shown to a {level} share");
                let allowed = allowed_posts(*kind, level);
                for post in &posts {
                    // Some posts end the record or the share: they are checked refused only.
                    let (status, _) = send_with(&guest, &Method::POST, post, id, FORM).await;
                    if allowed.contains(&post.as_str()) {
                        assert_ne!(status, 403, "POST {post} is a {level} share's");
                        assert!(status < 500, "POST {post} as a {level} share: {status}");
                    } else {
                        assert_eq!(status, 403, "POST {post} is refused to a {level} share");
                    }
                }
                // The record is still there and still shared (nothing the guest posted ended it).
                assert_eq!(guest.get(path).await.status(), 200, "{path} still shared {level}");
                unshare(&app, path, am2).await;
                assert_eq!(guest.get(path).await.status(), 403, "{path} unshared");
            }
        }
    }

    async fn someone_elses_draft_answers_every_role_as_a_missing_record(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "矩阵草稿客户").await;
        let saved = app.post_form("/opportunities/new", &[
            ("name", "矩阵草稿商机"), ("customer_id", &c),
            ("business_type_id", &business_type(&app).await), ("action", "save"),
        ]).await;
        assert_eq!(saved.status(), 303, "{:?}", saved.text().await);
        let draft = scalar(db, &app.database_url, "SELECT MAX(id) FROM opportunities WHERE name = '矩阵草稿商机'")
            .await
            .to_string();
        let sessions = everyone(&app).await;
        let opportunity_endpoints: Vec<(Method, String)> = endpoints()
            .into_iter()
            .filter(|(m, p)| matches!(row(m, p), Some(Rule::Record(Kind::Opportunity))))
            .collect();
        for login in LOGINS.iter().filter(|l| **l != "sjz_am1") {
            for (method, path) in &opportunity_endpoints {
                if path.starts_with("/api/") && crate::access::server_function(&path[5..]).is_some_and(|(_, a)| a.is_empty()) {
                    continue;
                }
                let (status, body) = send_with(&sessions[login], method, path, &draft, FORM).await;
                let (missing, _) = send_with(&sessions[login], method, path, "987654321", FORM).await;
                assert_eq!(status, missing, "{method} {path} on sjz_am1's draft as {login}");
                assert!(!body.contains(MARK), "{method} {path} as {login} showed the draft");
            }
            let (_, list) = send_with(&sessions[login], &Method::GET, "/opportunities?tab=all", "", &[]).await;
            assert!(!list.contains("矩阵草稿商机"), "{login}'s list holds no one else's draft");
        }
        // Its filer still has it, whole.
        let (status, page) = send_with(&sessions["sjz_am1"], &Method::GET, "/opportunities/{id}", &draft, &[]).await;
        assert_eq!(status, 200);
        assert!(page.contains("矩阵草稿商机"));
    }

    async fn a_user_disabled_while_logged_in_reaches_nothing_from_the_next_request(db) {
        let app = spawn_app(db).await;
        let admin = another_client(&app);
        admin.login_as("admin").await;
        app.login_as("sjz_am2").await;
        let c = customer(&app, "矩阵停用客户").await;
        // What they hold goes first (转交), as the administrator's page requires.
        let am1 = user_id(&app, "sjz_am1").await;
        let am2 = user_id(&app, "sjz_am2").await;
        let moved = crate::transfer::transfer(&admin, "customers", am2, am1, &[]).await;
        assert_eq!(moved.status(), 303, "{:?}", moved.text().await);
        let disabled = admin.post_form(&format!("/admin/users/{am2}/disable"), &[]).await;
        assert_eq!(disabled.status(), 303, "{:?}", disabled.text().await);
        let mut reached = BTreeSet::new();
        for (method, path) in endpoints() {
            match row(&method, &path) {
                Some(Rule::Public) | None => continue,
                _ if path == "/logout" => continue,
                _ => {}
            }
            let (status, body) = send_with(&app, &method, &path, &c, FORM).await;
            if !matches!(status, 303 | 400 | 401 | 403) || body.contains(MARK) {
                reached.insert(format!("{method} {path}: {status}"));
            }
        }
        assert!(reached.is_empty(), "a disabled user reached: {reached:#?}");
        let again = another_client(&app);
        let login = again.login("sjz_am2", server::seed::DEMO_PASSWORD).await;
        assert_ne!(login.headers().get("location").and_then(|l| l.to_str().ok()), Some("/"), "no new session");
    }

    async fn forged_fields_change_nothing_they_name(db) {
        let app = spawn_app(db).await;
        let (url, bd_am1) = (app.database_url.clone(), user_id(&app, "bd_am1").await);
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let theirs = customer(&outsider, "保定矩阵客户").await;
        app.login_as("sjz_am1").await;
        let am1 = user_id(&app, "sjz_am1").await;
        let c = customer(&app, "矩阵伪造客户").await;

        // A customer's 负责人 and 负责部门 are chosen among the caller's options: another city's
        // are refused beside their fields and nothing moves. Its unit and city are no fields
        // at all: posted, they change nothing.
        let placed = |c: &str| format!(
            "SELECT owner_id || '/' || dept_id || '/' || COALESCE(city_id, 0) FROM customers WHERE id = {c}");
        let before: String = text(db, &url, &placed(&c)).await;
        let their_dept = scalar(db, &url, &format!("SELECT dept_id FROM customers WHERE id = {theirs}")).await.to_string();
        let their_city = scalar(db, &url, &format!("SELECT city_id FROM customers WHERE id = {theirs}")).await.to_string();
        let forged = edit_customer(&app, &c, &[("owner_id", bd_am1.to_string()), ("dept_id", their_dept)]).await;
        assert_eq!(forged.status(), 422);
        assert!(forged.text().await.unwrap().contains("选项无效"), "refused beside the field");
        assert_eq!(text(db, &url, &placed(&c)).await, before);
        let ignored = edit_customer(&app, &c, &[("org_unit_id", their_city.clone()), ("city_id", their_city)]).await;
        assert_eq!(ignored.status(), 303);
        assert_eq!(text(db, &url, &placed(&c)).await, before, "owner, unit and city as they were");
        assert!(before.starts_with(&format!("{am1}/")));

        // An activity logged on one's own customer naming another's is refused, not moved.
        let logged = app.post_form(&format!("/customers/{c}/activities/new"), &[
            ("kind", "visit"), ("date", "2026-11-20"), ("customer_id", &theirs), ("notes", "伪造客户"),
        ]).await;
        assert_eq!(
            scalar(db, &url, &format!("SELECT COUNT(*) FROM activities WHERE customer_id = {theirs}")).await,
            0,
            "nothing logged on bd_am1's customer ({})", logged.status()
        );

        // A 报总经理 naming someone else as the next approver goes where the routing says.
        let vp1 = user_id(&app, "sjz_vp1").await;
        let (sjz_gm, bd_gm) = (user_id(&app, "sjz_gm").await, user_id(&app, "bd_gm").await);
        let target = file(&app, "矩阵伪造转发", &c, vp1).await;
        let o = target.rsplit('/').next().unwrap().to_owned();
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let task = first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        let bd = bd_gm.to_string();
        let forwarded = decide_with(&deputy, &task, "approve_forward", "转给保定", &[
            ("approver_id", &bd), ("next_approver_id", &bd), ("assignee_id", &bd),
        ]).await;
        assert!(forwarded.status().as_u16() < 500, "{}", forwarded.status());
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM tasks WHERE assignee_id = {bd_gm}")).await, 0);
        let waiting = scalar(db, &url, &format!("SELECT assignee_id FROM tasks WHERE opportunity_id = {o} AND open")).await;
        assert!(waiting == sjz_gm || waiting == vp1, "the step waits for {waiting}");
        let task = format!("/tasks/{}", scalar(db, &url, &format!("SELECT id FROM tasks WHERE opportunity_id = {o} AND open")).await);
        // The filer deciding their own step by posting to it is refused too.
        assert_eq!(decide(&app, &task, "approve_end", "").await.status(), 403);

        // A file uploaded by someone else cannot be attached by naming its id.
        let stored = outsider
            .post_files(&format!("/customers/{theirs}/files"), &[("保定合同.pdf", b"%PDF-1.4".to_vec())])
            .await;
        assert_eq!(stored.status(), 303);
        let file_id = scalar(db, &url, &format!("SELECT MAX(id) FROM attachments WHERE customer_id = {theirs}")).await;
        let (signed_path, _) = crate::lifecycle::filed(&app, "矩阵伪造附件").await;
        let v = crate::lifecycle::version(&app, &signed_path).await;
        let staged = app.post_form(&format!("{signed_path}/stage"), &[("stage", "sign"), ("version", &v)]).await;
        assert_eq!(staged.status(), 303);
        let director = user_id(&app, "ind_gov").await.to_string();
        let signing = app.post_form(&format!("{signed_path}/sign"), &[
            ("contract_no", "HT-伪造"), ("signed_on", "2026-11-20"), ("amount", "100"),
            ("attachment_id", &file_id.to_string()), ("approver_id", &director),
        ]).await;
        assert!(signing.status().as_u16() >= 400, "{}", signing.status());
        assert_eq!(
            scalar(db, &url, &format!("SELECT COUNT(*) FROM signings WHERE attachment_id = {file_id}")).await,
            0
        );
    }
}
