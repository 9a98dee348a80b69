//! 报备 end to end over HTTP, as the manual tells it (石家庄客户经理1 → 石家庄副总1 → 石家庄领导),
//! its refusals, drafts and scope (the races and random runs: `filing_races`).

use crate::customer_pages::form;
use crate::helpers::*;
use server::db::DictKind;

pub(crate) async fn user_id(app: &TestApp, login: &str) -> i64 {
    app.store.user_by_login(login).await.unwrap().unwrap().id
}

pub(crate) async fn business_type(app: &TestApp) -> String {
    app.store.dictionary(DictKind::BusinessType).await.unwrap()[0]
        .id
        .to_string()
}

/// A customer of sjz_am1's (logged in on `app`), by its new id.
pub(crate) async fn customer(app: &TestApp, name: &str) -> String {
    let response = form(app, &[("name", name)]).await;
    assert_eq!(response.status(), 303, "customer {name}");
    location(&response).rsplit('/').next().unwrap().to_owned()
}

/// Files an opportunity (提交审批 to `approver`); returns the opportunity's address.
pub(crate) async fn file(app: &TestApp, name: &str, customer: &str, approver: i64) -> String {
    let business_type = business_type(app).await;
    let response = app
        .post_form(
            "/opportunities/new",
            &[
                ("name", name),
                ("customer_id", customer),
                ("business_type_id", &business_type),
                ("expected_amount", "100,000.50"),
                ("approver_id", &approver.to_string()),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "filing {name}");
    let target = location(&response);
    assert!(target.ends_with("?filed=1"), "{target}");
    target.trim_end_matches("?filed=1").to_owned()
}

/// The first `/tasks/{id}` link of a page.
pub(crate) fn first_task(html: &str) -> String {
    let start = html.find("href=\"/tasks/").expect("a task link") + 6;
    html[start..].split('"').next().unwrap().to_owned()
}

/// Posts a decision on a task, keeping the opportunity's fields as the task page shows them.
pub(crate) async fn decide(
    app: &TestApp,
    task: &str,
    decision: &str,
    opinion: &str,
) -> reqwest::Response {
    decide_with(app, task, decision, opinion, &[]).await
}

/// An attribute's value as the browser reads it (and posts it back).
fn unescaped(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The same with `extra` fields posted too (forged ones, in the access tests).
pub(crate) async fn decide_with(
    app: &TestApp,
    task: &str,
    decision: &str,
    opinion: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let page = app.get(task).await.text().await.unwrap();
    let value_of = |id: &str| {
        page.split(&format!("id=\"{id}\""))
            .nth(1)
            .and_then(|s| s.split("value=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .map(unescaped)
            .unwrap_or_default()
    };
    let customer = page
        .split("name=\"customer_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let business_type = business_type(app).await;
    let (name, amount) = (value_of("name"), value_of("expected_amount"));
    // The 描述 box's text, as the browser posts it back.
    let description = page
        .split("name=\"description\"")
        .nth(1)
        .and_then(|s| s.split_once('>'))
        .and_then(|(_, s)| s.split("</textarea>").next())
        .map(unescaped)
        .unwrap_or_default();
    let mut form = vec![
        ("name", name.as_str()),
        ("customer_id", &customer),
        ("business_type_id", &business_type),
        ("expected_amount", &amount),
        ("description", &description),
        ("decision", decision),
        ("opinion", opinion),
    ];
    form.extend_from_slice(extra);
    app.post_form(task, &form).await
}

on_both_databases! {
    async fn the_filing_story_as_the_manual_tells_it(db) {
        let app = spawn_app(db).await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        app.login_as("sjz_am1").await;
        let page = app.get("/opportunities/new").await.text().await.unwrap();
        assert!(page.contains("石家庄副总1") && page.contains("石家庄领导"));
        assert!(!page.contains("保定副总1") && !page.contains("集客部副总经理"), "only this city's approvers");
        assert!(page.contains("地市级"));
        let c = customer(&app, "测试客户A").await;
        let target = file(&app, "测试商机A", &c, vp1).await;
        let html = app.get(&format!("{target}?filed=1")).await.text().await.unwrap();
        assert!(html.contains("商机报备成功") && html.contains("待审批") && html.contains("100,000.50"));

        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let todo = deputy.get("/tasks?tab=todo").await.text().await.unwrap();
        assert!(todo.contains("测试商机A"));
        let badges: serde_json::Value = deputy.server_fn("badges").await.json().await.unwrap();
        assert_eq!(badges["todo"], 1);
        let task = first_task(&todo);
        let task_page = deputy.get(&task).await.text().await.unwrap();
        assert!(task_page.contains("通过，审批结束") && task_page.contains("通过，报总经理继续审批") && task_page.contains("退回"));
        assert!(task_page.contains("石家庄领导"), "the forward names the next approver before sending");

        let response = decide(&deputy, &task, "approve_forward", "同意，报总经理").await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), task);
        let after = deputy.get(&task).await.text().await.unwrap();
        assert!(after.contains("下一位审批人员：石家庄领导"));
        // The same step again: someone (here, the same person) already decided it.
        let again = decide(&deputy, &task, "approve_end", "").await;
        assert!(again.status() == 422 || again.status() == 403, "{}", again.status());

        let gm = another_client(&app);
        gm.login_as("sjz_gm").await;
        let todo = gm.get("/tasks?tab=todo").await.text().await.unwrap();
        let gm_task = first_task(&todo);
        let page = gm.get(&gm_task).await.text().await.unwrap();
        assert!(!page.contains("value=\"approve_forward\""), "not offered to a GM");
        assert_eq!(decide(&gm, &gm_task, "approve_end", "同意").await.status(), 303);

        let html = app.get(&target).await.text().await.unwrap();
        assert!(html.contains("已报备"));
        let records = html.split("审批记录</h2>").nth(1).unwrap().split("</table>").next().unwrap();
        assert_eq!(records.matches("<tr>").count(), 1 + 3, "three records and a header");
        assert!(html.contains("石家庄副总1") && html.contains("石家庄领导") && html.contains("同意，报总经理"));
        let badges: serde_json::Value = app.server_fn("badges").await.json().await.unwrap();
        assert_eq!(badges["unread"], 1);
        let messages = app.get("/tasks?tab=messages").await.text().await.unwrap();
        let start = messages.find("action=\"/messages/").unwrap() + 8;
        let message = messages[start..].split('"').next().unwrap().to_owned();
        assert_eq!(app.get(&message).await.status(), 405, "a GET changes nothing");
        let opened = app.post_form(&message, &[]).await;
        assert_eq!(opened.status(), 303);
        assert_eq!(location(&opened), target);
        let badges: serde_json::Value = app.server_fn("badges").await.json().await.unwrap();
        assert_eq!(badges["unread"], 0);
        // 已办任务 of the deputy.
        let done = deputy.get("/tasks?tab=done").await.text().await.unwrap();
        assert!(done.contains("测试商机A") && done.contains("通过，报总经理继续审批"));

        // A customer with an opportunity cannot be deleted.
        let refused = app.post_form(&format!("/customers/{c}/delete"), &[]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("该客户已有商机"));
        let page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(page.contains("交易概览") && page.contains("交易明细") && page.contains("测试商机A"));
        assert!(page.contains("100,000.50"), "the overview sums the expected amounts");
        // 交易明细 filters by group; whoever sees the customer sees the rows (a city deputy).
        let none = app.get(&format!("/customers/{c}?deal_group=signed")).await.text().await.unwrap();
        assert!(none.contains("暂无交易"));
        let city = deputy.get(&format!("/customers/{c}?deal_sort=name_desc")).await.text().await.unwrap();
        assert!(city.contains("测试商机A"));
    }

    async fn returned_then_resubmitted_then_approved_and_returned_then_voided(db) {
        let app = spawn_app(db).await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        let gm = user_id(&app, "sjz_gm").await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "退回测试客户").await;
        let first = file(&app, "退回商机B", &c, vp1).await;
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let task = first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        let no_opinion = decide(&deputy, &task, "return", " ").await;
        assert_eq!(no_opinion.status(), 422);
        assert!(no_opinion.text().await.unwrap().contains("退回时必须填写审批意见"));
        assert_eq!(decide(&deputy, &task, "return", "金额需核实").await.status(), 303);
        assert!(app.get(&first).await.text().await.unwrap().contains("已退回"));

        // The filer's 待办 holds the returned step: edit and 重新提交 to the GM.
        let returned = first_task(&app.get("/tasks?tab=todo").await.text().await.unwrap());
        let business_type = business_type(&app).await;
        let resubmitted = app.post_form(&format!("{returned}/resubmit"), &[
            ("name", "退回商机B（修改）"),
            ("customer_id", &c),
            ("business_type_id", &business_type),
            ("expected_amount", "90000"),
            ("approver_id", &gm.to_string()),
        ]).await;
        assert_eq!(resubmitted.status(), 303);
        let boss = another_client(&app);
        boss.login_as("sjz_gm").await;
        let gm_task = first_task(&boss.get("/tasks?tab=todo").await.text().await.unwrap());
        assert_eq!(decide(&boss, &gm_task, "approve_end", "").await.status(), 303);
        let html = app.get(&first).await.text().await.unwrap();
        assert!(html.contains("已报备") && html.contains("退回商机B（修改）") && html.contains("重新提交"));

        // Third story: returned, then 作废.
        let second = file(&app, "作废商机C", &c, vp1).await;
        let task = first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        assert_eq!(decide(&deputy, &task, "return", "不具备条件").await.status(), 303);
        let returned = first_task(&app.get("/tasks?tab=todo").await.text().await.unwrap());
        let voided = app.post_form(&format!("{returned}/void"), &[]).await;
        assert_eq!(voided.status(), 303);
        assert_eq!(location(&voided), second);
        assert!(app.get(&second).await.text().await.unwrap().contains("已作废"));
    }

    async fn bad_input_and_forged_requests_are_refused_keeping_what_was_typed(db) {
        let app = spawn_app(db).await;
        let bd_vp1 = user_id(&app, "bd_vp1").await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "校验客户").await;
        let business_type = business_type(&app).await;
        let post = |fields: Vec<(&'static str, String)>| {
            let app = &app;
            async move {
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form("/opportunities/new", &fields).await
            }
        };
        let bad_amount = post(vec![
            ("name", "金额错误商机".into()),
            ("customer_id", c.clone()),
            ("business_type_id", business_type.clone()),
            ("expected_amount", "12.345".into()),
            ("description", "保留这段描述".into()),
            ("approver_id", vp1.to_string()),
            ("action", "submit".into()),
        ]).await;
        assert_eq!(bad_amount.status(), 422);
        let html = bad_amount.text().await.unwrap();
        assert!(html.contains("金额须为正数，最多两位小数") && html.contains("金额错误商机") && html.contains("保留这段描述"));

        let forged_approver = post(vec![
            ("name", "伪造审批人".into()),
            ("customer_id", c.clone()),
            ("business_type_id", business_type.clone()),
            ("approver_id", bd_vp1.to_string()),
            ("action", "submit".into()),
        ]).await;
        assert_eq!(forged_approver.status(), 422);
        assert!(forged_approver.text().await.unwrap().contains("请选择有效的审批人"));

        let outsider = another_client(&app);
        outsider.login_as("bd_am1").await;
        let theirs = form(&outsider, &[("name", "保定的客户")]).await;
        let bd_customer = location(&theirs).rsplit('/').next().unwrap().to_owned();
        let out_of_scope = post(vec![
            ("name", "越权客户商机".into()),
            ("customer_id", bd_customer),
            ("business_type_id", business_type.clone()),
            ("approver_id", vp1.to_string()),
            ("action", "submit".into()),
        ]).await;
        assert_eq!(out_of_scope.status(), 422);
        assert!(out_of_scope.text().await.unwrap().contains("无权为该客户报备商机"));
        let missing = post(vec![("action", "submit".into())]).await;
        assert_eq!(missing.status(), 422);
        let html = missing.text().await.unwrap();
        assert!(html.contains("此项为必填项") && html.contains("请至少选择一个客户") && html.contains("请选择审批人"));

        // Nothing half-written stayed.
        let mine = app.get("/opportunities").await.text().await.unwrap();
        assert!(mine.contains("没有符合条件的商机"));

        // A task is for its assignee only: not the filer, not another city's deputy.
        let target = file(&app, "权限测试商机", &c, vp1).await;
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let task = first_task(&deputy.get("/tasks?tab=todo").await.text().await.unwrap());
        let bd = another_client(&app);
        bd.login_as("bd_vp1").await;
        assert_eq!(bd.get(&task).await.status(), 403);
        assert_eq!(bd.get(&target).await.status(), 403);
        assert_eq!(decide(&app, &task, "approve_end", "").await.status(), 403, "the filer cannot decide");
        assert!(!bd.get("/opportunities?tab=all").await.text().await.unwrap().contains("权限测试商机"));
        assert!(deputy.get("/opportunities?tab=all").await.text().await.unwrap().contains("权限测试商机"));
    }

    async fn a_draft_is_seen_by_its_filer_alone_until_submitted(db) {
        let app = spawn_app(db).await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "草稿客户").await;
        let business_type = business_type(&app).await;
        let saved = app.post_form("/opportunities/new", &[
            ("name", "草稿商机D"),
            ("customer_id", &c),
            ("business_type_id", &business_type),
            ("action", "save"),
        ]).await;
        assert_eq!(saved.status(), 303);
        let target = location(&saved).trim_end_matches("?saved=1").to_owned();
        assert!(app.get(&target).await.text().await.unwrap().contains("草稿"));
        // The filer edits the draft; a save over a newer version is refused, keeping the input.
        let edit_page = app.get(&format!("{target}/edit")).await.text().await.unwrap();
        assert!(edit_page.contains("商机编辑") && edit_page.contains("草稿商机D"));
        let version = edit_page.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let save = |name: &'static str, version: String| {
            let app = &app;
            let c = c.clone();
            let business_type = business_type.clone();
            let edit_url = format!("{target}/edit");
            async move {
                app.post_form(&edit_url, &[
                    ("name", name),
                    ("customer_id", &c),
                    ("business_type_id", &business_type),
                    ("expected_amount", "5000"),
                    ("version", &version),
                    ("action", "save"),
                ]).await
            }
        };
        let saved = save("草稿商机D（改）", version.clone()).await;
        assert_eq!(saved.status(), 303);
        assert!(app.get(&target).await.text().await.unwrap().contains("草稿商机D（改）"));
        let stale = save("过期的修改", version).await;
        assert_eq!(stale.status(), 422);
        let html = stale.text().await.unwrap();
        assert!(html.contains("数据已被他人修改") && html.contains("过期的修改"));

        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        assert_eq!(deputy.get(&target).await.status(), 403, "a draft is its filer's alone");
        assert!(!deputy.get("/opportunities?tab=all").await.text().await.unwrap().contains("草稿商机D"));
        let no_approver = app.post_form(&format!("{target}/submit"), &[("approver_id", "")]).await;
        assert_eq!(no_approver.status(), 422);
        assert!(no_approver.text().await.unwrap().contains("请选择审批人"), "shown on the opportunity's page");
        let submitted = app.post_form(&format!("{target}/submit"), &[("approver_id", &vp1.to_string())]).await;
        assert_eq!(submitted.status(), 303);
        assert_eq!(deputy.get(&target).await.status(), 200);
        assert!(deputy.get("/tasks?tab=todo").await.text().await.unwrap().contains("草稿商机D"));
        // While a step is pending the filer cannot edit; the approver edits on the task page.
        assert_eq!(app.get(&format!("{target}/edit")).await.status(), 403);
        assert_eq!(deputy.get(&format!("{target}/edit")).await.status(), 403);
    }

    async fn the_name_search_finds_three_characters_anywhere_and_follows_a_renaming(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "名称检索客户").await;
        let business_type = business_type(&app).await;
        let fields = |name: &'static str| {
            vec![("name", name), ("customer_id", c.as_str()), ("business_type_id", business_type.as_str()), ("action", "save")]
        };
        let saved = app.post_form("/opportunities/new", &fields("智慧园区Alpha项目")).await;
        assert_eq!(saved.status(), 303);
        let target = location(&saved).trim_end_matches("?saved=1").to_owned();
        let listed = |text: &'static str| {
            let app = &app;
            async move { app.get(&format!("/opportunities?name={text}")).await.text().await.unwrap() }
        };
        // Three characters or more go through the trigram index; fewer, and any case, still match.
        assert!(listed("园区alpha").await.contains("智慧园区Alpha项目"));
        assert!(listed("区Al").await.contains("智慧园区Alpha项目"));
        assert!(listed("园区").await.contains("智慧园区Alpha项目"));
        assert!(!listed("园区Beta").await.contains("智慧园区Alpha项目"));
        // Renamed, it is found by its new name only.
        let edit_page = app.get(&format!("{target}/edit")).await.text().await.unwrap();
        let version = edit_page.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let mut renamed = fields("数字乡村Gamma项目");
        renamed.push(("version", &version));
        assert_eq!(app.post_form(&format!("{target}/edit"), &renamed).await.status(), 303);
        assert!(listed("乡村gam").await.contains("数字乡村Gamma项目"));
        let old = listed("园区alpha").await;
        assert!(!old.contains("数字乡村Gamma项目") && !old.contains("智慧园区Alpha项目"));
    }
}
