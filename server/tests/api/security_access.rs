//! The review's access findings, sent again (SECURITY.md): a customer's name read outside the
//! caller's scope, an editable share deleting a customer, a decision lost to another tab
//! reported as done, a stage moved on a version other than the one checked.

use crate::customer_pages::form;
use crate::filing::{customer, decide, first_task, user_id};
use crate::helpers::*;
use crate::lifecycle::{filed, version};

on_both_databases! {
    async fn a_customer_name_is_never_read_outside_the_callers_scope(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "石家庄机密客户").await;
        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        assert_eq!(outsider.get(&format!("/customers/{c}")).await.status(), 403);
        // The form's options with the id as chosen.
        let options = outsider.server_fn_form("opportunity_form", &[
            ("customer_query".into(), String::new()), ("chosen".into(), c.clone()),
        ]).await;
        assert_eq!(options.status(), 200);
        assert!(!options.text().await.unwrap().contains("石家庄机密客户"));
        // The 报备商机 form's customer search step with the id posted.
        let step = outsider.post_form("/opportunities/new", &[
            ("name", "x"), ("customer_id", &c), ("customer_q", "石家庄"), ("action", "find"),
        ]).await;
        assert!(!step.text().await.unwrap().contains("石家庄机密客户"));
        // Filing with it is refused beside the field.
        let filing = outsider.post_form("/opportunities/new", &[
            ("name", "x"), ("customer_id", &c), ("action", "save"),
        ]).await;
        assert_eq!(filing.status(), 422);
        let html = filing.text().await.unwrap();
        assert!(!html.contains("石家庄机密客户"));
        // Their own edit page of an opportunity, with the id posted.
        let own = customer(&outsider, "保定自有客户").await;
        let saved = outsider.post_form("/opportunities/new", &[
            ("name", "保定草稿"), ("customer_id", &own),
            ("business_type_id", &crate::filing::business_type(&app).await), ("action", "save"),
        ]).await;
        let draft = location(&saved);
        let edit = outsider.server_fn_form("opportunity_edit", &[
            ("id".into(), draft.rsplit('/').next().unwrap().split('?').next().unwrap().into()),
            ("customer_query".into(), String::new()), ("chosen".into(), format!("{own},{c}")),
        ]).await;
        assert_eq!(edit.status(), 200);
        let body = edit.text().await.unwrap();
        assert!(body.contains("保定自有客户") && !body.contains("石家庄机密客户"), "{body}");
    }

    async fn an_editable_share_edits_but_does_not_delete_a_customer(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let created = form(&app, &[("name", "可编辑共享客户")]).await;
        let target = location(&created);
        let am2 = user_id(&app, "sjz_am2").await.to_string();
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "edit")]).await;
        let guest = another_client(&app);
        guest.login_as("sjz_am2").await;
        assert_eq!(guest.get(&format!("{target}/edit")).await.status(), 200);
        let page = guest.get(&target).await.text().await.unwrap();
        assert!(!page.contains(&format!("{target}/delete")), "no 删除 offered");
        assert_eq!(guest.post_form(&format!("{target}/delete"), &[]).await.status(), 403);
        assert!(!guest.get(&format!("{target}/delete")).await.text().await.unwrap().contains("确定"));
        assert_eq!(app.get(&target).await.status(), 200, "still there");
        // Its owner may.
        assert_eq!(app.post_form(&format!("{target}/delete"), &[]).await.status(), 303);
        assert_eq!(app.get(&target).await.status(), 403);
    }

    async fn a_decision_posted_after_another_is_refused_and_says_it_was_not_recorded(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "两个标签页客户").await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        crate::filing::file(&app, "两个标签页商机", &c, vp1).await;
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let todo = deputy.get("/tasks?tab=todo").await.text().await.unwrap();
        let task = first_task(&todo);
        // Both tabs hold the form; one approves, then the other returns.
        let first = decide(&deputy, &task, "approve_end", "同意").await;
        assert_eq!(first.status(), 303);
        let second = deputy.post_form(&task, &[
            ("name", "两个标签页商机"), ("customer_id", &c),
            ("business_type_id", &crate::filing::business_type(&app).await),
            ("decision", "return"), ("opinion", "退回"),
        ]).await;
        assert_eq!(second.status(), 422);
        let html = second.text().await.unwrap();
        assert!(html.contains("该任务已被处理，您的审批结果未被记录"));
        assert!(!html.contains(">该任务已处理<"), "not the winner's note");
        let page = deputy.get(&task).await.text().await.unwrap();
        assert!(page.contains("该任务已处理") && !page.contains("未被记录"));
    }

    async fn a_stage_move_on_a_version_other_than_the_one_checked_is_refused(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "版本检查商机").await;
        let v: i64 = version(&app, &target).await.parse().unwrap();
        // A version from the future (or the past) is not the one whose rights were checked.
        for posted in [v + 1, v - 1] {
            let moved = app.post_form(&format!("{target}/stage"), &[
                ("stage", "proposal"), ("version", &posted.to_string()),
            ]).await;
            assert_eq!(moved.status(), 422, "version {posted}");
        }
        assert!(app.get(&target).await.text().await.unwrap().contains("识别商机"));
        let moved = app.post_form(&format!("{target}/stage"), &[
            ("stage", "proposal"), ("version", &v.to_string()),
        ]).await;
        assert_eq!(moved.status(), 303);
    }

    async fn the_menu_counts_show_on_pages_and_on_a_refused_form_shown_again(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "角标客户").await;
        crate::filing::file(&app, "角标商机", &c, user_id(&app, "sjz_vp1").await).await;
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        // The number a badge shows, if any.
        let badge = |html: &str, which: &str| {
            html.split(&format!("data-badge=\"{which}\"")).nth(1)
                .and_then(|s| s.split('>').nth(1))
                .and_then(|s| s.split('<').next())
                .map(str::to_owned)
        };
        let todo = |html: &str| badge(html, "todo");
        let page = deputy.get("/customers").await.text().await.unwrap();
        assert_eq!(todo(&page).as_deref(), Some("1"), "a page");
        let refused = deputy.post_form("/customers/new", &[("name", "")]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert_eq!(todo(&html).as_deref(), Some("1"), "a refused form shown again");
        // Decided: the deputy has nothing waiting, the filer one unread message.
        let task = crate::filing::first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        let decided = crate::filing::decide(&deputy, &task, "approve_end", "").await;
        assert_eq!(decided.status(), 303);
        assert_eq!(todo(&deputy.get("/customers").await.text().await.unwrap()), None);
        let own = app.get("/customers").await.text().await.unwrap();
        assert_eq!(badge(&own, "unread").as_deref(), Some("1"), "the filer is told");
    }
}
