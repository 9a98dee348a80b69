//! Live events: small notes of what changed (a kind and an id, never the data), fanned out to
//! the browsers of the users they concern over server-sent events (`GET /events`). A browser
//! refetches what it shows when one arrives. On PostgreSQL every instance `LISTEN`s and events
//! are `NOTIFY`d, so a change made on one instance reaches browsers connected to another;
//! SQLite has one instance and delivers in-process. The HTTP stream is `event_stream`.

use crate::db::Store;
use app::model::live::{Note, NoteKind};
use axum::response::sse::Event as SseEvent;
use futures::stream::Stream;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// One event. `users` are its receivers (every user when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub users: Vec<i64>,
    /// What changed.
    pub kind: NoteKind,
    pub opportunity_id: Option<i64>,
}

/// The in-process hub of one instance.
pub struct Events {
    store: Arc<dyn Store>,
    local: broadcast::Sender<Event>,
    closing: watch::Sender<bool>,
}

impl Events {
    pub fn new(store: Arc<dyn Store>) -> Arc<Self> {
        let (local, _) = broadcast::channel(1024);
        let (closing, _) = watch::channel(false);
        Arc::new(Self {
            store,
            local,
            closing,
        })
    }

    /// Ends every open stream (so a graceful shutdown does not wait for browsers).
    pub fn close(&self) {
        let _ = self.closing.send(true);
    }

    /// Sends `event` to every instance (through the database on PostgreSQL).
    pub async fn publish(&self, event: Event) {
        let delivered = match serde_json::to_string(&event) {
            Ok(payload) => match self.store.publish_event(&payload).await {
                Ok(notified) => notified,
                Err(e) => {
                    tracing::warn!(error = %e, "event not published; delivering locally");
                    false
                }
            },
            Err(_) => false,
        };
        if !delivered {
            self.deliver(event);
        }
    }

    /// This instance's events, as they are delivered.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }

    /// Hands an event to this instance's streams.
    pub fn deliver(&self, event: Event) {
        // No receiver is not an error: nobody is connected.
        let _ = self.local.send(event);
    }

    /// An opportunity's step changed: everyone it concerns refreshes.
    pub async fn opportunity_changed(&self, store: &dyn Store, id: i64) {
        match store.opportunity_people(id).await {
            Ok(users) if !users.is_empty() => {
                self.publish(Event {
                    users,
                    kind: NoteKind::Task,
                    opportunity_id: Some(id),
                })
                .await
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "no event for opportunity {id}"),
        }
    }

    /// The rankings changed: every browser refreshes what it shows of them.
    pub async fn rankings_changed(&self) {
        self.publish(Event {
            users: Vec::new(),
            kind: NoteKind::Ranking,
            opportunity_id: None,
        })
        .await
    }

    /// An announcement was published, changed or withdrawn: every browser refreshes (the
    /// note names no one; sending it to all keeps a province-wide audience out of the
    /// 8000-byte `NOTIFY` payload, and announcements are rare).
    pub async fn announcements_changed(&self) {
        self.publish(Event {
            users: Vec::new(),
            kind: NoteKind::Announcement,
            opportunity_id: None,
        })
        .await
    }

    /// Something of one user's changed (a message read): their other tabs refresh.
    pub async fn user_changed(&self, user: i64) {
        self.publish(Event {
            users: vec![user],
            kind: NoteKind::Message,
            opportunity_id: None,
        })
        .await
    }

    /// `user`'s sessions were ended: their open pages go to the login.
    pub async fn sessions_ended(&self, user: i64) {
        self.publish(Event {
            users: vec![user],
            kind: NoteKind::SessionEnded,
            opportunity_id: None,
        })
        .await
    }

    /// Listens on PostgreSQL and delivers what any instance published. A lost connection is
    /// made again (every second until it is), and then every browser of this instance is told
    /// it missed notes ([`NoteKind::Lagged`]: it refetches what it shows; the kept rankings
    /// are dropped too), since what was published meanwhile never reached this instance.
    pub fn listen_postgres(self: &Arc<Self>, url: String) {
        let events = self.clone();
        tokio::spawn(async move {
            let mut lost = false;
            loop {
                match sqlx::postgres::PgListener::connect(&url).await {
                    Ok(mut listener) => match listener.listen(crate::db::EVENT_CHANNEL).await {
                        Ok(()) => {
                            if lost {
                                tracing::info!("event listener connected again");
                                events.deliver(Event {
                                    users: vec![],
                                    kind: NoteKind::Lagged,
                                    opportunity_id: None,
                                });
                            }
                            // `try_recv` says when the connection is gone (`recv` would
                            // reconnect silently and the gap would go unnoticed).
                            loop {
                                match listener.try_recv().await {
                                    Ok(Some(n)) => {
                                        if let Ok(event) = serde_json::from_str(n.payload()) {
                                            events.deliver(event);
                                        }
                                    }
                                    Ok(None) => {
                                        tracing::warn!("event listener lost its connection");
                                        break;
                                    }
                                    Err(e) => {
                                        tracing::warn!(error = %e, "event listener lost");
                                        break;
                                    }
                                }
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "LISTEN failed"),
                    },
                    Err(e) => tracing::warn!(error = %e, "event listener cannot connect"),
                }
                lost = true;
                if *events.closing.borrow() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    /// The events for `user`, as a stream that ends when the server closes.
    pub fn stream_for(&self, user: i64) -> impl Stream<Item = Result<SseEvent, Infallible>> {
        let state = (self.local.subscribe(), self.closing.subscribe());
        futures::stream::unfold(state, move |(mut rx, mut closing)| async move {
            loop {
                if *closing.borrow() {
                    return None;
                }
                tokio::select! {
                    received = rx.recv() => match received {
                        Ok(event) if event.users.is_empty() || event.users.contains(&user) => {
                            let note = Note { kind: event.kind, opportunity_id: event.opportunity_id };
                            let data = serde_json::to_string(&note).unwrap_or_default();
                            return Some((Ok(SseEvent::default().event("change").data(data)), (rx, closing)));
                        }
                        Ok(_) => continue,
                        // Missed some: tell the browser to refresh everything.
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            let note = Note { kind: NoteKind::Lagged, opportunity_id: None };
                            let data = serde_json::to_string(&note).unwrap_or_default();
                            return Some((Ok(SseEvent::default().event("change").data(data)), (rx, closing)));
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    _ = closing.changed() => return None,
                }
            }
        })
    }
}
