//! Planned 销售活动 in their owner's 待办 (#17): on 任务's 待办 and the home page's task widget
//! from their day on (overdue ones marked), gone once done; 完成 comes back to where it was
//! clicked.

use crate::activity_list::log;
use crate::filing::customer;
use crate::helpers::*;

on_both_databases! {
    async fn planned_activities_join_their_owners_todo_on_their_day_until_done(db) {
        let (app, clock) = spawn_app_at(db, "2031-05-20", 15).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "待办活动客户").await;
        let page = format!("/customers/{c}");
        log(&app, &page, &c, "visit", "2031-05-20", "今天的拜访", false).await;
        log(&app, &page, &c, "call", "2031-05-18", "前天该打的电话", false).await;
        log(&app, &page, &c, "call", "2031-05-21", "明天的电话", false).await;
        log(&app, &page, &c, "call", "2031-05-20", "今天已打的电话", true).await;
        let other = another_client(&app);
        other.login_as("sjz_am2").await;
        let theirs = customer(&other, "别人的客户").await;
        log(&other, &format!("/customers/{theirs}"), &theirs, "visit", "2031-05-20", "别人的拜访", false).await;

        let todo = app.get("/tasks?tab=todo").await.text().await.unwrap();
        assert!(todo.contains("今日及逾期活动") && todo.contains("今天的拜访") && todo.contains("前天该打的电话"));
        assert!(!todo.contains("明天的电话") && !todo.contains("今天已打的电话") && !todo.contains("别人的拜访"));
        assert!(todo.find("前天该打的电话").unwrap() < todo.find("今天的拜访").unwrap(), "oldest first");
        assert_eq!(todo.matches("<span class=\"overdue\">").count(), 1, "only the past one is overdue");
        let home = app.get("/?tasks=todo").await.text().await.unwrap();
        assert!(home.contains("今天的拜访") && !home.contains("明天的电话"));
        // 全部任务 and the other tabs list approval tasks only.
        assert!(!app.get("/tasks?tab=done").await.text().await.unwrap().contains("今天的拜访"));

        // Past midnight in China, tomorrow's call has come (a session outlives 20 minutes).
        clock.advance(chrono::Duration::minutes(20));
        let todo = app.get("/tasks?tab=todo").await.text().await.unwrap();
        assert!(todo.contains("明天的电话"));

        // 完成 from 待办 comes back to it, and the activity leaves it; only a local address is
        // followed.
        let url = app.database_url.clone();
        let id = scalar(db, &url, "SELECT id FROM activities WHERE notes = '今天的拜访'").await;
        let done = app.post_form(&format!("/activities/{id}/complete"), &[("back", "/tasks?tab=todo")]).await;
        assert_eq!(location(&done), "/tasks?tab=todo");
        assert!(!app.get("/tasks?tab=todo").await.text().await.unwrap().contains("今天的拜访"));
        let id = scalar(db, &url, "SELECT id FROM activities WHERE notes = '明天的电话'").await;
        let away = app.post_form(&format!("/activities/{id}/complete"), &[("back", "//evil.example/x")]).await;
        assert_eq!(location(&away), "/");
        // Someone else's is not theirs to complete.
        let id = scalar(db, &url, "SELECT id FROM activities WHERE notes = '前天该打的电话'").await;
        assert_eq!(other.post_form(&format!("/activities/{id}/complete"), &[("back", "/tasks")]).await.status(), 403);
    }
}
