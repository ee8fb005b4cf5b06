//! sspr-report: rebuilds Microsoft Entra ID self-service password reset (SSPR) flows from the
//! exports administrators already have, and writes pivot-ready reports.
//!
//! The pipeline runs one way: [`ingest`] (detect, decode, parse into the model's record types)
//! → [`model`] (flows, operations, the account of the inputs) → [`correlate`] → [`metrics`] →
//! [`render`]. [`commands`] wires it to the command line through [`config`]; [`catalog`] (the
//! meaning, cause and fix of every reason, in English and Japanese) and [`time`] (periods, local
//! days) lie below everything. `layering.rs` holds the graph and a test that keeps it one-way.

pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod config_file;
pub mod correlate;
pub mod error;
pub mod history;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod render;
pub mod synth;
pub mod time;

#[cfg(test)]
mod layering;
