//! The province generator (`server::province`) at its tiny size, on both databases: what it
//! writes is served and decided like data the application wrote itself, the same seed gives
//! the same province, and it refuses a database that already has opportunities.

use crate::filing::decide;
use crate::helpers::{another_client, on_both_databases, scalar, spawn_app, text, Db, TestApp};
use chrono::{DateTime, TimeZone, Utc};
use server::province::{generate, Size};

/// A fixed "now", so two runs are comparable row for row.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()
}

/// What the database holds, summed so that one changed row changes it.
async fn fingerprint(db: Db, url: &str) -> Vec<i64> {
    let mut print = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM users",
        "SELECT COUNT(*) FROM customers",
        "SELECT CAST(SUM(LENGTH(name) * (id % 97)) AS BIGINT) FROM customers",
        "SELECT COUNT(*) FROM contacts",
        "SELECT CAST(SUM(expected_amount_fen % 1000003 + LENGTH(name) + LENGTH(status)) AS BIGINT) FROM opportunities",
        "SELECT CAST(SUM(assignee_id * (id % 89)) AS BIGINT) FROM tasks",
        "SELECT COUNT(*) FROM approval_records",
        "SELECT COUNT(*) FROM messages",
        "SELECT COUNT(*) FROM activities",
    ] {
        print.push(scalar(db, url, sql).await);
    }
    print
}

async fn count(app: &TestApp, db: Db, sql: &str) -> i64 {
    scalar(db, &app.database_url, sql).await
}

on_both_databases! {
    async fn a_generated_province_is_served_and_decided_as_the_application_writes_data(db) {
        let app = spawn_app(db).await;
        let report = generate(&app.database_url, Size::TINY, 7, Utc::now())
            .await
            .expect("the province is generated");
        assert!(report.rows() > 30_000, "{report}");
        assert_eq!(count(&app, db, "SELECT COUNT(*) FROM opportunities").await, 3_000);
        assert_eq!(count(&app, db, "SELECT COUNT(*) FROM users").await, Size::TINY.users);
        assert_eq!(count(&app, db, "SELECT COUNT(*) FROM org_units WHERE kind = 'city'").await, 11);
        for status in ["draft", "active", "signed", "terminated", "voided"] {
            let n = count(&app, db, &format!(
                "SELECT COUNT(*) FROM opportunities WHERE status = '{status}'"
            )).await;
            assert!(n > 0, "no opportunity is {status}");
        }
        // Every closed approval step has its 审批记录; a signed one its 签约.
        assert_eq!(
            count(&app, db, "SELECT COUNT(*) FROM tasks WHERE NOT open AND outcome = 'approve_end'").await,
            count(&app, db, "SELECT COUNT(*) FROM approval_records WHERE kind = 'approve_end'").await
        );
        assert_eq!(
            count(&app, db, "SELECT COUNT(*) FROM opportunities o JOIN signings s ON s.opportunity_id = o.id WHERE o.status = 'signed'").await,
            count(&app, db, "SELECT COUNT(*) FROM opportunities WHERE status = 'signed'").await
        );

        let again = generate(&app.database_url, Size::TINY, 7, Utc::now()).await;
        let refused = again.expect_err("a second province is refused").to_string();
        assert!(refused.contains("already has 3000 opportunities"), "{refused}");

        // 石家庄's deputy has decided filings; the page lists them.
        app.login_as("sjz_vp1").await;
        let decided = count(&app, db, "SELECT COUNT(*) FROM tasks t JOIN users u ON u.id = t.assignee_id
             WHERE u.login = 'sjz_vp1' AND t.outcome IN ('approve_end', 'approve_forward', 'return')").await;
        assert!(decided > 100, "{decided}");
        let done = app.get("/tasks?tab=done").await;
        assert_eq!(done.status(), 200);
        assert!(done.text().await.unwrap().contains("href=\"/tasks/"));

        // A generated account manager signs in with the demo password and finds their own.
        let manager = another_client(&app);
        manager.login_as("sjz_am0001").await;
        let mine = manager.get("/opportunities?tab=mine").await.text().await.unwrap();
        assert!(mine.contains("石家庄"), "the manager's opportunities are listed");

        // An open step the generator left waiting is decided through the application.
        let task = count(&app, db, "SELECT COALESCE(MIN(id), 0) FROM tasks
             WHERE open AND kind = 'approve' AND flow = 'filing'").await;
        assert!(task > 0, "seed 7 leaves a filing waiting");
        let opportunity = count(&app, db, &format!("SELECT opportunity_id FROM tasks WHERE id = {task}")).await;
        let approver = another_client(&app);
        let login: String = text(db, &app.database_url, &format!(
            "SELECT u.login FROM tasks t JOIN users u ON u.id = t.assignee_id WHERE t.id = {task}"
        )).await;
        approver.login_as(&login).await;
        let response = decide(&approver, &format!("/tasks/{task}"), "approve_end", "同意").await;
        assert_eq!(response.status(), 303, "the generated step is decided");
        let status: String = text(db, &app.database_url, &format!(
            "SELECT status FROM opportunities WHERE id = {opportunity}"
        )).await;
        assert_eq!(status, "active");
    }

    async fn the_same_seed_gives_the_same_province_and_another_seed_another(db) {
        let mut prints = Vec::new();
        for seed in [7, 7, 8] {
            let app = spawn_app(db).await;
            generate(&app.database_url, Size::TINY, seed, now()).await.expect("generated");
            prints.push(fingerprint(db, &app.database_url).await);
        }
        assert_eq!(prints[0], prints[1]);
        assert_ne!(prints[0], prints[2]);
    }
}
