//! All integration tests, in one binary (one link, one set of fixtures).

mod cli;
mod helpers;
mod import;
mod web;
