//! The live channel in the browser: one `EventSource` on `/events` per loaded page (it
//! reconnects by itself after a server restart). Each event bumps a revision number that the
//! pages' resources depend on, so what they show is fetched again without a reload. Ranking
//! events (sent to everyone after any approval in the province) bump their own number, so
//! only the rankings are fetched again. On the server, and before hydration, both stay 0.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Live {
    revision: RwSignal<u64>,
    rankings: RwSignal<u64>,
}

impl Live {
    fn get() -> Option<Self> {
        use_context::<Live>()
    }

    /// The revision of the viewer's own data (a fixed 0 outside a live shell).
    pub fn revision() -> RwSignal<u64> {
        Self::get()
            .map(|l| l.revision)
            .unwrap_or_else(|| RwSignal::new(0))
    }

    /// The revision of the province's rankings.
    pub fn rankings() -> RwSignal<u64> {
        Self::get()
            .map(|l| l.rankings)
            .unwrap_or_else(|| RwSignal::new(0))
    }

    /// Opens the channel once the page is live, and provides the revisions below.
    pub fn provide() {
        let live = Live {
            revision: RwSignal::new(0_u64),
            rankings: RwSignal::new(0_u64),
        };
        provide_context(live);
        Effect::new(move |_| {
            #[cfg(feature = "hydrate")]
            open(live);
        });
    }
}

#[cfg(feature = "hydrate")]
fn open(live: Live) {
    use crate::model::live::Note;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new("/events") else {
        return;
    };
    let on_change =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let note = Note::read(&e.data().as_string().unwrap_or_default());
            if note.kind == crate::model::live::NoteKind::SessionEnded {
                // The session is gone on the server: nothing on this page works any more.
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(crate::paths::LOGIN.path());
                }
                return;
            }
            if note.kind.refreshes_rankings() {
                live.rankings.update(|n| *n += 1);
            }
            if note.kind.refreshes_own_data() {
                live.revision.update(|n| *n += 1);
            }
        });
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    // The listener lives as long as the page; the source is closed when the shell goes.
    on_change.forget();
    let source = send_wrapper::SendWrapper::new(source);
    on_cleanup(move || source.close());
}
