//! All integration tests, in one binary (one link, one set of fixtures).

mod browse;
mod cli;
mod devset;
mod eval;
mod heldout;
mod helpers;
mod hostile;
mod import;
mod pending;
mod scorer;
mod web;
