//! Black-box tests of the real server: each starts the application on port 0 with a fresh
//! database (copied from a migrated, seeded template) and talks to it over HTTP, the same
//! suite on SQLite and on PostgreSQL. One binary, so it links once.

mod helpers;

mod access;
mod access_depth;
mod activities;
mod activity_changes;
mod activity_list;
mod activity_todo;
mod admin_audit;
mod admin_dictionaries;
mod admin_org;
mod admin_roles;
mod admin_routing;
mod admin_users;
mod analysis;
mod announcements;
mod attachments;
mod auth;
mod backup;
mod batch;
mod crashes;
mod customer_pages;
mod customers;
mod evaluations;
mod export;
mod filing;
mod filing_races;
mod foundation;
mod fuzz;
mod import;
mod instances;
mod lifecycle;
mod lists;
mod live;
mod merge;
mod milestones;
mod outreach;
mod pages;
mod people_lookup;
mod processes;
mod profile;
mod province;
mod quotes;
mod races;
mod rankings;
mod record_files;
mod relations;
mod rendering;
mod security_access;
mod security_http;
mod security_input;
mod stored_codes;
mod transfer;
mod warnings;
