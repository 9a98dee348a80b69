//! 报价 (#17): lines with totals exact to the fen (half up per line), versions (a new one
//! copies the last, old ones read-only), 已发送, 预计金额 from a quote, the rights (owner and
//! 协作 users of a 已报备 opportunity), and the quotes on the customer's page.

use crate::filing::user_id;
use crate::helpers::*;
use crate::lifecycle::filed;

/// Makes a (new) version on the opportunity at `target`; its id.
async fn new_version(app: &TestApp, target: &str) -> String {
    let made = app.post_form(&format!("{target}/quotes"), &[]).await;
    assert_eq!(made.status(), 303);
    location(&made).rsplit('/').next().unwrap().to_owned()
}

/// 保存 of `lines` (item, quantity, price, discount) on version `id` read at `revision`.
async fn save(app: &TestApp, id: &str, revision: &str, lines: &[[&str; 4]]) -> reqwest::Response {
    let mut form = vec![("version", revision)];
    for [item, quantity, price, discount] in lines {
        form.extend([
            ("item", *item),
            ("quantity", *quantity),
            ("unit_price", *price),
            ("discount", *discount),
        ]);
    }
    app.post_form(&format!("/quotes/{id}"), &form).await
}

on_both_databases! {
    async fn totals_are_exact_to_the_fen_and_rounded_half_up_per_line(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "报价商机").await;
        let q = new_version(&app, &target).await;
        let page = app.get(&format!("/quotes/{q}")).await.text().await.unwrap();
        assert!(page.contains("name=\"item\"") && page.contains("版本 1"));

        let saved = save(&app, &q, "1", &[["专线A", "1", "0.1", ""], ["专线B", "1", "0.1", ""], ["专线C", "1", "0.1", ""]]).await;
        assert_eq!(location(&saved), format!("/quotes/{q}?saved=1"));
        assert_eq!(scalar(db, &url, &format!("SELECT total_fen FROM quotes WHERE id = {q}")).await, 30);
        let page = app.get(&format!("/quotes/{q}")).await.text().await.unwrap();
        assert!(page.contains("0.30"));

        // 1 元 less 33.3 % is 66.7 fen: 0.67; two lines of 0.15 元 less 50 % are 0.08 each.
        assert_eq!(save(&app, &q, "2", &[["云主机", "1", "1", "33.3"], ["宽带", "1", "0.15", "50"], ["宽带", "1", "0.15", "50"]]).await.status(), 303);
        assert_eq!(scalar(db, &url, &format!("SELECT total_fen FROM quotes WHERE id = {q}")).await, 67 + 8 + 8);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT total_fen FROM quote_lines WHERE quote_id = {q} AND position = 0")).await, 67);

        // Each bad cell is refused beside it, everything typed kept, nothing written.
        let refused = save(&app, &q, "3", &[["云主机", "abc", "1", "120"], ["", "2", "3", ""]]).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("数量须大于 0") && html.contains("折扣须在 0 到 100 之间") && html.contains("此项为必填项"));
        assert!(html.contains("value=\"abc\"") && html.contains("value=\"120\""));
        assert_eq!(scalar(db, &url, &format!("SELECT total_fen FROM quotes WHERE id = {q}")).await, 83);

        // An extreme line is refused beside its price (its amounts kept), not overflowed.
        let huge = save(&app, &q, "3", &[["卫星", "99999999", "999999999", ""]]).await;
        assert_eq!(huge.status(), 422);
        let html = huge.text().await.unwrap();
        assert!(html.contains("单行小计不能超过一万亿元") && html.contains("value=\"999999999\""));

        // An edit made on a revision read earlier is stale.
        let stale = save(&app, &q, "2", &[["旧的", "1", "1", ""]]).await;
        assert_eq!(stale.status(), 422);
        assert!(stale.text().await.unwrap().contains("数据已被他人修改"));
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'quote' AND entity_id = '{q}' AND action = 'update'")).await, 2);
    }

    async fn a_new_version_copies_the_last_and_old_or_sent_versions_are_read_only(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let (target, c) = filed(&app, "版本商机").await;
        let v1 = new_version(&app, &target).await;
        assert_eq!(save(&app, &v1, "1", &[["专线", "2", "100", ""], ["安装费", "1", "50", ""]]).await.status(), 303);
        let v2 = new_version(&app, &target).await;
        assert_eq!(scalar(db, &url, &format!("SELECT COUNT(*) FROM quote_lines WHERE quote_id = {v2}")).await, 2);
        assert_eq!(scalar(db, &url, &format!("SELECT version_no FROM quotes WHERE id = {v2}")).await, 2);
        let v2_page = app.get(&format!("/quotes/{v2}")).await.text().await.unwrap();
        assert!(v2_page.contains("value=\"安装费\"") && v2_page.contains("250.00"));
        // Version 1 is read-only now: no form, and a post is refused.
        let v1_page = app.get(&format!("/quotes/{v1}")).await.text().await.unwrap();
        assert!(!v1_page.contains("name=\"item\"") && v1_page.contains("安装费"));
        let old = save(&app, &v1, "2", &[["改旧版", "1", "1", ""]]).await;
        assert_eq!(old.status(), 422);
        assert!(old.text().await.unwrap().contains("旧版本和已发送的报价不能修改"));
        assert_eq!(save(&app, &v2, "1", &[["专线", "3", "100", ""]]).await.status(), 303);

        // 已发送 with today's date; then it is read-only too, and a later version takes the mark.
        assert_eq!(app.post_form(&format!("/quotes/{v2}/sent"), &[]).await.status(), 303);
        let sent: String = query_one(db, &url, &format!("SELECT sent_on FROM quotes WHERE id = {v2}")).await;
        assert_eq!(sent.len(), 10);
        assert!(app.get(&format!("/quotes/{v2}")).await.text().await.unwrap().contains(&format!("已发送 {sent}")));
        assert_eq!(save(&app, &v2, "3", &[["专线", "4", "100", ""]]).await.status(), 422);
        let v3 = new_version(&app, &target).await;
        assert_eq!(app.post_form(&format!("/quotes/{v3}/sent"), &[]).await.status(), 303);
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM quotes WHERE opportunity_id = (SELECT opportunity_id FROM quotes WHERE id = {v3}) AND sent_on IS NOT NULL")).await, 1);
        assert_eq!(app.post_form(&format!("/quotes/{v3}/sent"), &[]).await.status(), 422, "sent once");

        // 设为预计金额 by the owner; the customer's page lists the newest quote.
        assert_eq!(location(&app.post_form(&format!("/quotes/{v3}/apply"), &[]).await), format!("/quotes/{v3}?applied=1"));
        let o = target.rsplit('/').next().unwrap();
        assert_eq!(scalar(db, &url, &format!("SELECT expected_amount_fen FROM opportunities WHERE id = {o}")).await, 30_000);
        let customer_page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(customer_page.contains("最新报价") && customer_page.contains("300.00 (版本 3)") && customer_page.contains("报价合计"));
        let opportunity_page = app.get(&target).await.text().await.unwrap();
        assert!(opportunity_page.contains(&format!("/quotes/{v1}")) && opportunity_page.contains("新版本"));
    }

    async fn only_the_owner_and_collaborators_quote_and_only_the_owner_changes_an_approved_amount(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "权限报价商机").await;
        let q = new_version(&app, &target).await;
        assert_eq!(save(&app, &q, "1", &[["专线", "1", "10", ""]]).await.status(), 303);
        let am2 = user_id(&app, "sjz_am2").await.to_string();
        let guest = another_client(&app);
        guest.login_as("sjz_am2").await;
        // Out of sight: nothing at all.
        assert_eq!(guest.get(&format!("/quotes/{q}")).await.status(), 403);
        // Read-only share: sees the quote, may not change it.
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "read")]).await;
        let page = guest.get(&format!("/quotes/{q}")).await.text().await.unwrap();
        assert!(page.contains("10.00") && !page.contains("name=\"item\""));
        assert_eq!(guest.post_form(&format!("{target}/quotes"), &[]).await.status(), 403);
        assert_eq!(save(&guest, &q, "2", &[["改", "1", "1", ""]]).await.status(), 403);
        assert_eq!(guest.post_form(&format!("/quotes/{q}/sent"), &[]).await.status(), 403);
        // 协作: quotes, but the approved 预计金额 stays the owner's to change.
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "collaborate")]).await;
        assert_eq!(save(&guest, &q, "2", &[["专线", "2", "10", ""]]).await.status(), 303);
        let refused = guest.post_form(&format!("/quotes/{q}/apply"), &[]).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("只有商机负责人可以修改"));
        let o = target.rsplit('/').next().unwrap();
        assert_ne!(scalar(db, &url, &format!("SELECT expected_amount_fen FROM opportunities WHERE id = {o}")).await, 2_000);
        // Another city's manager sees nothing.
        let bd = another_client(&app);
        bd.login_as("bd_gm").await;
        assert_eq!(bd.get(&format!("/quotes/{q}")).await.status(), 403);
        assert_eq!(bd.get(&format!("/quotes/{q}/print")).await.status(), 403);
        // The print view names the province company, the customer and the lines.
        let print = app.get(&format!("/quotes/{q}/print")).await.text().await.unwrap();
        assert!(print.contains("报价单") && print.contains("权限报价商机的客户") && print.contains("20.00"));
    }
}
