//! 审计日志 (#15): every write's entry with who, when, what and from which address; queried by
//! user, record, action and days; a change shown field by field; keyset pages; XLSX export;
//! only the 系统管理员.

use crate::filing::{customer, user_id};
use crate::helpers::*;

on_both_databases! {
    async fn the_trail_is_queried_shown_field_by_field_and_exported(db) {
        let app = spawn_app(db).await;
        let am = another_client(&app);
        am.login_as("sjz_am1").await;
        let c = customer(&am, "审计客户甲").await;
        let me = user_id(&app, "sjz_am1").await;
        let version = app.store.user(me).await.unwrap().unwrap().version.to_string();
        let saved = am.post_form("/profile", &[
            ("name", "石家庄客户经理1"), ("phone", "13800000001"), ("email", ""), ("version", &version),
        ]).await;
        assert_eq!(saved.status(), 303);
        assert_eq!(am.get("/admin/audit").await.status(), 403);
        assert_eq!(am.get("/admin/audit/export").await.status(), 403);

        app.login_as("admin").await;
        let created = app.get(&format!("/admin/audit?user=sjz_am1&entity=customer&entity_id={c}")).await.text().await.unwrap();
        assert!(created.contains("审计客户甲") && created.contains("新建"), "the customer's creation");
        assert!(created.contains("<td>127.0.0.1</td>"), "from which address");
        assert!(!created.contains("update_profile"), "only that record");
        let profile = app.get("/admin/audit?user=石家庄客户经理1&action=update_profile").await.text().await.unwrap();
        let row = profile.split("<ul class=\"changes\">").nth(1).unwrap_or_default();
        assert!(row.contains("phone") && row.contains("13800000001"), "field by field: {row}");
        assert!(!profile.contains("<span class=\"field-name\">name</span>"), "unchanged fields are not shown");
        let refused = app.get("/admin/audit?action=refused").await.text().await.unwrap();
        assert!(refused.contains("石家庄客户经理1（sjz_am1）") && refused.contains("越权拒绝"));

        let nobody = app.get("/admin/audit?user=no_such_user").await.text().await.unwrap();
        assert!(nobody.contains("没有找到这个人"));
        let bad_day = app.get("/admin/audit?from=2026-13-01").await.text().await.unwrap();
        assert!(bad_day.contains("field-error"));
        let future = app.get("/admin/audit?user=sjz_am1&from=2199-01-01").await.text().await.unwrap();
        assert!(!future.contains("审计客户甲"));
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y-%m-%d").to_string();
        let in_range = app.get(&format!("/admin/audit?user=sjz_am1&from={today}&to={today}")).await.text().await.unwrap();
        assert!(in_range.contains("审计客户甲"));

        // Keyset pages: more than a page of entries.
        for n in 0..30 {
            customer(&am, &format!("审计分页客户{n:02}")).await;
        }
        let first = app.get("/admin/audit").await.text().await.unwrap();
        let ids = |html: &str| -> Vec<i64> {
            html.split("<tr data-id=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect()
        };
        let first_ids = ids(&first);
        assert_eq!(first_ids.len(), 50);
        assert!(first_ids.windows(2).all(|w| w[0] > w[1]), "newest first");
        let next = first.split("href=\"/admin/audit?before=").nth(1).unwrap().split('"').next().unwrap();
        let second = app.get(&format!("/admin/audit?before={next}")).await.text().await.unwrap();
        let second_ids = ids(&second);
        assert!(!second_ids.is_empty() && second_ids[0] < *first_ids.last().unwrap());

        let export = app.get("/admin/audit/export?user=sjz_am1").await;
        assert_eq!(export.status(), 200);
        assert!(export.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
        let bytes = export.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX (zip) workbook");
    }
}
