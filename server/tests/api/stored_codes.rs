//! Statuses, stages, flows and kinds decode from their columns as enums: a code the server does
//! not know is an error, never read as some default (a stray `草稿` would hide an opportunity
//! from everyone but its filer).

use crate::filing::{customer, file, user_id};
use crate::helpers::*;
use server::db::StoreError;

on_both_databases! {
    async fn an_unknown_status_in_the_database_is_an_error_not_a_draft(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let c = customer(&app, "状态编码客户").await;
        let vp1 = user_id(&app, "sjz_vp1").await;
        let page = file(&app, "状态编码商机", &c, vp1).await;
        let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
        assert!(app.store.opportunity_for_workflow(id).await.unwrap().is_some());

        execute(db, &app.database_url, "UPDATE opportunities SET status = 'misplaced'").await;
        let read = app.store.opportunity_for_workflow(id).await;
        assert!(matches!(read, Err(StoreError::Database(_))), "{read:?}");
        assert_eq!(app.get(&page).await.status(), 500);

        execute(db, &app.database_url, "UPDATE opportunities SET status = 'pending'").await;
        assert!(app.store.opportunity_for_workflow(id).await.unwrap().is_some());
        execute(db, &app.database_url, "UPDATE approval_records SET kind = 'misplaced'").await;
        let read = app.store.approval_records(id).await;
        assert!(matches!(read, Err(StoreError::Database(_))), "a record of no known kind: {read:?}");
    }
}
