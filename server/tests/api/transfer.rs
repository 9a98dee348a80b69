//! 转交 (#15): the admin moves a leaver's customers, opportunities (with a returned step) and
//! open approval tasks, each kind in one transaction, shares kept consistent, each item audited
//! and its new holder told; a 地市 manager within their city only; nobody else at all.

use crate::filing::{customer, decide, file, first_task, user_id};
use crate::helpers::*;
use server::db::NewUser;

/// A second 保定 account manager (`bd_am2`), in bd_am1's org unit.
pub(crate) async fn second_baoding_manager(app: &TestApp) -> i64 {
    let bd_am1 = app
        .store
        .user(user_id(app, "bd_am1").await)
        .await
        .unwrap()
        .unwrap();
    let hash = server::auth::password::hash(server::seed::DEMO_PASSWORD.into())
        .await
        .unwrap();
    let actor = server::db::Actor::system(chrono::Utc::now());
    let user = NewUser {
        login: "bd_am2".into(),
        name: "保定客户经理2".into(),
        org_unit_id: bd_am1.org_unit_id,
        password_hash: hash,
        phone: None,
        email: None,
        must_change_password: false,
        roles: vec![app::model::Role::AccountManager],
        industry_ids: vec![],
    };
    app.store.create_user(&actor, &user).await.unwrap().id
}

pub(crate) async fn transfer(
    app: &TestApp,
    kind: &str,
    from: i64,
    to: i64,
    ids: &[&str],
) -> reqwest::Response {
    let (from, to) = (from.to_string(), to.to_string());
    let mut fields = vec![("kind", kind), ("from", from.as_str()), ("to", to.as_str())];
    if ids.is_empty() {
        fields.push(("all", "1"));
    }
    for id in ids {
        fields.push(("id", id));
    }
    app.post_form("/transfer", &fields).await
}

on_both_databases! {
    async fn a_leavers_customers_opportunities_and_tasks_move_and_then_they_are_disabled(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        let bd_am2 = second_baoding_manager(&app).await;
        let (bd_am1, bd_vp1, bd_gm) = (user_id(&app, "bd_am1").await, user_id(&app, "bd_vp1").await, user_id(&app, "bd_gm").await);
        let leaver = another_client(&app);
        leaver.login_as("bd_am1").await;
        let a = customer(&leaver, "保定转交客户甲").await;
        let b = customer(&leaver, "保定转交客户乙").await;
        let pending = file(&leaver, "保定转交商机审批中", &a, bd_vp1).await;
        let returned = file(&leaver, "保定转交商机已退回", &b, bd_vp1).await;
        let deputy = another_client(&app);
        deputy.login_as("bd_vp1").await;
        let todo = deputy.get("/tasks?tab=todo").await.text().await.unwrap();
        let second = todo.split("保定转交商机已退回").next().unwrap();
        let task = first_task(&second[second.rfind("href=\"/tasks/").unwrap()..]);
        assert_eq!(decide(&deputy, &task, "return", "请补充").await.status(), 303);
        // Shared before: with the new holder (who will own it) and with the deputy.
        for user in [bd_am2, bd_vp1] {
            execute(db, &url, &format!(
                "INSERT INTO customer_shares (customer_id, user_id, can_edit, shared_by, created_at)
                 VALUES ({a}, {user}, FALSE, {bd_am1}, '2026-12-01T00:00:00Z')")).await;
        }

        app.login_as("admin").await;
        let page = app.get(&format!("/transfer?from={bd_am1}")).await.text().await.unwrap();
        assert!(page.contains("保定转交客户甲") && page.contains("保定转交商机已退回"), "listed");
        let to_select = page.split("id=\"to-customers\"").nth(1).unwrap().split("</select>").next().unwrap();
        assert!(to_select.contains("保定客户经理2（bd_am2）"));
        assert!(!to_select.contains("石家庄客户经理2"), "only their city may hold them");
        assert!(app.post_form(&format!("/admin/users/{bd_am1}/disable"), &[]).await.text().await.unwrap()
            .contains("请先转交后再停用"));

        let sjz_am2 = user_id(&app, "sjz_am2").await;
        let elsewhere = transfer(&app, "customers", bd_am1, sjz_am2, &[]).await;
        assert_eq!(elsewhere.status(), 422);
        assert!(elsewhere.text().await.unwrap().contains("其中有不属于接手人员所在地市的记录"));
        let nothing = transfer(&app, "customers", bd_am1, bd_am2, &[]).await;
        assert_eq!(location(&nothing), format!("/transfer?from={bd_am1}&moved=2"));
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM customers WHERE owner_id = {bd_am2} AND id IN ({a}, {b})")).await, 2);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM customer_shares WHERE customer_id = {a} AND user_id = {bd_am2}")).await, 0,
            "the owner holds no share of their own");
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM customer_shares WHERE customer_id = {a} AND user_id = {bd_vp1}")).await, 1);

        let moved = transfer(&app, "opportunities", bd_am1, bd_am2, &[]).await;
        assert_eq!(location(&moved), format!("/transfer?from={bd_am1}&moved=2"));
        let returned_id = returned.rsplit('/').next().unwrap();
        assert_eq!(scalar(db, &url, &format!(
            "SELECT assignee_id FROM tasks WHERE opportunity_id = {returned_id} AND open = TRUE")).await, bd_am2,
            "the returned step waits for the new 负责人");

        // The deputy's open task: the engine says who may decide it.
        let ineligible = transfer(&app, "tasks", bd_vp1, sjz_am2, &[]).await;
        assert_eq!(ineligible.status(), 422);
        assert!(ineligible.text().await.unwrap().contains("接手人员不能审批其中的任务"));
        let handed = transfer(&app, "tasks", bd_vp1, bd_gm, &[]).await;
        assert_eq!(location(&handed), format!("/transfer?from={bd_vp1}&moved=1"));
        let gm = another_client(&app);
        gm.login_as("bd_gm").await;
        assert!(gm.get("/tasks?tab=todo").await.text().await.unwrap().contains("保定转交商机审批中"));
        assert!(!deputy.get("/tasks?tab=todo").await.text().await.unwrap().contains("保定转交商机审批中"));

        let new_holder = another_client(&app);
        new_holder.login_as("bd_am2").await;
        let mine = new_holder.get("/customers").await.text().await.unwrap();
        assert!(mine.contains("保定转交客户甲") && mine.contains("保定转交客户乙"));
        let pending_id = pending.rsplit('/').next().unwrap();
        assert_eq!(new_holder.get(&pending).await.status(), 200, "{pending_id} is theirs to see");
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM messages WHERE user_id = {bd_am2} AND kind = 'transferred'")).await, 4);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM messages WHERE user_id = {bd_gm} AND kind = 'transferred'")).await, 1);
        assert_eq!(scalar(db, &url, "SELECT COUNT(*) FROM audit_log WHERE action = 'transfer'").await, 5);
        assert_eq!(leaver.get(&pending).await.status(), 403, "the leaver no longer holds it");

        assert_eq!(app.post_form(&format!("/admin/users/{bd_am1}/disable"), &[]).await.status(), 303);
        assert!(location(&leaver.get("/").await).starts_with("/login"));
    }

    async fn a_city_manager_hands_over_within_their_city_and_nobody_else_may(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        let (sjz_am1, sjz_am2, bd_am1) = (user_id(&app, "sjz_am1").await, user_id(&app, "sjz_am2").await, user_id(&app, "bd_am1").await);
        app.login_as("sjz_am1").await;
        let c = customer(&app, "石家庄转交客户").await;
        assert_eq!(app.get("/transfer").await.status(), 403);
        assert_eq!(transfer(&app, "customers", sjz_am1, sjz_am2, &[&c]).await.status(), 403);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'refused' AND actor_id = {sjz_am1}")).await, 2);

        let manager = another_client(&app);
        manager.login_as("sjz_vp1").await;
        let page = manager.get("/transfer").await.text().await.unwrap();
        assert!(page.contains("石家庄客户经理1（sjz_am1）") && !page.contains("保定客户经理1"));
        let other_city = transfer(&manager, "customers", bd_am1, sjz_am2, &[]).await;
        assert_eq!(other_city.status(), 422);
        assert!(other_city.text().await.unwrap().contains("请选择原负责人"));
        let none = transfer(&manager, "customers", sjz_am1, sjz_am2, &["0"]).await;
        assert_eq!(location(&none), format!("/transfer?from={sjz_am1}&moved=0"));
        let moved = transfer(&manager, "customers", sjz_am1, sjz_am2, &[&c]).await;
        assert_eq!(location(&moved), format!("/transfer?from={sjz_am1}&moved=1"));
        assert_eq!(scalar(db, &url, &format!("SELECT owner_id FROM customers WHERE id = {c}")).await, sjz_am2);
        assert_eq!(app.get(&format!("/customers/{c}")).await.status(), 403, "no longer sjz_am1's");
    }
}
