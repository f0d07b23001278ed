//! `readout`: parse the command line, start tracing, dispatch.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = readout::cli::Cli::parse();
    // Logs go to stderr so `readout export > out.json` stays clean.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        // Stderr, around an import's progress bar.
        .with_writer(|| readout::cli::LogWriter)
        // Colour codes only for a person at a terminal, not in captured logs.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match readout::cli::run(cli).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
