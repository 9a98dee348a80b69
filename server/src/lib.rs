//! The 商机管理系统 server: persistence, authentication, the approval workflow, and the axum
//! application that serves the Leptos app. `main.rs` only reads the configuration and starts it.

#![recursion_limit = "256"]

pub mod api_status;
pub mod auth;
pub mod backup;
pub mod badges;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod db;
pub mod event_stream;
pub mod events;
pub mod forms;
pub mod going_live;
pub mod headers;
pub mod input;
#[cfg(test)]
mod module_graph;
pub mod outreach;
pub mod policy;
pub mod prefs;
pub mod province;
pub mod refusals;
pub mod seed;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod workflow;
