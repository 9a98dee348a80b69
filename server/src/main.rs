use server::{config::Settings, startup::Application, telemetry};

// A worker per core: pages were once seen to hang with fewer than four, but that was Leptos'
// route generation holding every resource (see `startup::routes`), not the runtime's size.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let settings = Settings::from_env()?;
    let app = Application::build(settings).await?;
    tracing::info!("listening on http://{}", app.address());
    app.run_until_stopped().await?;
    Ok(())
}
