//! 客户业务预警 (#18) on a known set, as of 2026-06-15 in China: each kind raised exactly by
//! what should raise it and not by what should not (the day before / the day of); who sees
//! which (the owner, managers in scope, an approver for their step; not a colleague, not another
//! city); the days the admin sets, refused beside the field when wrong; the menu's count.

use crate::analysis::{id_of, insert, Spec, BASE};
use crate::filing::{customer, user_id};
use crate::helpers::*;
use app::api::warnings::WarningsView;

async fn warnings(client: &TestApp, kind: &str) -> WarningsView {
    let form = [
        ("kind".to_owned(), kind.to_owned()),
        ("page".to_owned(), String::new()),
    ];
    let response = client.server_fn_form("warnings", &form).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{kind}: {body}");
    serde_json::from_str(&body).expect("warnings")
}

/// Each kind's count, in the page's order.
fn counts(v: &WarningsView) -> Vec<i64> {
    v.counts.iter().map(|(_, n)| *n).collect()
}

fn names(v: &WarningsView) -> Vec<String> {
    v.rows.iter().map(|r| r.name.clone()).collect()
}

/// sjz_am1's records, as of 2026-06-15 (China), with N = 30 / 3 / 90 days.
async fn known(app: &TestApp) {
    let (db, url) = (app.db(), app.database_url.clone());
    for c in ["老客户", "联系客户", "新客户"] {
        customer(app, c).await;
    }
    // 老客户 and 联系客户 were registered in January; 联系客户 has a contact and a completed
    // visit on 2026-03-17 (exactly 90 days ago: not quiet).
    execute(db, &url, "UPDATE customers SET created_at = '2026-01-02T02:00:00Z' WHERE name IN ('老客户', '联系客户')").await;
    let linked = id_of(app, "SELECT id FROM customers WHERE name = '联系客户'").await;
    let am1 = user_id(app, "sjz_am1").await;
    execute(
        db,
        &url,
        &format!(
            "INSERT INTO contacts (customer_id, name, created_at, updated_at)
         VALUES ({linked}, '王经理', '2026-01-02T02:00:00Z', '2026-01-02T02:00:00Z')"
        ),
    )
    .await;
    let set = [
        // Filed in January, no activity: idle. 跟进商机 has a completed visit within 30 days.
        Spec {
            name: "无跟进商机",
            filed: Some("2026-01-05"),
            customer: "老客户",
            ..BASE
        },
        Spec {
            name: "跟进商机",
            filed: Some("2026-01-05"),
            customer: "联系客户",
            ..BASE
        },
        // Filed 14 days ago: not yet idle.
        Spec {
            name: "新商机",
            filed: Some("2026-06-01"),
            customer: "新客户",
            expected: "2026-06-15",
            ..BASE
        },
        // Its 预计签约日期 was yesterday.
        Spec {
            name: "过期商机",
            filed: Some("2026-06-01"),
            customer: "新客户",
            expected: "2026-06-14",
            ..BASE
        },
        // Signed: no warning of its own.
        Spec {
            name: "已签商机",
            status: "signed",
            filed: Some("2026-01-05"),
            expected: "2026-02-01",
            signing: Some(("2026-02-01", 10)),
            customer: "老客户",
            ..BASE
        },
        // Waiting for sjz_vp1: one since 2026-06-01, one since yesterday.
        Spec {
            name: "久审商机",
            status: "pending",
            customer: "新客户",
            ..BASE
        },
        Spec {
            name: "新审商机",
            status: "pending",
            customer: "新客户",
            ..BASE
        },
    ];
    for s in &set {
        insert(app, s).await;
    }
    let vp1 = user_id(app, "sjz_vp1").await;
    for (name, day) in [("久审商机", "2026-06-01"), ("新审商机", "2026-06-14")] {
        let o = id_of(
            app,
            &format!("SELECT id FROM opportunities WHERE name = '{name}'"),
        )
        .await;
        execute(
            db,
            &url,
            &format!(
                "INSERT INTO tasks (opportunity_id, flow, kind, assignee_id, open, created_at)
             VALUES ({o}, 'filing', 'approve', {vp1}, TRUE, '{day}T02:00:00Z')"
            ),
        )
        .await;
    }
    let followed = id_of(app, "SELECT id FROM opportunities WHERE name = '跟进商机'").await;
    for (opportunity, day, done) in [
        (followed.to_string(), "2026-05-20", true),
        ("NULL".to_owned(), "2026-03-17", true),
        // Planned: yesterday's is overdue, today's is not.
        ("NULL".to_owned(), "2026-06-14", false),
        ("NULL".to_owned(), "2026-06-15", false),
    ] {
        execute(db, &url, &format!(
            "INSERT INTO activities (kind, activity_date, customer_id, opportunity_id, notes, done, created_by, created_at)
             VALUES ('visit', '{day}', {linked}, {opportunity}, '拜访', {done}, {am1}, '2026-01-02T02:00:00Z')"
        )).await;
    }
}

on_both_databases! {
    async fn each_warning_is_raised_by_exactly_what_should_raise_it(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known(&app).await;
        // Idle, past expected, slow approval, overdue activity, overdue milestone, no contact,
        // quiet customer.
        let v = warnings(&app, "idle").await;
        assert_eq!(counts(&v), [1, 1, 1, 1, 0, 2, 1]);
        assert_eq!(names(&v), ["无跟进商机"]);
        assert_eq!(v.rows[0].day, "", "never followed up");
        assert!(v.rows[0].href.starts_with("/opportunities/"));
        assert_eq!(names(&warnings(&app, "past_expected").await), ["过期商机"]);
        let slow = warnings(&app, "slow_approval").await;
        assert_eq!(names(&slow), ["久审商机"]);
        assert_eq!((slow.rows[0].day.as_str(), slow.rows[0].assignee.as_deref()), ("2026-06-01", Some("石家庄副总1")));
        let overdue = warnings(&app, "overdue_activity").await;
        assert_eq!((names(&overdue), overdue.rows[0].day.as_str()), (vec!["联系客户".to_owned()], "2026-06-14"));
        let mut missing = names(&warnings(&app, "no_contact").await);
        missing.sort();
        assert_eq!(missing, ["新客户", "老客户"]);
        let quiet = warnings(&app, "quiet_customer").await;
        assert_eq!(names(&quiet), ["老客户"]);
        assert!(quiet.rows[0].href.starts_with("/customers/"));

        // The page, without JavaScript: tabs with counts, the list, links to the records.
        let html = app.get("/warnings?kind=past_expected").await.text().await.unwrap();
        assert!(html.contains("预计签约日期已过") && html.contains("过期商机") && html.contains("2026-06-14"));
        // The menu's count: the owner's own warnings (1 + 1 + 1 + 1 + 2 + 1).
        assert!(html.contains(r#"data-badge="warnings" class="badge warning">7<"#), "the menu's count");
        // Each kind's list as XLSX, in the same scope.
        let response = app.get("/warnings/export?kind=no_contact").await;
        assert_eq!(response.status(), 200);
        let cells = crate::analysis::sheet(response.bytes().await.unwrap().to_vec());
        assert_eq!(cells[0][..2], ["客户名称".to_owned(), "负责人".to_owned()]);
        assert_eq!(cells.len(), 3);
        let am2 = another_client(&app);
        am2.login_as("sjz_am2").await;
        let cells = crate::analysis::sheet(am2.get("/warnings/export?kind=no_contact").await.bytes().await.unwrap().to_vec());
        assert_eq!(cells.len(), 1, "a colleague's customers are not theirs");
        assert_eq!(app.get("/warnings/export?kind=nothing").await.status(), 404);
        // Whether a customer has a contact follows its contacts, however they are written.
        execute(db, &app.database_url, "DELETE FROM contacts WHERE name = '王经理'").await;
        assert_eq!(counts(&warnings(&app, "").await)[5], 3);
    }

    async fn managers_in_scope_and_approvers_see_them_colleagues_and_other_cities_do_not(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known(&app).await;
        let viewer = |login: &'static str| {
            let client = another_client(&app);
            async move {
                client.login_as(login).await;
                client
            }
        };
        let am2 = viewer("sjz_am2").await;
        assert_eq!(counts(&warnings(&am2, "").await), [0, 0, 0, 0, 0, 0, 0]);
        let vp1 = viewer("sjz_vp1").await;
        assert_eq!(counts(&warnings(&vp1, "").await), [1, 1, 1, 1, 0, 2, 1]);
        // The approver's own count is their step.
        let home = vp1.get("/").await.text().await.unwrap();
        assert!(home.contains(r#"data-badge="warnings" class="badge warning">1<"#));
        let bd = viewer("bd_vp1").await;
        assert_eq!(counts(&warnings(&bd, "").await), [0, 0, 0, 0, 0, 0, 0]);
        let support = viewer("support").await;
        assert_eq!(counts(&warnings(&support, "idle").await)[..4], [1, 1, 1, 1]);
        // The 政务 director sees 政务's opportunities; the customers here are 政务 too.
        let gov = viewer("ind_gov").await;
        assert_eq!(counts(&warnings(&gov, "").await)[0], 1);
    }

    async fn the_admin_sets_the_days_and_a_wrong_number_is_said_beside_its_field(db) {
        let (app, _clock) = spawn_app_at(db, "2026-06-15", 4).await;
        app.login_as("sjz_am1").await;
        known(&app).await;
        // Not theirs to change.
        let refused = app.post_form("/warnings", &[("idle", "200"), ("approval", "3"), ("customer", "90")]).await;
        assert_eq!(refused.status(), 403);
        let admin = another_client(&app);
        admin.login_as("admin").await;
        let page = admin.get("/warnings").await.text().await.unwrap();
        assert!(page.contains("预警天数") && page.contains(r#"name="idle""#));
        let wrong = admin.post_form("/warnings", &[("idle", "0"), ("approval", "abc"), ("customer", "100")]).await;
        assert_eq!(wrong.status(), 422);
        let html = wrong.text().await.unwrap();
        assert!(html.contains("请输入 1–3650 的整数天数") && html.contains(r#"value="abc""#) && html.contains(r#"value="100""#));
        // 无跟进商机 was filed 161 days ago: not idle at N = 200; 老客户 registered 164 days
        // ago: not quiet at 365; 新审商机 has waited since yesterday, not over a day.
        let saved = admin.post_form("/warnings", &[("idle", "200"), ("approval", "1"), ("customer", "365")]).await;
        assert_eq!(location(&saved), "/warnings?saved=1");
        let v = warnings(&app, "").await;
        assert_eq!(v.days.idle, 200);
        assert_eq!(counts(&v), [0, 1, 1, 1, 0, 2, 0]);
        assert_eq!(scalar(db, &app.database_url, "SELECT COUNT(*) FROM audit_log WHERE entity = 'warning_days'").await, 1);
    }
}
