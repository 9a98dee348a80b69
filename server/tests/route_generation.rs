//! Why the server generates its route list once per process (`startup::routes`): while Leptos
//! generates a route list it sets a process-wide flag that keeps every resource from loading,
//! so a page rendered meanwhile, anywhere in the process, waits for data that never comes.
//! This binary runs alone (its own process), because it stalls every render it overlaps.
//! Should Leptos drop the flag, the first test fails and says so.

use leptos::config::LeptosOptions;
use server::config::{Settings, OUTPUT_NAME};
use server::startup::Application;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

async fn logged_in_server() -> (String, reqwest::Client) {
    let dir = std::env::temp_dir().join(format!("bizopp-routes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings {
        database_url: format!("sqlite://{}", dir.join("routes.db").display()),
        demo_data: true,
        leptos: LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_addr(([127, 0, 0, 1], 0))
            .build(),
        session: Default::default(),
        lockout: Default::default(),
        smtp: None,
    };
    let app = Application::build(settings).await.unwrap();
    let address = format!("http://{}", app.address());
    tokio::spawn(app.run());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = client
        .post(format!("{address}/login"))
        .header("Sec-Fetch-Site", "same-origin")
        .form(&[
            ("login", "sjz_am1"),
            ("password", server::seed::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    (address, client)
}

/// Whether `/customers` renders within two seconds.
async fn renders(address: &str, client: &reqwest::Client) -> bool {
    let page = client.get(format!("{address}/customers")).send();
    match tokio::time::timeout(Duration::from_secs(2), page).await {
        Ok(response) => response.unwrap().status() == 200,
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_route_list_generated_while_a_page_renders_stalls_that_page() {
    let (address, client) = logged_in_server().await;
    assert!(
        renders(&address, &client).await,
        "renders when nothing else runs"
    );

    let stop = Arc::new(AtomicBool::new(false));
    let generating = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                leptos_axum::generate_route_list(app::App);
            }
        })
    };
    let mut stalled = 0;
    for _ in 0..10 {
        if !renders(&address, &client).await {
            stalled += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    generating.join().unwrap();
    assert!(
        stalled > 0,
        "no render stalled: Leptos may no longer suppress resources process-wide"
    );
    assert!(
        renders(&address, &client).await,
        "renders again once it stops"
    );
}
