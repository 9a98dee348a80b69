//! 销售活动 over HTTP: logged on an opportunity by its owner and 协作 users (not by read-only
//! guests), checked beside each field, listed on the opportunity and on its customer, 完成 by
//! its creator alone; and logged on a customer by its editors.

use crate::filing::{customer, user_id};
use crate::helpers::*;
use crate::lifecycle::filed;

/// Adds a contact to customer `c`; returns its id (read from the customer's page).
async fn contact(app: &TestApp, c: &str, name: &str) -> String {
    let added = app
        .post_form(&format!("/customers/{c}/contacts/new"), &[("name", name)])
        .await;
    assert_eq!(added.status(), 303, "contact {name}");
    let page = app
        .get(&format!("/customers/{c}"))
        .await
        .text()
        .await
        .unwrap();
    page.split("/contacts/")
        .filter_map(|s| s.split('/').next())
        .find(|id| id.parse::<i64>().is_ok())
        .expect("a contact link")
        .to_owned()
}

on_both_databases! {
    async fn the_owner_and_collaborators_log_activities_that_show_on_the_opportunity_and_its_customer(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, c) = filed(&app, "活动商机A").await;
        let met = contact(&app, &c, "王主任").await;
        let elsewhere_customer = customer(&app, "别家客户").await;
        let elsewhere = contact(&app, &elsewhere_customer, "李经理").await;
        let form = app.get(&format!("{target}/activities/new")).await.text().await.unwrap();
        assert!(form.contains("王主任") && form.contains("陪同拜访"));

        // Refusals come back beside their fields with everything typed.
        let missing = app.post_form(&format!("{target}/activities/new"), &[
            ("kind", "visit"), ("date", "2026-11-20"), ("customer_id", &c), ("notes", ""),
        ]).await;
        assert_eq!(missing.status(), 422);
        let html = missing.text().await.unwrap();
        assert!(html.contains("此项为必填项") && html.contains("2026-11-20"));
        let foreign = app.post_form(&format!("{target}/activities/new"), &[
            ("kind", "visit"), ("date", "2026-11-20"), ("customer_id", &c), ("contact_id", &elsewhere),
            ("notes", "带上方案"),
        ]).await;
        assert_eq!(foreign.status(), 422);
        let html = foreign.text().await.unwrap();
        assert!(html.contains("联系人不属于所选客户") && html.contains("带上方案"));
        let other_customer = app.post_form(&format!("{target}/activities/new"), &[
            ("kind", "visit"), ("date", "2026-11-20"), ("customer_id", &elsewhere_customer), ("notes", "x"),
        ]).await;
        assert_eq!(other_customer.status(), 422);

        let logged = app.post_form(&format!("{target}/activities/new"), &[
            ("kind", "visit"), ("date", "2026-11-20"), ("customer_id", &c), ("contact_id", &met),
            ("notes", "拜访王主任，介绍专线方案"), ("status", "planned"),
        ]).await;
        assert_eq!(logged.status(), 303);
        assert_eq!(location(&logged), format!("{target}#activities"));
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("拜访王主任，介绍专线方案") && page.contains("王主任") && page.contains("计划中"));
        let customer_page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(customer_page.contains("拜访王主任，介绍专线方案") && customer_page.contains("活动商机A"));

        // A read-only guest may not log one; a 协作 user may; neither may complete the owner's.
        let am2 = user_id(&app, "sjz_am2").await.to_string();
        let guest = another_client(&app);
        guest.login_as("sjz_am2").await;
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "read")]).await;
        assert_eq!(guest.get(&format!("{target}/activities/new")).await.status(), 403);
        let note = [("kind", "call"), ("date", "2026-11-21"), ("customer_id", c.as_str()), ("notes", "电话跟进")];
        assert_eq!(guest.post_form(&format!("{target}/activities/new"), &note).await.status(), 403);
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "collaborate")]).await;
        assert_eq!(guest.post_form(&format!("{target}/activities/new"), &note).await.status(), 303);
        let page = guest.get(&target).await.text().await.unwrap();
        assert!(page.contains("电话跟进") && page.contains("石家庄客户经理2"));
        let first = page.split("/activities/").filter_map(|s| s.split('/').next()).find(|id| id.parse::<i64>().is_ok());
        // The guest's own activity offers 完成 to them; the owner's does not.
        let owner_page = app.get(&target).await.text().await.unwrap();
        let owners: Vec<&str> = owner_page.split("/activities/").skip(1)
            .filter(|s| s.split('"').next().is_some_and(|path| path.ends_with("/complete")))
            .filter_map(|s| s.split('/').next()).filter(|id| id.parse::<i64>().is_ok()).collect();
        assert_eq!(owners.len(), 1, "the owner may complete only their own: {owners:?}");
        let owners_activity = owners[0].to_owned();
        assert_ne!(first.map(str::to_owned), Some(owners_activity.clone()));
        assert_eq!(guest.post_form(&format!("/activities/{owners_activity}/complete"), &[]).await.status(), 403);
        let completed = app.post_form(&format!("/activities/{owners_activity}/complete"), &[]).await;
        assert_eq!(completed.status(), 303);
        let page = app.get(&target).await.text().await.unwrap();
        assert!(page.contains("已完成"));

        // Someone of another city sees none of it.
        let stranger = another_client(&app);
        stranger.login_as("bd_am1").await;
        assert_eq!(stranger.get(&format!("{target}/activities/new")).await.status(), 403);
        assert_eq!(stranger.post_form(&format!("/customers/{c}/activities/new"), &note).await.status(), 403);

        // On the customer itself, its owner logs one without an opportunity.
        let on_customer = app.post_form(&format!("/customers/{c}/activities/new"), &[
            ("kind", "call"), ("date", "2026-11-22"), ("customer_id", &c), ("notes", "年度回访"), ("status", "done"),
        ]).await;
        assert_eq!(location(&on_customer), format!("/customers/{c}#activities"));
        let customer_page = app.get(&format!("/customers/{c}")).await.text().await.unwrap();
        assert!(customer_page.contains("年度回访"));
        assert!(!app.get(&target).await.text().await.unwrap().contains("年度回访"));
    }
}
