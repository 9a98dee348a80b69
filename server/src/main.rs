use server::{config::Settings, startup::Application, telemetry};

// glibc's allocator kept the memory of freed password hashes (argon2 takes 19 MiB each, on
// blocking threads with arenas of their own): 215 MB more RSS after seeding 14 users. mimalloc
// gives freed memory back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
