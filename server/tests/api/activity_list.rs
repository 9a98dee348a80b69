//! The 销售活动 list (#17): conditions (类型, 日期, 客户, 商机, 负责人, 完成状态), sorting by a
//! column, keyset paging, the viewer's scope; and the filtered sub-list of a customer page.

use crate::filing::{customer, user_id};
use crate::helpers::*;
use crate::lifecycle::filed;

/// Logs an activity on `page` (a customer's or opportunity's address) for customer `c`.
pub(crate) async fn log(
    app: &TestApp,
    page: &str,
    c: &str,
    kind: &str,
    date: &str,
    notes: &str,
    done: bool,
) {
    let status = if done { "done" } else { "planned" };
    let response = app
        .post_form(
            &format!("{page}/activities/new"),
            &[
                ("kind", kind),
                ("date", date),
                ("customer_id", c),
                ("notes", notes),
                ("status", status),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        303,
        "{notes}: {:?}",
        response.text().await
    );
}

async fn list(app: &TestApp, query: &str) -> String {
    let response = app.get(&format!("/activities{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.text().await.unwrap()
}

on_both_databases! {
    async fn the_list_finds_by_every_condition_within_the_viewers_scope(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (opportunity, c) = filed(&app, "专线扩容商机").await;
        let own = format!("/customers/{c}");
        log(&app, &opportunity, &c, "visit", "2099-03-01", "拜访信息中心", false).await;
        log(&app, &own, &c, "call", "2098-05-02", "电话回访", true).await;
        log(&app, &own, &c, "call", "2001-01-02", "早该打的电话", false).await;
        let other = customer(&app, "另一家石家庄客户").await;
        log(&app, &format!("/customers/{other}"), &other, "joint_visit", "2099-04-01", "陪同拜访另一家", false).await;
        let bd = another_client(&app);
        bd.login_as("bd_am1").await;
        let bd_customer = customer(&bd, "保定客户").await;
        log(&bd, &format!("/customers/{bd_customer}"), &bd_customer, "visit", "2099-05-01", "保定的拜访", false).await;

        let all = list(&app, "").await;
        for notes in ["拜访信息中心", "电话回访", "早该打的电话", "陪同拜访另一家"] {
            assert!(all.contains(notes), "{notes}");
        }
        assert!(!all.contains("保定的拜访"), "another city's activity is out of scope");
        // Newest day first by default.
        let at = |page: &str, notes: &str| page.find(notes).unwrap();
        assert!(at(&all, "陪同拜访另一家") < at(&all, "拜访信息中心"));
        assert!(at(&all, "电话回访") < at(&all, "早该打的电话"));

        let calls = list(&app, "?kind=call").await;
        assert!(calls.contains("电话回访") && calls.contains("早该打的电话") && !calls.contains("拜访信息中心"));
        let dated = list(&app, "?from=2099-01-01&to=2099-03-31").await;
        assert!(dated.contains("拜访信息中心") && !dated.contains("陪同拜访另一家") && !dated.contains("电话回访"));
        let by_customer = list(&app, "?customer=%E5%8F%A6%E4%B8%80%E5%AE%B6").await; // 另一家
        assert!(by_customer.contains("陪同拜访另一家") && !by_customer.contains("拜访信息中心"));
        let by_opportunity = list(&app, "?opportunity=%E4%B8%93%E7%BA%BF").await; // 专线
        assert!(by_opportunity.contains("拜访信息中心") && !by_opportunity.contains("电话回访"));
        // Three characters and more go through the search index first.
        let long = list(&app, "?opportunity=%E4%B8%93%E7%BA%BF%E6%89%A9%E5%AE%B9").await; // 专线扩容
        assert!(long.contains("拜访信息中心") && !long.contains("陪同拜访另一家"));
        let long = list(&app, "?customer=%E5%8F%A6%E4%B8%80%E5%AE%B6%E7%9F%B3").await; // 另一家石
        assert!(long.contains("陪同拜访另一家") && !long.contains("拜访信息中心"));
        let done = list(&app, "?status=done").await;
        assert!(done.contains("电话回访") && !done.contains("拜访信息中心"));
        let overdue = list(&app, "?status=overdue").await;
        assert!(overdue.contains("早该打的电话") && overdue.contains("<span class=\"overdue\">已逾期"));
        assert!(!overdue.contains("拜访信息中心") && !overdue.contains("电话回访"));
        // By 客户 one way and the other (the database's collation decides which comes first).
        let up = list(&app, "?sort=customer").await;
        let down = list(&app, "?sort=customer_desc").await;
        assert_ne!(at(&up, "陪同拜访另一家") < at(&up, "拜访信息中心"),
            at(&down, "陪同拜访另一家") < at(&down, "拜访信息中心"));
        assert!(up.contains("aria-sort=\"ascending\"") && down.contains("aria-sort=\"descending\""));

        // The city's deputy sees them, and filters by 负责人; the other city's manager does not.
        let deputy = another_client(&app);
        deputy.login_as("sjz_vp1").await;
        let am1 = user_id(&app, "sjz_am1").await;
        let seen = list(&deputy, &format!("?owner_id={am1}")).await;
        assert!(seen.contains("拜访信息中心") && !seen.contains("保定的拜访"));
        let am2 = user_id(&app, "sjz_am2").await;
        assert!(!list(&deputy, &format!("?owner_id={am2}")).await.contains("拜访信息中心"));
        let bd_gm = another_client(&app);
        bd_gm.login_as("bd_gm").await;
        let theirs = list(&bd_gm, "").await;
        assert!(theirs.contains("保定的拜访") && !theirs.contains("拜访信息中心"));
        // An id of someone out of reach finds nothing of theirs either.
        assert!(!list(&bd_gm, &format!("?owner_id={am1}")).await.contains("拜访信息中心"));
    }

    async fn pages_follow_each_other_without_gaps_or_repeats(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let c = customer(&app, "翻页客户").await;
        let am1 = user_id(&app, "sjz_am1").await;
        // Rows written directly: the list is what is tested, not the form.
        for i in 0..45 {
            execute(db, &url, &format!(
                "INSERT INTO activities (kind, activity_date, customer_id, notes, done, created_by, created_at)
                 VALUES ('call', '2097-01-{:02}', {c}, '翻页活动{i:02}号', FALSE, {am1}, CURRENT_TIMESTAMP)",
                1 + i % 9)).await;
        }
        for sort in ["", "date", "kind_desc", "customer"] {
            let mut seen = std::collections::HashSet::new();
            let mut next = Some(format!("/activities?customer=%E7%BF%BB%E9%A1%B5&sort={sort}"));
            let mut pages = 0;
            while let Some(href) = next.take() {
                let page = app.get(&href.replace("&amp;", "&")).await.text().await.unwrap();
                pages += 1;
                for i in 0..45 {
                    let notes = format!("翻页活动{i:02}号");
                    if page.contains(&notes) {
                        assert!(seen.insert(notes.clone()), "{notes} twice ({sort})");
                    }
                }
                next = page.split("<p class=\"pager\"><a href=\"").nth(1)
                    .and_then(|s| s.split('"').next()).map(str::to_owned);
            }
            assert_eq!(seen.len(), 45, "every row once ({sort})");
            assert_eq!(pages, 3, "20 + 20 + 5 ({sort})");
        }
    }

    async fn a_record_page_filters_and_sorts_its_activities_and_keeps_its_scope(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "子列表客户").await;
        let page = format!("/customers/{c}");
        log(&app, &page, &c, "visit", "2099-06-01", "计划拜访", false).await;
        log(&app, &page, &c, "call", "2098-06-01", "已打电话", true).await;
        let html = |q: &'static str| {
            let app = &app;
            let page = page.clone();
            async move { app.get(&format!("{page}{q}")).await.text().await.unwrap() }
        };
        let done = html("?act_status=done").await;
        assert!(done.contains("已打电话") && !done.contains("计划拜访"));
        let visits = html("?act_kind=visit").await;
        assert!(visits.contains("计划拜访") && !visits.contains("已打电话"));
        let oldest = html("?act_sort=date").await;
        assert!(oldest.find("已打电话").unwrap() < oldest.find("计划拜访").unwrap());
        let newest = html("").await;
        assert!(newest.find("计划拜访").unwrap() < newest.find("已打电话").unwrap());

        // Another city's manager may neither open the page nor ask for its activities.
        let bd = another_client(&app);
        bd.login_as("bd_gm").await;
        assert_eq!(bd.get(&format!("{page}?act_status=done")).await.status(), 403);
        let form = [
            ("target[Customer]".to_owned(), c.clone()),
            ("filter[status]".to_owned(), "done".to_owned()),
        ];
        let own = app.server_fn_form("record_activities", &form).await;
        assert_eq!(own.status(), 200);
        assert!(own.text().await.unwrap().contains("已打电话"), "the call is understood");
        let asked = bd.server_fn_form("record_activities", &form).await;
        assert_eq!(asked.status(), 403);
        assert!(!asked.text().await.unwrap().contains("已打电话"));
    }
}
