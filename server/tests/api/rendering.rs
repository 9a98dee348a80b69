//! Pages render whatever else the process does. Leptos' route-list generation sets a
//! process-wide flag that keeps every resource from loading while it runs, so a server that
//! generated its routes while another one rendered stalled that page (the stalls the suite saw
//! about once a run, tests starting servers side by side): routes are generated once per
//! process.

use crate::helpers::*;
use std::time::Duration;

on_both_databases! {
    async fn pages_render_while_other_servers_start_in_the_same_process(db) {
        let app = spawn_app(db).await;
        app.login_as("sjz_am1").await;
        let starting = tokio::spawn(async move {
            for _ in 0..15 {
                spawn_app(db).await;
            }
        });
        for _ in 0..30 {
            let page = tokio::time::timeout(Duration::from_secs(5), app.get("/customers"))
                .await
                .expect("the page rendered without stalling");
            assert_eq!(page.status(), 200);
        }
        starting.await.unwrap();
    }
}
