//! The browser entry point: hydrates the server-rendered page.

// The pages' view types nest deeply (a record page holds its whole body); computing their
// layout needs more than the default 128 levels.
#![recursion_limit = "256"]

use any_spawner::Executor;
use leptos::task::spawn_local;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes (app::routes): hydration waits for the page's chunk, so it runs as
    // a task. An Err only says the executor was already set up.
    _ = Executor::init_wasm_bindgen();
    spawn_local(async {
        let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // Says the page is live (browser tests wait for it before testing live behaviour).
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
