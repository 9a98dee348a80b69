use server::{config::Settings, startup::Application, telemetry};

fn main() -> anyhow::Result<()> {
    // At least four workers even on a small machine: a server-rendered page waits on several
    // futures at once, and starving them on one or two threads stalls responses.
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().max(4));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()?
        .block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    telemetry::init();
    let settings = Settings::from_env()?;
    let app = Application::build(settings).await?;
    tracing::info!("listening on http://{}", app.address());
    app.run_until_stopped().await?;
    Ok(())
}
