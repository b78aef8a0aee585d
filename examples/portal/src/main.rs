//! `ebok-portal`: the reference e-BOK portal.
//!
//! ```text
//! cargo run --release -p ebok-portal -- --demo                 # the sample cooperative on 127.0.0.1:8080
//! cargo run --release -p ebok-portal -- --db sqlite://ebok.db  # a database file (created when missing)
//! cargo run --release -p ebok-portal -- --db sqlite://ebok.db --add-staff NAME   # prints a password
//! ```

use std::net::SocketAddr;
use std::sync::Arc;

use ebok_portal::app::{App, Config};
use ebok_portal::store::Store;

struct Args {
    demo: bool,
    db: Option<String>,
    listen: SocketAddr,
    add_staff: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        demo: false,
        db: None,
        listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
        add_staff: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--demo" => a.demo = true,
            "--db" => a.db = Some(it.next().ok_or("--db needs a URL")?),
            "--listen" => {
                a.listen = it
                    .next()
                    .ok_or("--listen needs an address")?
                    .parse()
                    .map_err(|e| format!("--listen: {e}"))?
            }
            "--add-staff" => a.add_staff = Some(it.next().ok_or("--add-staff needs a name")?),
            "-h" | "--help" => {
                println!(
                    "ebok-portal [--demo] [--db sqlite://FILE | postgres://…] [--listen ADDR] [--add-staff NAME]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("ebok-portal: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let db = args.db.clone().unwrap_or_else(|| {
        if args.demo {
            let path =
                std::env::temp_dir().join(format!("ebok-portal-demo-{}.db", std::process::id()));
            format!("sqlite://{}", path.display())
        } else {
            "sqlite://ebok-portal.db".to_owned()
        }
    });
    let store = Store::open(&db).await?;
    let config = if args.demo {
        Config::demo()
    } else {
        Config::production()
    };
    let clock = Arc::new(time::OffsetDateTime::now_utc);
    let app = App::new(config, store, clock).await.map_err(|e| e.0)?;
    if let Some(name) = args.add_staff {
        let password = zeroize::Zeroizing::new(ebok_portal::web::random_token()[..20].to_owned());
        app.add_staff(&name, password.clone())
            .await
            .map_err(|e| e.0)?;
        println!("staff {name}: password {}", password.as_str());
        return Ok(());
    }
    if args.demo {
        if !args.listen.ip().is_loopback() {
            return Err(
                "demo mode serves the loopback address only (cookies without Secure)".into(),
            );
        }
        let logins = ebok_portal::demo::prepare(&app).await.map_err(|e| e.0)?;
        println!("e-BOK demo on http://{} (database {db})", args.listen);
        println!(
            "  resident: identifier {} one-time password {}",
            logins.resident,
            logins.otp.as_str()
        );
        println!(
            "  office:   http://{}/biuro/login  name {} password {}",
            args.listen,
            logins.staff,
            logins.staff_password.as_str()
        );
    } else if app.read(|c| c.registry.is_empty()) {
        println!(
            "e-BOK on http://{} (database {db}): no data yet, waiting for a snapshot import at /biuro/import",
            args.listen
        );
    } else {
        println!("e-BOK on http://{} (database {db})", args.listen);
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    // Every 2 s: the inputs other instances sharing the database stored (PostgreSQL behind a
    // load balancer); every 5 minutes: expired sessions removed.
    let background = Arc::clone(&app);
    tokio::spawn(async move {
        for tick in 1u64.. {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            if let Err(e) = background.catch_up().await {
                eprintln!("ebok-portal: catching up with the database: {e}");
            }
            if tick % 150 == 0 {
                let _ = background
                    .store
                    .purge_sessions(background.now().unix_timestamp())
                    .await;
            }
        }
    });
    axum::serve(
        listener,
        ebok_portal::web::router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
