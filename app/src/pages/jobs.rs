//! A job's page: a batch or an import running in the background. Its progress comes from the
//! database, so a reload shows where it is; without JavaScript the page reloads itself while the
//! job runs, with it the page asks again every second. Done, it says how many rows succeeded
//! and, for each other row, why not, with the whole list as a report to download.

use crate::api::jobs::load_job;
use crate::i18n::t;
use crate::model::batch::JobView;
use crate::pages::status::record_page;
use crate::paths;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or_default()
        })
    };
    let tick = RwSignal::new(0u32);
    let job = Resource::new(move || (id(), tick.get()), |(id, _)| load_job(id));
    // In the browser: ask again every second while the job runs.
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let running = job
                    .get_untracked()
                    .and_then(Result::ok)
                    .is_none_or(|j| j.running());
                if running {
                    tick.update(|n| *n += 1);
                }
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    record_page(job, |job| view! { <JobBody job/> })
}

#[component]
fn JobBody(job: JobView) -> impl IntoView {
    let status = match job.status.as_str() {
        "running" => "job.running",
        "done" => "job.done",
        _ => "job.failed",
    };
    let report = (job.failed > 0).then(|| paths::JOB_REPORT.of(job.id));
    let rows = job.errors.iter().any(|e| e.row_no.is_some());
    let errors = job.errors.clone();
    view! {
        <section class="page job">
            // Without JavaScript, a running job's page reloads itself (a fixed tag, no user text).
            {job.running().then(|| view! {
                <noscript inner_html=r#"<meta http-equiv="refresh" content="2">"#></noscript>
            })}
            <div class="page-head">
                <h1>{t(&job.title_key)}{(!job.target.is_empty()).then(|| format!("：{}", job.target))}</h1>
                <a href=job.back.clone() class="button secondary">{t("common.back")}</a>
            </div>
            <p class="job-status" data-status=job.status.clone()>
                <strong>{t(status)}</strong>" · "{t("job.started")}" "{job.started.clone()}
            </p>
            <progress max="100" value=job.percent().to_string() aria-label=t("job.progress")></progress>
            <dl class="job-counts">
                <dt>{t("job.processed")}</dt>
                <dd id="job-processed">{job.processed}" / "{job.total}</dd>
                <dt>{t("job.succeeded")}</dt>
                <dd id="job-succeeded">{job.succeeded}</dd>
                <dt>{t("job.failed_rows")}</dt>
                <dd id="job-failed">{job.failed}</dd>
            </dl>
            {report.map(|href| view! {
                <p><a href=href rel="external" download="" class="button secondary">{t("job.report")}</a></p>
            })}
            {(!errors.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="list job-errors">
                        <thead>
                            <tr>
                                {rows.then(|| view! { <th scope="col">{t("job.row")}</th> })}
                                <th scope="col">{t("job.label")}</th>
                                <th scope="col">{t("job.field")}</th>
                                <th scope="col">{t("job.reason")}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {errors.into_iter().map(|e| view! {
                                <tr>
                                    {rows.then(|| view! { <td>{e.row_no.map(|n| n.to_string()).unwrap_or_default()}</td> })}
                                    <td>{e.label}</td>
                                    <td>{(!e.field_key.is_empty()).then(|| t(&e.field_key))}</td>
                                    <td>{t(&e.reason_key)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
