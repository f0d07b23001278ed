//! Rebuilds when files embedded at compile time change: `sqlx::migrate!`,
//! `include_dir!` and `include_str!` do not always notice a file added to
//! a folder they read.

fn main() {
    for dir in ["migrations", "samples", "data", "static", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
