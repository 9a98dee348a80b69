//! 订单后续执行跟踪 (#17): a signed order starts with 开通, 验收 and 回款; the signer and managers
//! in scope add and change milestones (refused beside the field, stale edits refused), every
//! change kept in its history; 回款 sums against the 签约金额; overdue ones are marked, listed
//! in the viewer's scope and counted on the home page, by the injectable clock.

use crate::filing::{decide, first_task, user_id};
use crate::helpers::*;
use crate::lifecycle::{filed, version};

/// An opportunity of sjz_am1's, filed, signed on `day` for `amount` 元 and approved.
pub(crate) async fn signed(app: &TestApp, name: &str, day: &str, amount: &str) -> String {
    let (target, _) = filed(app, name).await;
    let v = version(app, &target).await;
    app.post_form(
        &format!("{target}/stage"),
        &[("stage", "sign"), ("version", &v)],
    )
    .await;
    let director = user_id(app, "ind_gov").await.to_string();
    let sign = app
        .post_form(
            &format!("{target}/sign"),
            &[
                ("contract_no", "HT-M-1"),
                ("amount", amount),
                ("signed_on", day),
                ("approver_id", &director),
            ],
        )
        .await;
    assert_eq!(sign.status(), 303, "{:?}", sign.text().await);
    let gov = another_client(app);
    gov.login_as("ind_gov").await;
    let todo = gov.get("/tasks?tab=todo").await.text().await.unwrap();
    assert_eq!(
        decide(&gov, &first_task(&todo), "approve_end", "同意")
            .await
            .status(),
        303
    );
    target
}

/// The id of the milestone of kind `kind` on the order at `target`.
async fn milestone(db: Db, app: &TestApp, target: &str, kind: &str) -> String {
    let o = target.rsplit('/').next().unwrap();
    scalar(
        db,
        &app.database_url,
        &format!(
            "SELECT MIN(id) FROM order_milestones WHERE opportunity_id = {o} AND kind = '{kind}'"
        ),
    )
    .await
    .to_string()
}

/// The home page's count of overdue milestones.
fn overdue_count(home: &str) -> i64 {
    home.split("class=\"overdue-milestones")
        .nth(1)
        .and_then(|s| s.split("<span class=\"count\">").nth(1))
        .and_then(|s| s.split('<').next())
        .and_then(|n| n.parse().ok())
        .expect("the count on the home page")
}

on_both_databases! {
    async fn a_signed_order_follows_its_milestones_with_history_and_payments(db) {
        let (app, _) = spawn_app_at(db, "2031-05-20", 2).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let target = signed(&app, "里程碑商机", "2031-05-20", "1000").await;
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("订单执行跟踪") && page.contains("开通") && page.contains("验收") && page.contains("回款"));
        assert!(page.contains("0.00</span> / <span class=\"signed\">1,000.00"));
        let o = target.rsplit('/').next().unwrap();
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM order_milestones WHERE opportunity_id = {o}")).await, 3);

        // 回款 done with its amount; another 回款 planned; a custom one needs its name.
        let payment = milestone(db, &app, &target, "payment").await;
        let done = app.post_form(&format!("/milestones/{payment}/edit"), &[
            ("kind", "payment"), ("planned_on", "2031-05-10"), ("actual_on", "2031-05-19"),
            ("amount", "400"), ("status", "done"), ("note", "首期款"), ("version", "1"),
        ]).await;
        assert_eq!(location(&done), format!("{target}#order"));
        let refused = app.post_form(&format!("{target}/milestones/new"), &[
            ("kind", "custom"), ("planned_on", "2031-06-01"), ("amount", "5"), ("status", "pending"), ("note", "写好的备注"),
        ]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("此项为必填项") && html.contains("只有回款里程碑填写金额") && html.contains("写好的备注"));
        assert_eq!(app.post_form(&format!("{target}/milestones/new"), &[
            ("kind", "payment"), ("planned_on", "2031-06-30"), ("amount", "350.5"), ("status", "pending"),
        ]).await.status(), 303);
        assert_eq!(app.post_form(&format!("{target}/milestones/new"), &[
            ("kind", "custom"), ("name", "培训"), ("planned_on", "2031-06-15"), ("status", "in_progress"),
        ]).await.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("培训") && page.contains("400.00</span> / <span class=\"signed\">1,000.00") && page.contains("(40%)"),
            "only the 回款 received counts");

        // A stale edit is refused; the history says who changed what.
        let stale = app.post_form(&format!("/milestones/{payment}/edit"), &[
            ("kind", "payment"), ("amount", "1"), ("status", "pending"), ("version", "1"),
        ]).await;
        assert_eq!(stale.status(), 422);
        assert!(stale.text().await.unwrap().contains("数据已被他人修改"));
        assert!(page.contains("变更记录") && page.contains("状态：未开始 → 已完成") && page.contains("金额：— → 400.00"));
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM milestone_history WHERE opportunity_id = {o}")).await, 3);

        // Managers in scope change them; another account manager and another city may not.
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let activation = milestone(db, &app, &target, "activation").await;
        assert_eq!(deputy.post_form(&format!("/milestones/{activation}/edit"), &[
            ("kind", "activation"), ("planned_on", "2031-05-25"), ("status", "in_progress"), ("version", "1"),
        ]).await.status(), 303);
        let am2 = another_client(&app);
        am2.login_as("sjz_am2").await;
        assert_eq!(am2.get(&format!("/milestones/{activation}/edit")).await.status(), 403);
        assert_eq!(am2.post_form(&format!("{target}/milestones/new"), &[("kind", "payment"), ("status", "pending")]).await.status(), 403);
        let bd = another_client(&app);
        bd.login_as("bd_gm").await;
        assert_eq!(bd.post_form(&format!("/milestones/{activation}/edit"), &[
            ("kind", "activation"), ("status", "cancelled"), ("version", "2"),
        ]).await.status(), 403);
        assert_eq!(bd.post_form(&format!("/milestones/{activation}/delete"), &[]).await.status(), 403);
        // An actual day in the future is refused.
        let future = app.post_form(&format!("/milestones/{activation}/edit"), &[
            ("kind", "activation"), ("actual_on", "2031-05-21"), ("status", "done"), ("version", "2"),
        ]).await;
        assert!(future.text().await.unwrap().contains("实际日期不能晚于今天"));
    }

    async fn overdue_milestones_are_marked_listed_in_scope_and_counted_at_home(db) {
        // 23:50 on the 21st in China: the day turns in ten minutes.
        let (app, clock) = spawn_app_at(db, "2031-05-21", 15).await;
        app.login_as("sjz_am1").await;
        let target = signed(&app, "逾期商机", "2031-05-21", "800").await;
        let payment = milestone(db, &app, &target, "payment").await;
        assert_eq!(app.post_form(&format!("/milestones/{payment}/edit"), &[
            ("kind", "payment"), ("planned_on", "2031-05-19"), ("amount", "800"), ("status", "pending"), ("version", "1"),
        ]).await.status(), 303);
        let acceptance = milestone(db, &app, &target, "acceptance").await;
        assert_eq!(app.post_form(&format!("/milestones/{acceptance}/edit"), &[
            ("kind", "acceptance"), ("planned_on", "2031-05-21"), ("status", "pending"), ("version", "1"),
        ]).await.status(), 303);

        let list = app.get("/milestones").await.text().await.unwrap();
        assert!(list.contains("逾期商机") && list.contains("2031-05-19") && !list.contains("<td>2031-05-21</td>"));
        let home = app.get("/").await.text().await.unwrap();
        assert_eq!(overdue_count(&home), 1);
        assert!(app.get(&target).await.text().await.unwrap().contains("<span class=\"overdue\">已逾期</span>"));
        // 全部未完成 lists the one not yet due too.
        assert!(app.get("/milestones?tab=open").await.text().await.unwrap().contains("<td>2031-05-21</td>"));

        // Out of scope: another city sees nothing of it.
        let bd = another_client(&app);
        bd.login_as("bd_gm").await;
        assert!(!bd.get("/milestones").await.text().await.unwrap().contains("逾期商机"));
        assert_eq!(overdue_count(&bd.get("/").await.text().await.unwrap()), 0);

        // Past midnight in China, the acceptance planned for the 21st is overdue too.
        clock.advance(chrono::Duration::minutes(20));
        let home = app.get("/").await.text().await.unwrap();
        assert_eq!(overdue_count(&home), 2);
        // Done, a milestone is no longer overdue.
        assert_eq!(app.post_form(&format!("/milestones/{payment}/edit"), &[
            ("kind", "payment"), ("planned_on", "2031-05-19"), ("actual_on", "2031-05-22"), ("amount", "800"),
            ("status", "done"), ("version", "2"),
        ]).await.status(), 303);
        assert_eq!(overdue_count(&app.get("/").await.text().await.unwrap()), 1);

        // Handed over (转交), the order's milestones count at its new owner's home only.
        let (sjz_am1, sjz_am2) = (user_id(&app, "sjz_am1").await, user_id(&app, "sjz_am2").await);
        let admin = another_client(&app);
        admin.login_as("admin").await;
        let id = target.rsplit('/').next().unwrap();
        let moved = crate::transfer::transfer(&admin, "opportunities", sjz_am1, sjz_am2, &[id]).await;
        assert_eq!(moved.status(), 303);
        assert_eq!(overdue_count(&app.get("/").await.text().await.unwrap()), 0);
        let heir = another_client(&app);
        heir.login_as("sjz_am2").await;
        assert_eq!(overdue_count(&heir.get("/").await.text().await.unwrap()), 1);
        assert!(heir.get("/milestones").await.text().await.unwrap().contains("逾期商机"));
    }
}
