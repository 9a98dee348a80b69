//! 编辑 and 删除 of 销售活动 (#17): by its creator and managers in scope while 计划中; an edit on
//! an old version is refused with 「数据已被他人修改」 and keeps what was typed; a read-only share,
//! another city's manager and anyone who cannot see the customer are refused.

use crate::filing::customer;
use crate::helpers::*;

/// Logs a planned visit on customer `c`; its id.
async fn planned(app: &TestApp, db: Db, c: &str, notes: &str) -> i64 {
    let response = app
        .post_form(
            &format!("/customers/{c}/activities/new"),
            &[
                ("kind", "visit"),
                ("date", "2099-12-03"),
                ("customer_id", c),
                ("notes", notes),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{:?}", response.text().await);
    scalar(
        db,
        &app.database_url,
        &format!("SELECT MAX(id) FROM activities WHERE notes = '{notes}'"),
    )
    .await
}

/// An edit of activity `id` read at `version`, with new notes.
async fn edit(app: &TestApp, id: i64, c: &str, version: &str, notes: &str) -> reqwest::Response {
    app.post_form(
        &format!("/activities/{id}/edit"),
        &[
            ("kind", "call"),
            ("date", "2099-12-04"),
            ("customer_id", c),
            ("notes", notes),
            ("status", "planned"),
            ("version", version),
        ],
    )
    .await
}

on_both_databases! {
    async fn the_creator_edits_on_the_version_read_and_a_stale_edit_is_refused(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let c = customer(&app, "活动编辑客户").await;
        let id = planned(&app, db, &c, "初次拜访").await;
        let page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(page.contains(&format!("/activities/{id}/edit")), "编辑 offered to its creator");
        let form = app.get(&format!("/activities/{id}/edit")).await.text().await.unwrap();
        assert!(form.contains("初次拜访") && form.contains("name=\"version\" value=\"1\""));

        assert_eq!(location(&edit(&app, id, &c, "1", "改为电话沟通").await), format!("/customers/{c}#activities"));
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM activities WHERE id = {id} AND kind = 'call' AND notes = '改为电话沟通'
             AND activity_date = '2099-12-04' AND version = 2")).await, 1);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND entity = 'activity' AND entity_id = '{id}'")).await, 1);

        let stale = edit(&app, id, &c, "1", "我的旧版本修改").await;
        assert_eq!(stale.status(), 422);
        let page = stale.text().await.unwrap();
        assert!(page.contains("数据已被他人修改") && page.contains("我的旧版本修改"), "what was typed is kept");
        assert_eq!(scalar(db, &url, &format!("SELECT version FROM activities WHERE id = {id}")).await, 2);

        // Planned for a day that has passed: marked 已逾期 until it is done.
        assert!(!app.get(&format!("/customers/{c}")).await.text().await.unwrap().contains("class=\"overdue\""), "not yet");
        assert_eq!(edit(&app, id, &c, "2", "昨天就该打的电话").await.status(), 303);
        execute(db, &url, &format!("UPDATE activities SET activity_date = '2020-01-02' WHERE id = {id}")).await;
        assert!(app.get(&format!("/customers/{c}")).await.text().await.unwrap().contains("class=\"overdue\""));

        // Completed, it is no longer changed (nor overdue).
        assert_eq!(app.post_form(&format!("/activities/{id}/complete"), &[]).await.status(), 303);
        assert_eq!(app.get(&format!("/activities/{id}/edit")).await.status(), 403);
        assert_eq!(edit(&app, id, &c, "3", "完成后修改").await.status(), 403);
        assert!(!app.get(&format!("/customers/{c}")).await.text().await.unwrap().contains("class=\"overdue\""));
        assert_eq!(app.post_form(&format!("/activities/{id}/delete"), &[]).await.status(), 403);
    }

    async fn managers_in_scope_may_change_it_a_read_only_share_and_another_city_may_not(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let c = customer(&app, "活动权限客户").await;
        let id = planned(&app, db, &c, "权限拜访").await;
        let am2 = user_id_of(&app, "sjz_am2").await;
        let share = app.post_form(&format!("/customers/{c}/share"), &[("user_id", &am2.to_string()), ("user", "")]).await;
        assert_eq!(share.status(), 303);

        let guest = another_client(&app);
        guest.login_as("sjz_am2").await;
        assert_eq!(guest.get(&format!("/customers/{c}")).await.status(), 200, "the share reads it");
        assert_eq!(guest.get(&format!("/activities/{id}/edit")).await.status(), 403);
        assert_eq!(edit(&guest, id, &c, "1", "只读用户修改").await.status(), 403);
        assert_eq!(guest.post_form(&format!("/activities/{id}/delete"), &[]).await.status(), 403);

        let elsewhere = another_client(&app);
        elsewhere.login_as("bd_vp1").await;
        assert_eq!(elsewhere.get(&format!("/activities/{id}/edit")).await.status(), 403);
        assert_eq!(elsewhere.post_form(&format!("/activities/{id}/delete"), &[]).await.status(), 403);

        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        assert_eq!(deputy.get(&format!("/activities/{id}/edit")).await.status(), 200);
        assert_eq!(edit(&deputy, id, &c, "1", "副总调整").await.status(), 303);
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM activities WHERE id = {id} AND notes = '副总调整'")).await, 1);
        assert_eq!(location(&deputy.post_form(&format!("/activities/{id}/delete"), &[]).await), format!("/customers/{c}#activities"));
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM activities WHERE id = {id}")).await, 0);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'delete' AND entity = 'activity' AND entity_id = '{id}'")).await, 1);
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM activity_contacts").await, 0);
    }
}

async fn user_id_of(app: &TestApp, login: &str) -> i64 {
    app.store.user_by_login(login).await.unwrap().unwrap().id
}
