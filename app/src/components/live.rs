//! The live channel in the browser: one `EventSource` on `/events` per loaded page (it
//! reconnects by itself after a server restart). Each event bumps a revision number that the
//! pages' resources depend on, so what they show is fetched again without a reload. On the
//! server, and before hydration, the revision stays 0.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Live(RwSignal<u64>);

impl Live {
    /// The revision to depend on (a fixed 0 outside a live shell).
    pub fn revision() -> RwSignal<u64> {
        use_context::<Live>()
            .map(|l| l.0)
            .unwrap_or_else(|| RwSignal::new(0))
    }

    /// Opens the channel once the page is live, and provides the revision below.
    pub fn provide() {
        let revision = RwSignal::new(0_u64);
        provide_context(Live(revision));
        Effect::new(move |_| {
            #[cfg(feature = "hydrate")]
            open(revision);
        });
    }
}

#[cfg(feature = "hydrate")]
fn open(revision: RwSignal<u64>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new("/events") else {
        return;
    };
    let on_change = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_| {
        revision.update(|n| *n += 1);
    });
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    // The listener lives as long as the page; the source is closed when the shell goes.
    on_change.forget();
    let source = send_wrapper::SendWrapper::new(source);
    on_cleanup(move || source.close());
}
