//! The rest of an opportunity's life over HTTP: 阶段处理, 签约 (its customers become 交易客户),
//! 终止, returned and withdrawn steps.

use crate::filing::{customer, decide, file, first_task, user_id};
use crate::helpers::*;
use server::db::DictKind;

/// The opportunity's version, as its page's 阶段处理 form carries it.
pub(crate) async fn version(app: &TestApp, target: &str) -> String {
    let page = app.get(target).await.text().await.unwrap();
    page.split("name=\"version\" value=\"")
        .nth(1)
        .expect("the stage form")
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// sjz_am1 (on `app`) files an opportunity that sjz_vp1 approves; its address and customer.
pub(crate) async fn filed(app: &TestApp, name: &str) -> (String, String) {
    let vp1 = user_id(app, "sjz_vp1").await;
    let c = customer(app, &format!("{name}的客户")).await;
    let target = file(app, name, &c, vp1).await;
    let deputy = another_client(app);
    deputy.login_as("sjz_vp1").await;
    let todo = deputy.get("/tasks?tab=todo").await.text().await.unwrap();
    assert_eq!(
        decide(&deputy, &first_task(&todo), "approve_end", "")
            .await
            .status(),
        303
    );
    (target, c)
}

async fn dict(app: &TestApp, kind: DictKind, label: &str) -> String {
    app.store
        .dictionary(kind)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.label == label)
        .unwrap()
        .id
        .to_string()
}

on_both_databases! {
    async fn stages_move_and_an_approved_signing_makes_the_customer_a_transaction_customer(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, c) = filed(&app, "签约商机S").await;
        let v = version(&app, &target).await;
        let moved = app.post_form(&format!("{target}/stage"), &[("stage", "negotiation"), ("version", &v)]).await;
        assert_eq!(moved.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("商务谈判") && page.contains("识别商机 → 商务谈判"));
        // A stale move is refused; someone else cannot move it.
        let stale = app.post_form(&format!("{target}/stage"), &[("stage", "proposal"), ("version", &v)]).await;
        assert_eq!(stale.status(), 422);
        let other = another_client(&app);
        other.login_as("sjz_am2").await;
        let v = version(&app, &target).await;
        assert_eq!(other.post_form(&format!("{target}/stage"), &[("stage", "proposal"), ("version", &v)]).await.status(), 403);

        // Choosing 签约 leads to its form, whose approvers are the industry's director and the province.
        let to_sign = app.post_form(&format!("{target}/stage"), &[("stage", "sign"), ("version", &v)]).await;
        assert_eq!(location(&to_sign), format!("{target}/sign"));
        let form = app.get(&format!("{target}/sign")).await.text().await.unwrap();
        assert!(form.contains("政务行业总监") && form.contains("集客部总经理") && !form.contains("石家庄副总1"));
        let director = user_id(&app, "ind_gov").await.to_string();
        let future = app.post_form(&format!("{target}/sign"), &[
            ("contract_no", "HT-2026-088"), ("amount", "880000"), ("signed_on", "2099-01-01"), ("approver_id", &director),
        ]).await;
        assert_eq!(future.status(), 422);
        let html = future.text().await.unwrap();
        assert!(html.contains("签约日期不能晚于今天") && html.contains("HT-2026-088"));
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let signed = app.post_form(&format!("{target}/sign"), &[
            ("contract_no", "HT-2026-088"), ("amount", "880,000.10"), ("signed_on", &today), ("approver_id", &director),
        ]).await;
        assert_eq!(signed.status(), 303);
        assert!(app.get(&target).await.text().await.unwrap().contains("签约待审批"));

        let gov = another_client(&app);
        gov.login_as("ind_gov").await;
        let todo = gov.get("/tasks?tab=todo").await.text().await.unwrap();
        let task = first_task(&todo);
        let task_page = gov.get(&task).await.text().await.unwrap();
        assert!(task_page.contains("HT-2026-088") && task_page.contains("880,000.10"));
        assert_eq!(decide(&gov, &task, "approve_end", "同意签约").await.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("已签约"));
        let customer_page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(customer_page.contains("交易客户"), "the customer became a 交易客户");
        assert!(customer_page.contains("880,000.10"), "交易概览 shows the signed amount");
        // The filer heard of it.
        assert!(app.get("/tasks?tab=messages").await.text().await.unwrap().contains("签约商机S"));
    }

    async fn a_dictionary_change_is_seen_by_the_next_page(db) {
        // Pages take the dictionaries from the kept directory: a change must reach it at once.
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let form = app.get("/opportunities/new").await.text().await.unwrap();
        assert!(form.contains("物联网") && !form.contains("物联网专网"));
        let iot = dict(&app, DictKind::BusinessType, "物联网").await;
        let db_kind = if app.database_url.starts_with("postgres") { Db::Postgres } else { Db::Sqlite };
        execute(db_kind, &app.database_url, &format!("UPDATE dict_items SET label = '物联网专网' WHERE id = {iot}")).await;
        let form = app.get("/opportunities/new").await.text().await.unwrap();
        assert!(form.contains("物联网专网"), "the renamed item is offered");
        execute(db_kind, &app.database_url, &format!("UPDATE dict_items SET active = FALSE WHERE id = {iot}")).await;
        let form = app.get("/opportunities/new").await.text().await.unwrap();
        assert!(!form.contains("物联网专网"), "an item taken out is no longer offered");
    }

    async fn the_reason_that_needs_a_competitor_keeps_its_rule_when_renamed(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "改名终止商机").await;
        let lost = dict(&app, DictKind::TerminationReason, "输给竞争对手").await;
        let sql = format!("UPDATE dict_items SET label = '竞争失利' WHERE id = {lost}");
        let db_kind = if app.database_url.starts_with("postgres") { Db::Postgres } else { Db::Sqlite };
        execute(db_kind, &app.database_url, &sql).await;
        let vp1 = user_id(&app, "sjz_vp1").await.to_string();
        let missing = app.post_form(&format!("{target}/terminate"), &[
            ("reason_id", &lost), ("reason_text", "对方报价更低"), ("approver_id", &vp1),
        ]).await;
        assert_eq!(missing.status(), 422);
        assert!(missing.text().await.unwrap().contains("请选择竞争对手"));
    }

    async fn a_termination_is_returned_withdrawn_then_resubmitted_and_approved(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "终止商机T").await;
        let lost = dict(&app, DictKind::TerminationReason, "输给竞争对手").await;
        let rival = dict(&app, DictKind::Competitor, "中国移动").await;
        let vp1 = user_id(&app, "sjz_vp1").await.to_string();
        let gm = user_id(&app, "sjz_gm").await.to_string();
        let missing = app.post_form(&format!("{target}/terminate"), &[
            ("reason_id", &lost), ("reason_text", "对方报价更低"), ("approver_id", &vp1),
        ]).await;
        assert_eq!(missing.status(), 422);
        assert!(missing.text().await.unwrap().contains("请选择竞争对手"));
        let bd_vp1 = user_id(&app, "bd_vp1").await.to_string();
        let forged = app.post_form(&format!("{target}/terminate"), &[
            ("reason_id", &lost), ("competitor_id", &rival), ("reason_text", "对方报价更低"), ("approver_id", &bd_vp1),
        ]).await;
        assert_eq!(forged.status(), 422, "an approver of another city");
        let sent = app.post_form(&format!("{target}/terminate"), &[
            ("reason_id", &lost), ("competitor_id", &rival), ("reason_text", "对方报价更低"), ("approver_id", &vp1),
        ]).await;
        assert_eq!(sent.status(), 303);
        assert!(app.get(&target).await.text().await.unwrap().contains("终止待审批"));

        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let task = first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        assert_eq!(decide(&deputy, &task, "return", "请说明报价差距").await.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("已报备"), "a returned termination leaves it active");

        // 撤回: stays active, nothing waits; then 终止 again, resubmitted through its task.
        let returned = first_task(&app.get("/tasks?tab=todo").await.text().await.unwrap());
        let returned_page = app.get(&returned).await.text().await.unwrap();
        assert!(returned_page.contains("对方报价更低"), "the 终止原因 is kept for the resubmission");
        let withdrawn = app.post_form(&format!("{returned}/withdraw"), &[]).await;
        assert_eq!(location(&withdrawn), target);
        assert!(app.get(&target).await.text().await.unwrap().contains("阶段处理"));
        let again = app.post_form(&format!("{target}/terminate"), &[
            ("reason_id", &lost), ("competitor_id", &rival), ("reason_text", "第二次提交"), ("approver_id", &vp1),
        ]).await;
        assert_eq!(again.status(), 303);
        let task = first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        assert_eq!(decide(&deputy, &task, "return", "再补充").await.status(), 303);
        let returned = first_task(&app.get("/tasks?tab=todo").await.text().await.unwrap());
        let resubmitted = app.post_form(&format!("{returned}/resubmit"), &[
            ("reason_id", &lost), ("competitor_id", &rival), ("reason_text", "补充：差价百分之二十"), ("approver_id", &gm),
        ]).await;
        assert_eq!(resubmitted.status(), 303);
        let boss = another_client(&app);
        boss.login_as("sjz_gm").await;
        let task = first_task(&boss.get("/tasks?tab=todo").await.text().await.unwrap());
        assert_eq!(decide(&boss, &task, "approve_end", "").await.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("已终止") && page.contains("补充：差价百分之二十") && page.contains("中国移动"));
    }

    async fn sharing_opens_one_opportunity_read_only_or_as_collaboration_until_withdrawn(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, c) = filed(&app, "共享商机X").await;
        let am2 = user_id(&app, "sjz_am2").await.to_string();
        let guest = another_client(&app);
        guest.login_as("sjz_am2").await;
        assert_eq!(guest.get(&target).await.status(), 403, "not shared yet");

        let shared = app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "read")]).await;
        assert_eq!(shared.status(), 303);
        assert!(app.get(&target).await.text().await.unwrap().contains("石家庄客户经理2"));
        // Read-only: under 共享给我的, a 待阅消息, the page opens; no edit, no stage, refused if forced.
        assert!(guest.get("/opportunities?tab=shared").await.text().await.unwrap().contains("共享商机X"));
        let messages = guest.get("/tasks?tab=messages").await.text().await.unwrap();
        assert!(messages.contains("共享商机X") && messages.contains("共享给您"));
        let page = guest.get(&target).await.text().await.unwrap();
        assert!(!page.contains(&format!("{target}/edit")) && !page.contains("阶段处理"));
        assert_eq!(guest.get(&format!("{target}/edit")).await.status(), 403);
        let v = version(&app, &target).await;
        assert_eq!(guest.post_form(&format!("{target}/stage"), &[("stage", "proposal"), ("version", &v)]).await.status(), 403);
        // Nor may they share it on.
        let am1 = user_id(&app, "sjz_am1").await.to_string();
        assert_eq!(guest.post_form(&format!("{target}/share"), &[("user_id", &am1), ("access", "read")]).await.status(), 403);

        // 协作: may edit the fields while active, never start 签约 or 终止.
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "collaborate")]).await;
        let edit = guest.get(&format!("{target}/edit")).await;
        assert_eq!(edit.status(), 200);
        let business_type = app.store.dictionary(DictKind::BusinessType).await.unwrap()[0].id.to_string();
        // What the approval decided (商机名称, 预计金额 …) is read-only to them; a forced change
        // is refused beside the field and nothing is written.
        let html = edit.text().await.unwrap();
        assert!(html.contains("灰色字段已经审批确定") && html.contains("readonly"));
        let forced = guest.post_form(&format!("{target}/edit"), &[
            ("name", "共享商机X（协作修改）"), ("customer_id", &c), ("business_type_id", &business_type),
            ("expected_amount", "1"), ("version", &v), ("action", "save"),
        ]).await;
        assert_eq!(forced.status(), 422);
        assert_eq!(forced.text().await.unwrap().matches("该字段已经审批确定，协作人员不能修改").count(), 2);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(!page.contains("共享商机X（协作修改）") && page.contains("100,000.50"));
        // The other fields they may change.
        let saved = guest.post_form(&format!("{target}/edit"), &[
            ("name", "共享商机X"), ("customer_id", &c), ("business_type_id", &business_type),
            ("expected_amount", "100,000.50"), ("win_probability", "60"), ("description", "协作补充"),
            ("version", &v), ("action", "save"),
        ]).await;
        assert_eq!(saved.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("协作补充"));
        // 商机维护's history shows who changed what.
        assert!(page.contains("修改历史") && page.contains("描述： → 协作补充"), "{page}");
        let vp1 = user_id(&app, "sjz_vp1").await.to_string();
        let lost = dict(&app, DictKind::TerminationReason, "其他").await;
        let refused = guest.post_form(&format!("{target}/terminate"), &[
            ("reason_id", &lost), ("reason_text", "协作者不能终止"), ("approver_id", &vp1),
        ]).await;
        assert_eq!(refused.status(), 403);

        // 撤回: access ends at once.
        let withdrawn = app.post_form(&format!("{target}/unshare"), &[("user_id", &am2)]).await;
        assert_eq!(withdrawn.status(), 303);
        assert_eq!(guest.get(&target).await.status(), 403);
        assert!(!guest.get("/opportunities?tab=shared").await.text().await.unwrap().contains("共享商机X"));
    }
}
