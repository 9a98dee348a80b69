//! Batch actions on the lists (#16): ticked rows or 「全选」 of the query; 分配, 共享, 转交易客户,
//! 删除 and 导出; each row checked against the caller's scope and rights (refused rows named with
//! why, the rest done), in transactions of up to 1,000 rows, the job's progress kept.

use crate::filing::{customer, file, user_id};
use crate::helpers::*;

/// Posts a batch form to `path` (the list's batch address with its conditions); the job page.
async fn batch(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
    let response = app.post_form(path, fields).await;
    assert_eq!(response.status(), 303, "{:?}", response.text().await);
    let job = location(&response);
    assert!(job.starts_with("/jobs/"), "{job}");
    job
}

on_both_databases! {
    async fn a_batch_does_the_rows_within_reach_and_says_why_not_for_the_others(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        let (sjz_am1, sjz_am2, vp1) = (user_id(&app, "sjz_am1").await, user_id(&app, "sjz_am2").await, user_id(&app, "sjz_vp1").await);
        let owner = another_client(&app);
        owner.login_as("sjz_am1").await;
        let a = customer(&owner, "批量客户甲").await;
        let b = customer(&owner, "批量客户乙").await;
        let c = customer(&owner, "批量客户丙").await;
        file(&owner, "批量客户丙的商机", &c, vp1).await;
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let d = customer(&outsider, "批量保定客户").await;

        // The city's deputy hands four rows to sjz_am2: the 保定 one is not theirs to see.
        app.login_as("sjz_vp1").await;
        let job = batch(&app, "/customers/batch?kind=potential", &[
            ("action", "assign"), ("to", "sjz_am2"),
            ("id", &a), ("id", &b), ("id", &c), ("id", &d),
        ]).await;
        let page = job_finished(&app, &job).await;
        assert!(page.contains("批量分配客户") && page.contains("已完成"), "{page}");
        assert_eq!(job_counter(&page, "job-succeeded"), "3");
        assert_eq!(job_counter(&page, "job-failed"), "1");
        assert!(page.contains(&format!("#{d}")) && page.contains("记录不存在或无权查看"));
        assert!(!page.contains("批量保定客户"), "a row out of scope says nothing of itself");
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM customers WHERE owner_id = {sjz_am2} AND id IN ({a}, {b}, {c})")).await, 3);
        assert_eq!(scalar(db, &url, &format!("SELECT owner_id FROM customers WHERE id = {d}")).await,
            user_id(&app, "bd_am1").await);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM messages WHERE user_id = {sjz_am2} AND kind = 'transferred'")).await, 3);
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM audit_log WHERE action = 'transfer' AND entity = 'customer'").await, 3);

        // Someone else's job is not found, nor its report.
        assert_eq!(owner.get(&job).await.status(), 404);
        assert_eq!(owner.get(&format!("{job}/report")).await.status(), 404);
        let report = app.get(&format!("{job}/report")).await;
        assert_eq!(report.status(), 200);
        let report = report.text().await.unwrap();
        assert!(report.starts_with('\u{feff}') && report.contains(&format!("#{d},,记录不存在或无权查看")), "{report}");

        // The former owner reaches none of them now; the new one deletes: the one with an
        // opportunity is kept, 「只能合并」.
        let former = batch(&owner, "/customers/batch", &[("action", "delete"), ("id", &a)]).await;
        let page = job_finished(&owner, &former).await;
        assert_eq!(job_counter(&page, "job-failed"), "1");
        let am2 = another_client(&app);
        am2.login_as("sjz_am2").await;
        let deleting = batch(&am2, "/customers/batch", &[("action", "delete"), ("id", &a), ("id", &c)]).await;
        let page = job_finished(&am2, &deleting).await;
        assert_eq!(job_counter(&page, "job-succeeded"), "1");
        assert!(page.contains("批量客户丙"), "{page}");
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM customers WHERE id IN ({a}, {c})")).await, 1);

        // 「全选」 of a query: every row it finds, not only those shown.
        let converting = batch(&am2, "/customers/batch?kind=potential&name=%E6%89%B9%E9%87%8F%E5%AE%A2%E6%88%B7%E4%B9%99",
            &[("action", "convert"), ("all", "1")]).await;
        let page = job_finished(&am2, &converting).await;
        assert_eq!(job_counter(&page, "job-processed"), "1/1");
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM customers WHERE id = {b} AND kind = 'transaction'")).await, 1);

        let sharing = batch(&am2, "/customers/batch?kind=transaction", &[
            ("action", "share"), ("to", "sjz_am1"), ("access", "edit"), ("id", &b)]).await;
        job_finished(&am2, &sharing).await;
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM customer_shares WHERE customer_id = {b} AND user_id = {sjz_am1} AND can_edit = TRUE")).await, 1);
        assert_eq!(owner.get(&format!("/customers/{b}/edit")).await.status(), 200, "an editable share");
    }

    async fn a_refused_batch_form_comes_back_with_its_rows_ticked_and_why(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let a = customer(&app, "退回批量客户").await;
        let no_action = app.post_form("/customers/batch?kind=potential", &[("id", &a)]).await;
        assert_eq!(no_action.status(), 422);
        let page = no_action.text().await.unwrap();
        assert!(page.contains("请选择要执行的操作"));
        let row_box = page.split(&format!("name=\"id\" value=\"{a}\"")).nth(1).unwrap().split('>').next().unwrap();
        assert!(row_box.contains("checked"), "the box stays ticked: {row_box}");

        let no_rows = app.post_form("/customers/batch", &[("action", "convert")]).await;
        assert_eq!(no_rows.status(), 422);
        assert!(no_rows.text().await.unwrap().contains("请勾选记录"));

        // 分配 names someone within the caller's reach: an account manager has only themself.
        let elsewhere = app.post_form("/customers/batch", &[("action", "assign"), ("to", "bd_am1"), ("id", &a)]).await;
        assert_eq!(elsewhere.status(), 422);
        let page = elsewhere.text().await.unwrap();
        assert!(page.contains("id=\"batch-to-error\"") || page.contains("field-error"), "{page}");
        let forged = app.post_form("/customers/batch", &[
            ("action", "assign"), ("to_id", &user_id(&app, "bd_am1").await.to_string()), ("id", &a)]).await;
        assert_eq!(forged.status(), 422, "a forged person id is refused too");
        // Deleting is not among an opportunity list's actions.
        let deleting = app.post_form("/opportunities/batch", &[("action", "delete"), ("id", "1")]).await;
        assert_eq!(deleting.status(), 422);
    }

    async fn a_batch_export_holds_the_ticked_rows_only(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let a = customer(&app, "导出勾选甲").await;
        customer(&app, "导出勾选乙").await;
        let response = app.post_form("/customers/batch?kind=potential&name=%E5%AF%BC%E5%87%BA",
            &[("action", "export_csv"), ("id", &a)]).await;
        assert_eq!(response.status(), 303);
        let export = location(&response);
        assert!(export.starts_with("/customers/export?format=csv&kind=potential&name="), "{export}");
        let text = app.get(&export).await.text().await.unwrap();
        let lines: Vec<&str> = text.split("\r\n").skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 1, "{text}");
        assert!(lines[0].starts_with("导出勾选甲,"));
    }

    async fn a_large_selection_goes_in_chunks_of_a_thousand_with_its_progress_kept(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        let vp1 = user_id(&app, "sjz_vp1").await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "分批商机客户").await;
        for n in 0..3 {
            file(&app, &format!("分批商机{n}"), &c, vp1).await;
        }
        // 1,001 potential customers straight into the store, so a 「全选」 needs two chunks.
        let everything = server::policy::scope::Scope { viewer_id: 0, reach: server::policy::scope::Reach::All };
        let template = app.store.customer(&everything, c.parse().unwrap()).await.unwrap().unwrap();
        let actor = server::db::Actor::system(chrono::Utc::now());
        for n in 0..1001 {
            let new = server::db::customers::NewCustomer {
                name: app::model::customer::CustomerName::parse(&format!("分批客户{n:04}")).unwrap(),
                industry_id: template.industry_id,
                level_id: template.level_id,
                kind: app::model::customer::CustomerKind::Potential,
                owner_id: template.owner_id,
                dept_id: template.dept_id,
                registered_on: template.registered_on.parse().unwrap(),
                website: None,
                phone: None,
                fax: None,
                address: None,
                notes: None,
            };
            app.store.create_customer(&actor, &new, actor.at).await.unwrap();
        }
        let job = batch(&app, "/customers/batch?kind=potential&name=%E5%88%86%E6%89%B9%E5%AE%A2%E6%88%B7",
            &[("action", "convert"), ("all", "1")]).await;
        let page = job_finished(&app, &job).await;
        assert_eq!(job_counter(&page, "job-processed"), "1001/1001");
        assert_eq!(job_counter(&page, "job-succeeded"), "1001");
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM customers WHERE name LIKE '分批客户%' AND kind = 'transaction'").await, 1001);

        // Opportunities: 分配 and 共享 (an opportunity is never deleted).
        let opportunities = batch(&app, "/opportunities/batch?tab=mine&name=%E5%88%86%E6%89%B9%E5%95%86%E6%9C%BA",
            &[("action", "share"), ("to", "sjz_am2"), ("all", "1")]).await;
        let page = job_finished(&app, &opportunities).await;
        assert_eq!(job_counter(&page, "job-succeeded"), "3");
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM opportunity_shares WHERE user_id = {}", user_id(&app, "sjz_am2").await)).await, 3);
    }
}
