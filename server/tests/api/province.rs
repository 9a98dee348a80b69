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

        // Every signed order has its three milestones; some due ones are still open (overdue).
        assert_eq!(
            count(&app, db, "SELECT COUNT(*) FROM order_milestones").await,
            3 * count(&app, db, "SELECT COUNT(*) FROM opportunities WHERE status = 'signed'").await
        );
        assert!(count(&app, db, "SELECT COUNT(*) FROM order_milestones WHERE status = 'in_progress'").await > 0);

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

    async fn an_approvers_lists_on_generated_data_are_their_newest_rows_in_order(db) {
        use server::db::opportunities::{OpportunityQuery, TaskFilter, TaskQuery};
        use server::policy::scope::{Reach, Scope};
        let app = spawn_app(db).await;
        generate(&app.database_url, Size::TINY, 7, now()).await.expect("generated");
        let store = &app.store;
        let deputy = store.user_by_login("sjz_vp1").await.unwrap().unwrap();
        let page = |filter, after_id| TaskQuery { filter, after_id, limit: 21, ..Default::default() };
        let ids = |tasks: Vec<server::db::opportunities::TaskItem>| tasks.iter().map(|t| t.id).collect::<Vec<_>>();
        // 全部 is 待办 and 已办 together, newest first, page after page without a gap.
        let todo = ids(store.tasks(deputy.id, &page(TaskFilter::Todo, None)).await.unwrap());
        let done = ids(store.tasks(deputy.id, &page(TaskFilter::Done, None)).await.unwrap());
        let mut both: Vec<i64> = todo.iter().chain(&done).copied().collect();
        both.sort_unstable_by(|a, b| b.cmp(a));
        both.truncate(21);
        let all = ids(store.tasks(deputy.id, &page(TaskFilter::All, None)).await.unwrap());
        assert_eq!(all, both);
        let decided = count(&app, db, &format!(
            "SELECT COUNT(*) FROM tasks WHERE assignee_id = {} AND (open OR outcome IN ('approve_end', 'approve_forward', 'return'))",
            deputy.id
        )).await;
        let mut walked = Vec::new();
        let mut after = None;
        loop {
            let rows = ids(store.tasks(deputy.id, &page(TaskFilter::All, after)).await.unwrap());
            if rows.is_empty() { break; }
            after = rows.last().copied();
            walked.extend(rows);
        }
        assert!(walked.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");
        assert_eq!(walked.len() as i64, decided);
        let (badge, _) = store.badge_counts(deputy.id).await.unwrap();
        assert_eq!(badge, count(&app, db, &format!(
            "SELECT COUNT(*) FROM tasks WHERE assignee_id = {} AND open", deputy.id
        )).await);

        // 商机管理's first page for a 行业总监 (their industries, and what they approved):
        // the same rows as the scope's plain condition, newest first.
        let director = store.user_by_login("ind_gov").await.unwrap().unwrap();
        let scope = Scope { viewer_id: director.id, reach: Reach::Industries(director.industry_ids.clone()) };
        let listed = store.opportunities(&scope, &OpportunityQuery { limit: 21, ..Default::default() }).await.unwrap();
        let industries = director.industry_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let me = director.id;
        let expected = count(&app, db, &format!(
            "SELECT CAST(SUM(id) AS BIGINT) FROM (SELECT o.id FROM opportunities o
              WHERE (o.status <> 'draft' OR o.owner_id = {me})
                AND (o.owner_id = {me} OR o.industry_id IN ({industries})
                     OR EXISTS (SELECT 1 FROM tasks t WHERE t.opportunity_id = o.id AND t.assignee_id = {me})
                     OR EXISTS (SELECT 1 FROM opportunity_shares s WHERE s.opportunity_id = o.id AND s.user_id = {me}))
              ORDER BY o.id DESC LIMIT 21) newest"
        )).await;
        assert_eq!(listed.len(), 21);
        assert_eq!(listed.iter().map(|o| o.id).sum::<i64>(), expected);
        assert!(listed.windows(2).all(|w| w[0].id > w[1].id));
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
