//! All integration tests, in one binary (one link, one set of fixtures).

mod browse;
mod cli;
mod concurrency;
mod crash;
mod devset;
mod eval;
mod fuzz;
mod heldout;
mod helpers;
mod hostile;
mod hostile_folder;
mod import;
mod pending;
mod scorer;
mod views;
mod web;
