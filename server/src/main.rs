use server::{config::Settings, startup::Application, telemetry};

// glibc's allocator kept the memory of freed password hashes (argon2 takes 19 MiB each, on
// blocking threads with arenas of their own): 215 MB more RSS after seeding 14 users. mimalloc
// gives freed memory back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  server                    serve (settings from the environment, see README)
  server create-admin --login LOGIN [--name 姓名] [--province 省公司名称]
                            create the first 系统管理员 of the database at DATABASE_URL;
                            the password comes from BIZOPP_ADMIN_PASSWORD or is asked for
  server backup FILE        write a consistent copy of the database at DATABASE_URL to FILE,
                            while the app serves (SQLite: VACUUM INTO; PostgreSQL: pg_dump)
  server restore FILE       put the backup FILE in place of the database at DATABASE_URL;
                            every instance stopped first; the old database is kept beside it";

// A worker per core: pages were once seen to hang with fewer than four, but that was Leptos'
// route generation holding every resource (see `startup::routes`), not the runtime's size.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => serve().await,
        Some("create-admin") => create_admin(&args[1..]).await,
        Some("backup") if args.len() == 2 => backup(&args[1]).await,
        Some("restore") if args.len() == 2 => restore(&args[1]).await,
        Some(_) => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

async fn serve() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let app = Application::build(settings).await?;
    tracing::info!("listening on http://{}", app.address());
    app.run_until_stopped().await?;
    Ok(())
}

async fn create_admin(args: &[String]) -> anyhow::Result<()> {
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(login) = option("--login") else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let password = match std::env::var("BIZOPP_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let first = rpassword::prompt_password("password for the first 系统管理员: ")?;
            let again = rpassword::prompt_password("the same again: ")?;
            if first != again {
                anyhow::bail!("the two passwords differ");
            }
            first
        }
    };
    let settings = Settings::from_env()?;
    let store = server::db::connect(&settings.database_url).await?;
    let admin = server::going_live::FirstAdmin {
        login,
        name: option("--name").unwrap_or_default(),
        province: option("--province").unwrap_or_else(|| server::seed::PROVINCE.to_owned()),
        password,
    };
    let user = server::going_live::create_first_admin(&*store, &admin, chrono::Utc::now()).await?;
    println!("created 系统管理员 {} (id {})", user.login, user.id);
    Ok(())
}

async fn backup(file: &str) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let counts = server::backup::backup(&settings.database_url, file.as_ref()).await?;
    print_counts(&counts);
    println!("backup written to {file}");
    Ok(())
}

async fn restore(file: &str) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let restored = server::backup::restore(&settings.database_url, file.as_ref()).await?;
    print_counts(&restored.counts);
    println!("restored {file}");
    if let Some(kept) = restored.kept {
        println!("the database it replaced is kept as {kept}");
    }
    Ok(())
}

fn print_counts(counts: &server::backup::Counts) {
    for (table, rows) in counts {
        println!("{rows:>12}  {table}");
    }
}
