//! 商机评估 (#18): the manual's checklists answered on an opportunity; the score and suggestion
//! computed on the server from a known set of answers; who may answer; a stale save refused;
//! 商机管理 filtered by the suggestion.

use crate::filing::user_id;
use crate::helpers::*;
use crate::lifecycle::filed;

/// Every question of the first checklist 是 (but 客户是否有采购意向, as given), the second's
/// 不清楚, and a note: with `yes`, 8 + 4 × 0.5 of 12 = 83 分.
fn answers(intent: &str) -> Vec<(String, String)> {
    let mut form = vec![("q_intent".to_owned(), intent.to_owned())];
    for q in [
        "intent_what",
        "department",
        "plan",
        "needs",
        "direction",
        "budget",
        "resources",
    ] {
        form.push((format!("q_{q}"), "yes".to_owned()));
    }
    for q in ["specifics", "commercial", "final_budget", "value"] {
        form.push((format!("q_{q}"), "unknown".to_owned()));
    }
    form.push(("n_budget".to_owned(), "约两百万，已列入明年预算".to_owned()));
    form
}

/// Posts `form` as the evaluation of the opportunity at `target`.
async fn evaluate(app: &TestApp, target: &str, form: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(&format!("{target}/evaluation"), &pairs).await
}

on_both_databases! {
    async fn answers_give_the_score_and_suggestion_written_here(db) {
        let app = spawn_app(db).await;
        let url = app.database_url.clone();
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "评估商机").await;
        let page = app.get(&format!("{target}/evaluation")).await.text().await.unwrap();
        assert!(page.contains("客户是否有采购意向") && page.contains("商机对我们有价值么") && page.contains("尚未评估"));

        let saved = evaluate(&app, &target, &answers("yes")).await;
        assert_eq!(location(&saved), format!("{target}/evaluation?saved=1"));
        let o = target.rsplit('/').next().unwrap();
        assert_eq!(scalar(db, &url, &format!("SELECT score FROM opportunity_evaluations WHERE opportunity_id = {o}")).await, 83);
        let page = app.get(&format!("{target}/evaluation")).await.text().await.unwrap();
        assert!(page.contains("83 分 · 建议跟进") && page.contains("约两百万，已列入明年预算"));
        assert!(app.get(&target).await.text().await.unwrap().contains("83 分 · 建议跟进"));

        // A 否 to 客户是否有采购意向 means 放弃 whatever the score (7 + 2 of 12 = 75 分).
        let mut changed = answers("no");
        changed.push(("version".to_owned(), "1".to_owned()));
        assert_eq!(evaluate(&app, &target, &changed).await.status(), 303);
        let page = app.get(&format!("{target}/evaluation")).await.text().await.unwrap();
        assert!(page.contains("75 分 · 建议放弃"), "the decisive 否");
        // Saved on an old revision: refused, nothing changed.
        let stale = evaluate(&app, &target, &changed).await;
        assert_eq!(stale.status(), 422);
        assert!(stale.text().await.unwrap().contains("数据已被他人修改"));
        // A forged answer is refused beside its question; nothing answered is refused too.
        let forged = app.post_form(&format!("{target}/evaluation"), &[("q_intent", "maybe"), ("version", "2")]).await;
        assert_eq!(forged.status(), 422);
        let none = app.post_form(&format!("{target}/evaluation"), &[("n_intent", "只写了备注"), ("version", "2")]).await;
        assert_eq!(none.status(), 422);
        assert!(none.text().await.unwrap().contains("只写了备注"), "what was typed is kept");
        assert_eq!(scalar(db, &url, &format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'evaluate' AND entity_id = '{o}'")).await, 2);

        // 商机管理 filtered by the suggestion.
        let dropped = app.get("/opportunities?tab=mine&suggestion=drop").await.text().await.unwrap();
        assert!(dropped.contains("评估商机"));
        let followed = app.get("/opportunities?tab=mine&suggestion=follow").await.text().await.unwrap();
        assert!(!followed.contains("评估商机"));
    }

    async fn only_the_owner_and_collaborators_answer_and_outsiders_see_nothing(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let (target, _) = filed(&app, "评估权限商机").await;
        let am2 = user_id(&app, "sjz_am2").await.to_string();
        let guest = another_client(&app);
        guest.login_as("sjz_am2").await;
        assert_eq!(guest.get(&format!("{target}/evaluation")).await.status(), 403);
        assert_eq!(evaluate(&guest, &target, &answers("yes")).await.status(), 403);
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "read")]).await;
        let page = guest.get(&format!("{target}/evaluation")).await.text().await.unwrap();
        assert!(page.contains("客户是否有采购意向") && !page.contains(">保存<"));
        assert_eq!(evaluate(&guest, &target, &answers("yes")).await.status(), 403);
        app.post_form(&format!("{target}/share"), &[("user_id", &am2), ("access", "collaborate")]).await;
        assert_eq!(evaluate(&guest, &target, &answers("yes")).await.status(), 303);
        let bd = another_client(&app);
        bd.login_as("bd_gm").await;
        assert_eq!(bd.get(&format!("{target}/evaluation")).await.status(), 403);
    }
}
