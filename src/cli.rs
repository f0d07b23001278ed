//! The command line: `readout [serve]`, `readout import`, `readout rebuild`,
//! `readout export`.
//! Each command opens the database, does its one job through the library,
//! and turns the outcome into output and an exit code.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::LazyLock;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::db::import::{self, DocumentReport, ImportOutcome, Progress, Stage};
use crate::db::version::Extractor;
use crate::db::{rebuild, Db};
use crate::export::{ExportError, Exporter, Format};
use crate::gazetteer::Gazetteer;
use crate::limits::{self, Limits};
use crate::query::{self, PageRequest, MAX_LIMIT};

/// Turns diplomatic fact sheets, readouts and news reports into a browsable
/// timeline of engagements.
#[derive(Debug, Parser)]
#[command(name = "readout", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command, `readout` serves, taking the options of `serve`.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the timeline at http://ADDR (the default command).
    Serve(ServeArgs),
    /// Import documents: files, or folders searched recursively for *.txt and *.md.
    Import(ImportArgs),
    /// Re-read every stored document with this version's extractor and
    /// gazetteer, and resolve every engagement again.
    Rebuild(RebuildArgs),
    /// Write the engagements to stdout as JSON or CSV, with the web's filters.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct RebuildArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub data: DataArg,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args)]
pub struct DbArg {
    /// The SQLite database file.
    #[arg(long, env = "READOUT_DB", default_value = "readout.db")]
    pub db: PathBuf,
}

#[derive(Debug, Args)]
pub struct DataArg {
    /// A folder of extra gazetteer files (countries.tsv, titles.tsv …) whose
    /// rows extend the built-in ones.
    #[arg(long, env = "READOUT_DATA")]
    pub data: Option<PathBuf>,
}

/// Bounds on one document (see `crate::limits`); a document beyond one is
/// refused with the file's name and the limit.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Largest document file, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = limits::DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
    /// Longest line of a document, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = limits::DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,
    /// Most items (bullets, dated entries, sentences) in one document.
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_ITEMS)]
    pub max_items: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_line_bytes: self.max_line_bytes,
            max_items: self.max_items,
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub data: DataArg,
    /// Bounds for the documents re-read on start.
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub data: DataArg,
    /// Show how the extractor reads each document (for debugging extraction).
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Files or folders to import.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Json,
    Csv,
    Ics,
    Atom,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, value_enum, default_value = "json")]
    pub format: FormatArg,
    // The filters stay text here so `query::parse_params` validates them
    // exactly as it does the web's query strings.
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    /// A foreign person, country or organisation (slug or name).
    #[arg(long)]
    pub counterpart: Option<String>,
    /// A U.S. participant (slug or name).
    #[arg(long)]
    pub official: Option<String>,
    /// A counterpart country.
    #[arg(long)]
    pub country: Option<String>,
    /// call, video_call, meeting or visit.
    #[arg(long)]
    pub kind: Option<String>,
    /// held or planned.
    #[arg(long)]
    pub status: Option<String>,
    /// Text in the excerpts.
    #[arg(long)]
    pub q: Option<String>,
}

impl ExportArgs {
    /// The filters as the web would receive them in a query string.
    fn params(&self) -> Vec<(String, String)> {
        [
            ("from", &self.from),
            ("to", &self.to),
            ("counterpart", &self.counterpart),
            ("official", &self.official),
            ("country", &self.country),
            ("kind", &self.kind),
            ("status", &self.status),
            ("q", &self.q),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_string(), value.clone()?)))
        .collect()
    }
}

/// Runs the parsed command line; the exit code says whether it all worked.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Import(args)) => import(args).await,
        Some(Command::Rebuild(args)) => rebuild_all(args).await,
        Some(Command::Export(args)) => export(args).await,
    }
}

fn load_extractor(data: &DataArg, limits: &LimitArgs) -> anyhow::Result<Extractor> {
    Ok(Extractor::load(data.data.as_deref())
        .context("cannot load the gazetteer")?
        .with_limits(limits.limits()))
}

async fn open(path: &Path) -> anyhow::Result<Db> {
    Db::open(path)
        .await
        .with_context(|| format!("cannot open the database {}", path.display()))
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let extractor = load_extractor(&args.data, &args.limits)?;
    let db = open(&args.db.db).await?;
    let prepared = rebuild::prepare_to_serve(&db, &extractor)
        .await
        .context("cannot prepare the database")?;
    if !prepared.samples.is_empty() {
        let imported = prepared.samples.iter().filter(|(_, r)| r.is_ok()).count();
        tracing::info!("the database was empty: imported {imported} sample documents");
    }
    if prepared.reparsed.documents > 0 {
        tracing::info!(
            "refreshed {} documents that an older version (or other gazetteer data) had read",
            prepared.reparsed.documents
        );
    }
    // `web::serve` logs the URL to open once the port is bound.
    let state = crate::web::AppState::new(db)
        .with_gazetteer(std::sync::Arc::new(extractor.gazetteer().clone()));
    crate::web::serve(state, args.addr)
        .await
        .with_context(|| format!("cannot serve on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let extractor = load_extractor(&args.data, &args.limits)?;
    let db = open(&args.db.db).await?;
    let mut stdout = std::io::stdout().lock();
    if args.explain {
        explain(&args.paths, &extractor, &mut stdout)?;
    }
    let mut write_error = None;
    let bar = progress_bar();
    let summary = import::import_paths(
        &db,
        &args.paths,
        &extractor,
        |progress| show_progress(&bar, progress),
        |report| {
            if let Err(err) = writeln!(stdout, "{}", report_line(report)) {
                write_error.get_or_insert(err);
            }
        },
    )
    .await;
    bar.finish_and_clear();
    let summary = summary.context("the import failed")?;
    // Documents outside this import that an older version had read.
    let reparsed = match summary.reparsed.documents {
        0 => String::new(),
        n => format!("{} re-parsed; ", plural(n, "stored document")),
    };
    writeln!(
        stdout,
        "imported {}, unchanged {}, failed {}; {reparsed}{} in the database",
        summary.imported,
        summary.unchanged,
        summary.failed,
        plural(summary.rebuild.engagements, "engagement")
    )?;
    if let Some(err) = write_error {
        return Err(err.into());
    }
    Ok(if summary.all_imported() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn rebuild_all(args: RebuildArgs) -> anyhow::Result<ExitCode> {
    let extractor = load_extractor(&args.data, &args.limits)?;
    let db = open(&args.db.db).await?;
    let bar = progress_bar();
    let reparsed = import::reparse_all(&db, &extractor, |progress| show_progress(&bar, progress))
        .await
        .context("cannot re-read the stored documents")?;
    show_progress(&bar, Progress::Stage(Stage::Rebuild, 0));
    let stats = rebuild::rebuild(&db, extractor.gazetteer())
        .await
        .context("cannot resolve the engagements")?;
    bar.finish_and_clear();
    println!(
        "re-read {}, failed {}; {} in the database",
        plural(reparsed.documents, "document"),
        reparsed.failed,
        plural(stats.engagements, "engagement")
    );
    Ok(if reparsed.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints how the extractor reads each document, ahead of the import
/// report. A file that cannot be read or parsed is skipped here: the import
/// reports why.
fn explain(paths: &[PathBuf], extractor: &Extractor, out: &mut impl Write) -> anyhow::Result<()> {
    for path in import::document_files(paths).into_iter().flatten() {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(text) = limits::decode(&bytes, extractor.limits()) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if let Ok(trace) = crate::ingest::explain(&name, &text, extractor.gazetteer()) {
            writeln!(out, "{}", trace.trim_end())?;
            explain_dropped(&name, &text, extractor.gazetteer(), out)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// The engagements the document's mentions make on their own, and those
/// resolution drops as not diplomacy (domestic, foreign only), with why.
fn explain_dropped(
    name: &str,
    text: &str,
    gazetteer: &crate::gazetteer::Gazetteer,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let Ok(parsed) = crate::ingest::parse(name, text, gazetteer) else {
        return Ok(());
    };
    let mentions: Vec<(String, crate::model::Mention)> = parsed
        .mentions
        .into_iter()
        .map(|m| (name.to_string(), m))
        .collect();
    let (kept, dropped) = crate::resolve::resolve_with_dropped(&mentions, gazetteer);
    writeln!(out, "resolved alone: {} kept", kept.len())?;
    for (engagement, reason) in dropped {
        let who: Vec<&str> = engagement
            .participants
            .iter()
            .map(|p| p.actor.name.as_str())
            .chain(engagement.organizations.iter().map(|o| o.name.as_str()))
            .collect();
        writeln!(
            out,
            "    => dropped {} {} [{}]: {}",
            engagement.date.map_or("undated".into(), |d| d.to_string()),
            engagement.kind,
            who.join(", "),
            reason.describe()
        )?;
    }
    Ok(())
}

/// `name  shape  N engagements`, or `name  FAILED: reason`.
fn report_line(report: &DocumentReport) -> String {
    match &report.result {
        Ok(done) => {
            let note = match done.outcome {
                ImportOutcome::Imported { .. } => "",
                ImportOutcome::Replaced { .. } => "  (replaced)",
                ImportOutcome::Reparsed { .. } => "  (reparsed)",
                ImportOutcome::Unchanged { .. } => "  (unchanged)",
            };
            format!(
                "{}  {}  {}{note}",
                report.name,
                done.outcome.shape(),
                plural(done.engagements, "engagement")
            )
        }
        Err(err) => format!("{}  FAILED: {}", report.name, err.reason),
    }
}

/// Progress bars on stderr. Log lines go through [`LogWriter`], which
/// lifts the bars out of the way while a line is written.
static PROGRESS: LazyLock<MultiProgress> = LazyLock::new(MultiProgress::new);

/// An import's progress bar: drawn only for a person at a terminal, so
/// captured or piped stderr stays a plain log.
fn progress_bar() -> ProgressBar {
    if std::io::stderr().is_terminal() {
        PROGRESS.add(ProgressBar::new(0))
    } else {
        ProgressBar::hidden()
    }
}

fn show_progress(bar: &ProgressBar, progress: Progress<'_>) {
    match progress {
        Progress::Stage(stage, steps) => {
            let (style, prefix) = match stage {
                Stage::Files => (counted_style(), "importing"),
                Stage::Reparse => (counted_style(), "re-parsing stored documents"),
                Stage::Rebuild => (spinner_style(), "resolving engagements"),
            };
            bar.reset();
            bar.set_style(style);
            bar.set_prefix(prefix);
            bar.set_message("");
            bar.set_length(steps as u64);
            if stage == Stage::Rebuild {
                bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
        Progress::Step(name) => {
            bar.inc(1);
            bar.set_message(name.to_string());
        }
    }
}

fn counted_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
        .expect("a valid progress template")
        .progress_chars("=> ")
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix} {elapsed}").expect("a valid progress template")
}

/// Writes log lines to stderr around any progress bar (see `main.rs`).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // The log formats each line whole before writing it, so one
        // suspension covers the line.
        PROGRESS.suspend(|| std::io::stderr().write_all(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let (given, _) = query::parse_params(&args.params(), &[])?;
    // Names resolve as on the web ("--country UK").
    let (filter, _) = given.resolve(&Gazetteer::builtin());
    // Opening creates a missing file; an export from a mistyped path should
    // say so rather than print an empty list.
    if !args.db.db.exists() {
        bail!(
            "no database at {} (import documents first, or pass --db)",
            args.db.db.display()
        );
    }
    let db = open(&args.db.db).await?;
    let format = match args.format {
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Ics => Format::Ics,
        FormatArg::Atom => Format::Atom,
    };
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = async {
        let mut exporter = Exporter::new(format, stdout)?;
        let mut page = PageRequest {
            limit: MAX_LIMIT,
            ..PageRequest::default()
        };
        loop {
            let batch = crate::db::engagements::list(&db, &filter, &page).await?;
            exporter.write(&batch.engagements)?;
            match batch.next {
                Some(cursor) => page.cursor = Some(cursor),
                None => break,
            }
        }
        exporter.finish()?;
        anyhow::Ok(())
    }
    .await;
    match written {
        // `readout export | head` closing the pipe early is not a failure.
        Err(err) if is_broken_pipe(&err) => Ok(ExitCode::SUCCESS),
        Err(err) => Err(err),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            match cause.downcast_ref::<ExportError>() {
                Some(ExportError::Io(io)) => Some(io),
                _ => None,
            }
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("readout").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn no_command_means_serve_on_the_local_port() {
        let cli = parse(&[]);
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.addr.to_string(), "127.0.0.1:3000");
    }

    #[test]
    fn serve_options_work_without_the_command_name() {
        let cli = parse(&["--addr", "0.0.0.0:8080", "--db", "/tmp/x.db"]);
        assert_eq!(cli.serve.addr.to_string(), "0.0.0.0:8080");
        assert_eq!(cli.serve.db.db, PathBuf::from("/tmp/x.db"));
    }

    #[test]
    fn import_needs_at_least_one_path() {
        assert!(Cli::try_parse_from(["readout", "import"]).is_err());
        let cli = parse(&["import", "--explain", "a.txt", "docs"]);
        let Some(Command::Import(args)) = cli.command else {
            panic!("not an import")
        };
        assert!(args.explain);
        assert_eq!(args.paths.len(), 2);
    }

    #[test]
    fn export_flags_become_the_webs_query_parameters() {
        let cli = parse(&["export", "--kind", "call", "--from", "2021-12-01"]);
        let Some(Command::Export(args)) = cli.command else {
            panic!("not an export")
        };
        let params = args.params();
        assert_eq!(params.len(), 2);
        assert!(params.contains(&("kind".to_string(), "call".to_string())));
        let (filter, _) = query::parse_params(&params, &[]).unwrap();
        assert_eq!(filter.kind.any, vec![crate::model::Kind::Call]);
    }

    #[test]
    fn one_engagement_is_singular() {
        assert_eq!(plural(1, "engagement"), "1 engagement");
        assert_eq!(plural(0, "engagement"), "0 engagements");
    }
}
