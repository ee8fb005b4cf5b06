//! sspr-report: rebuilds Microsoft Entra ID self-service password reset (SSPR) flows from the
//! exports administrators already have, and writes pivot-ready reports.
//!
//! The pipeline runs one way: [`ingest`] (detect, decode, parse) → [`model`] (records, flows)
//! → [`metrics`] → [`render`]. [`commands`] wires it to the command line; [`catalog`] holds
//! the knowledge (meaning, cause and fix of every reason, in English and Japanese).

pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod correlate;
pub mod error;
pub mod history;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod render;
pub mod synth;
pub mod time;
