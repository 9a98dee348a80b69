//! 商机排名 over HTTP: what counts (approved filings once each, whatever their customers;
//! approved signed amounts to the fen; not drafts, pending or voided ones), month boundaries in
//! China time, the four dimensions, the scope a viewer may narrow to, the SVG chart and the
//! XLSX export.

use crate::filing::{business_type, customer, decide, file, first_task, user_id};
use crate::helpers::*;
use app::api::rankings::RankingView;
use chrono::Datelike;

/// 「更多排名」 as `client` sees it, through its server function.
async fn ranking(client: &TestApp, choices: &[(&str, &str)]) -> RankingView {
    let form: Vec<(String, String)> = choices
        .iter()
        .map(|(k, v)| (format!("address[{k}]"), v.to_string()))
        .collect();
    let response = client.server_fn_form("rankings", &form).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a ranking")
}

/// (label, shown value) of each row.
fn rows(v: &RankingView) -> Vec<(String, String)> {
    v.rows
        .iter()
        .map(|r| (r.label.clone(), r.shown.clone()))
        .collect()
}

/// `approver` approves the newest task in their 待办.
async fn approve(app: &TestApp, approver: &str) {
    let client = another_client(app);
    client.login_as(approver).await;
    let todo = client.get("/tasks?tab=todo").await.text().await.unwrap();
    assert_eq!(
        decide(&client, &first_task(&todo), "approve_end", "")
            .await
            .status(),
        303
    );
}

/// The first instant of this month in China, and the month before as `YYYY-MM`.
fn this_month() -> (chrono::DateTime<chrono::Utc>, String, String) {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let today = chrono::Utc::now().with_timezone(&cst).date_naive();
    let first = today.with_day(1).unwrap();
    let start = server::db::rankings::china_midnight(first);
    let before = first.pred_opt().unwrap();
    (
        start,
        first.format("%Y-%m").to_string(),
        before.format("%Y-%m").to_string(),
    )
}

on_both_databases! {
    async fn rankings_count_what_was_approved_in_its_month_by_dimension_and_scope(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        let (start, month, last_month) = this_month();

        // The home page seen before anything counted (its rankings are kept between changes).
        let before = app.get("/").await.text().await.unwrap();
        assert!(before.contains("报备数量排名") && !before.contains("880,000.05"));

        // Counted: A, and B with two customers (once).
        let a = file(&app, "排名商机A", &customer(&app, "排名客户A").await, vp1).await;
        approve(&app, "sjz_vp1").await;
        let (b1, b2) = (customer(&app, "排名客户B1").await, customer(&app, "排名客户B2").await);
        let kind = business_type(&app).await;
        let filed = app.post_form("/opportunities/new", &[
            ("name", "排名商机B"), ("customer_id", &b1), ("customer_id", &b2), ("business_type_id", &kind),
            ("approver_id", &vp1.to_string()), ("action", "submit"),
        ]).await;
        assert_eq!(filed.status(), 303);
        let b = location(&filed).trim_end_matches("?filed=1").to_owned();
        approve(&app, "sjz_vp1").await;
        // Not counted: pending, returned then voided, a draft.
        file(&app, "排名商机C", &customer(&app, "排名客户C").await, vp1).await;
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        file(&app, "排名商机D", &customer(&app, "排名客户D").await, vp1).await;
        let todo = deputy.get("/tasks?tab=todo").await.text().await.unwrap();
        assert_eq!(decide(&deputy, &first_task(&todo), "return", "不清楚").await.status(), 303);
        let returned = first_task(&app.get("/tasks?tab=todo").await.text().await.unwrap());
        assert_eq!(app.post_form(&format!("{returned}/void"), &[]).await.status(), 303);
        app.post_form("/opportunities/new", &[
            ("name", "排名商机E"), ("customer_id", &customer(&app, "排名客户E").await),
            ("business_type_id", &kind), ("action", "save"),
        ]).await;
        // Another city's account manager, one approved.
        let bd = another_client(&app);
        bd.login_as("bd_am1").await;
        let bd_vp1 = user_id(&app, "bd_vp1").await;
        let bd_target = file(&bd, "保定商机F", &customer(&bd, "保定客户F").await, bd_vp1).await;
        approve(&app, "bd_vp1").await;

        let admin = another_client(&app);
        admin.login_as("admin").await;
        let by_person = ranking(&admin, &[("metric", "filed")]).await;
        assert_eq!(by_person.month, month);
        assert_eq!(rows(&by_person), vec![("石家庄客户经理1".into(), "2".into()), ("保定客户经理1".into(), "1".into())]);
        assert_eq!(by_person.rows[0].city.as_deref(), Some("石家庄"));
        let by_city = ranking(&admin, &[("metric", "filed"), ("dimension", "city")]).await;
        assert_eq!(rows(&by_city), vec![("石家庄".into(), "2".into()), ("保定".into(), "1".into())]);
        let by_type = ranking(&admin, &[("metric", "filed"), ("dimension", "business_type")]).await;
        assert_eq!(by_type.rows.len(), 1);
        assert_eq!(by_type.rows[0].value, 3);
        let by_industry = ranking(&admin, &[("metric", "filed"), ("dimension", "industry")]).await;
        assert_eq!(by_industry.rows.iter().map(|r| r.value).sum::<i64>(), 3);

        // A first submission a minute before this month began counts in the month before.
        let a_id: i64 = a.rsplit('/').next().unwrap().parse().unwrap();
        set_submitted_at(db, &app.database_url, a_id, start - chrono::Duration::minutes(1)).await;
        let now = ranking(&admin, &[("metric", "filed")]).await;
        assert_eq!(rows(&now)[0], ("石家庄客户经理1".into(), "1".into()));
        let before = ranking(&admin, &[("metric", "filed"), ("month", &last_month)]).await;
        assert_eq!(rows(&before), vec![("石家庄客户经理1".into(), "1".into())]);
        set_submitted_at(db, &app.database_url, a_id, start).await;
        assert_eq!(rows(&ranking(&admin, &[("metric", "filed")]).await)[0].1, "2");

        // 签约金额: approved amounts by 签约日期 month, to the fen; pending ones do not count.
        let director = user_id(&app, "ind_gov").await.to_string();
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).format("%Y-%m-%d").to_string();
        let last_day = (start + chrono::Duration::hours(8) - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
        for (target, amount, on) in [(&a, "880,000.05", today.as_str()), (&b, "0.10", last_day.as_str())] {
            let signed = app.post_form(&format!("{target}/sign"), &[
                ("contract_no", "HT-R"), ("amount", amount), ("signed_on", on), ("approver_id", &director),
            ]).await;
            assert_eq!(signed.status(), 303, "{amount}");
            approve(&app, "ind_gov").await;
        }
        let bd_director = user_id(&app, "ind_gov").await.to_string();
        let pending = bd.post_form(&format!("{bd_target}/sign"), &[
            ("contract_no", "HT-P"), ("amount", "5"), ("signed_on", &today), ("approver_id", &bd_director),
        ]).await;
        assert_eq!(pending.status(), 303);
        let signed = ranking(&admin, &[("metric", "signed")]).await;
        assert_eq!(rows(&signed), vec![("石家庄客户经理1".into(), "880,000.05".into())]);
        let signed_before = ranking(&admin, &[("metric", "signed"), ("month", &last_month)]).await;
        assert_eq!(rows(&signed_before), vec![("石家庄客户经理1".into(), "0.10".into())]);

        // Scope: the admin may narrow to 保定; a 石家庄 account manager only to 石家庄.
        let bd_city = by_city.cities.iter().find(|(_, n)| n == "保定").unwrap().0.to_string();
        let narrowed = ranking(&admin, &[("metric", "filed"), ("city", &bd_city)]).await;
        assert_eq!(rows(&narrowed), vec![("保定客户经理1".into(), "1".into())]);
        let am1_view = ranking(&app, &[("metric", "filed"), ("city", &bd_city)]).await;
        assert_eq!(am1_view.city, "", "a city outside their reach falls back to the province");
        assert_eq!(am1_view.cities.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(), vec!["石家庄"]);

        // The page draws its chart on the server; the table exports as XLSX.
        let page = admin.get("/rankings?metric=signed&dimension=city").await.text().await.unwrap();
        assert!(page.contains("<svg") && page.contains("880,000.05"));
        let export = admin.get("/rankings/export?metric=signed&dimension=person").await;
        assert_eq!(export.status(), 200);
        assert!(export.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
        assert!(export.bytes().await.unwrap().starts_with(b"PK"), "a zip container");

        // The home page shows this month's top lists.
        let home = app.get("/").await.text().await.unwrap();
        assert!(home.contains("报备数量排名") && home.contains("880,000.05"));
    }
}
