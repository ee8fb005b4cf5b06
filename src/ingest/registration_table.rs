//! Registration snapshots as tables: the portal's "User registration details" download (CSV or
//! workbook: `User principal name`, `SSPR Registered` = `Registered`/`Not Registered`, `Methods
//! registered`, `Last Updated Time`, …) and Graph `userRegistrationDetails` flattened to CSV by a
//! script (`userPrincipalName`, `isSsprRegistered` = `True`/`False`, `methodsRegistered` joined
//! with `, `). The exact portal header is not published (formats.md §3.1), so headers bind
//! loosely: case, spaces and punctuation do not matter.

use super::audit_csv::Row;
use super::timestamp::{self, DayOrder};
use crate::model::audit::{Origin, user_key};
use crate::model::methods;
use crate::model::registration::{SnapshotRow, parse_flag};

/// Column positions of a registration table.
#[derive(Debug, Clone)]
pub struct RegistrationBinding {
    /// Number of header columns.
    pub width: usize,
    /// Order of `a/b/yyyy` dates in `Last Updated Time`.
    pub day_order: DayOrder,
    /// Header in Graph property names (a flattened API export) rather than portal words.
    graph_names: bool,
    upn: usize,
    display: Option<usize>,
    registered: Option<usize>,
    enabled: Option<usize>,
    capable: Option<usize>,
    methods: Option<usize>,
    updated: Option<usize>,
}

/// Header reduced to letters and digits, lower case: `SSPR Registered` → `ssprregistered`.
pub fn loose_key(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Binds a registration-details header, or `None`.
pub fn bind(headers: &[String]) -> Option<RegistrationBinding> {
    let keys: Vec<String> = headers.iter().map(|h| loose_key(h)).collect();
    let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
    let upn = find(&["userprincipalname", "upn"])?;
    let registered = find(&["ssprregistered", "isssprregistered"]);
    let enabled = find(&["ssprenabled", "isssprenabled"]);
    let capable = find(&["ssprcapable", "isssprcapable"]);
    let methods = find(&["methodsregistered"]);
    if registered.is_none() && enabled.is_none() && capable.is_none() {
        return None;
    }
    Some(RegistrationBinding {
        width: headers.len(),
        day_order: DayOrder::default(),
        graph_names: keys.iter().any(|k| k.starts_with("issspr")),
        upn,
        display: find(&["name", "userdisplayname", "displayname"]),
        registered,
        enabled,
        capable,
        methods,
        updated: find(&["lastupdatedtime", "lastupdateddatetime", "lastupdated"]),
    })
}

/// What one row of a registration table turned out to be.
pub enum RowVerdict {
    /// A user's row.
    Row(Box<SnapshotRow>),
    /// A service identity (no person to report on).
    NotAUser,
}

impl RegistrationBinding {
    /// Format name for `inspect`.
    pub fn label(&self) -> String {
        if self.graph_names {
            "Graph userRegistrationDetails flattened to a table".into()
        } else {
            "portal User registration details".into()
        }
    }

    /// Column of the row's time, for deciding the day/month order.
    pub fn time_column(&self) -> Option<usize> {
        self.updated
    }

    /// Reads one data row.
    pub fn row<R: Row>(&self, row: &R, origin: Origin) -> Result<RowVerdict, String> {
        let upn = row.text(self.upn)?.trim();
        if upn.is_empty() {
            return Err("missing user principal name".into());
        }
        let Some(user) = user_key(Some(upn)) else {
            return Ok(RowVerdict::NotAUser);
        };
        let flag = |i: Option<usize>, name: &str| -> Result<Option<bool>, String> {
            match i {
                Some(i) => parse_flag(row.text(i)?).map_err(|e| format!("{name}: {e}")),
                None => Ok(None),
            }
        };
        let updated = match self.updated {
            Some(i) => {
                let text = row.text(i)?.trim();
                if text.is_empty() {
                    None
                } else {
                    Some(
                        timestamp::parse_utc_ordered(text, self.day_order).ok_or_else(|| {
                            format!(
                                "Last Updated Time '{}' is not a timestamp",
                                super::record::shorten(text)
                            )
                        })?,
                    )
                }
            }
            None => None,
        };
        let display = match self.display {
            Some(i) => Some(row.text(i)?.trim().to_string()).filter(|s| !s.is_empty()),
            None => None,
        };
        let methods = match self.methods {
            Some(i) => methods::split_list(row.text(i)?),
            None => Vec::new(),
        };
        Ok(RowVerdict::Row(Box::new(SnapshotRow {
            user,
            display_name: display,
            sspr_registered: flag(self.registered, "SSPR Registered")?,
            sspr_enabled: flag(self.enabled, "SSPR Enabled")?,
            sspr_capable: flag(self.capable, "SSPR Capable")?,
            methods,
            updated_at: updated,
            origin,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    fn origin() -> Origin {
        Origin {
            file: 0,
            location: "line 2".into(),
        }
    }

    #[test]
    fn portal_header_and_values() {
        let b = bind(&headers(&[
            "\u{feff}User principal name",
            "Name",
            "MFA Capable",
            "SSPR Registered",
            "SSPR Enabled",
            "SSPR Capable",
            "Methods registered",
            "Last Updated Time",
        ]))
        .expect("binds");
        assert_eq!(b.label(), "portal User registration details");
        let row = headers(&[
            "Taro.Yamada@contoso.co.jp",
            "山田 太郎",
            "Capable",
            "Registered",
            "Enabled",
            "Capable",
            "Mobile phone, Microsoft Authenticator app",
            "2026-10-31T21:04:11Z",
        ]);
        let RowVerdict::Row(r) = b.row(&row, origin()).expect("row") else {
            panic!("a user row");
        };
        assert_eq!(r.user, "taro.yamada@contoso.co.jp");
        assert_eq!(r.sspr_registered, Some(true));
        assert_eq!(
            r.methods,
            ["Microsoft Authenticator app", "Mobile phone"].map(String::from)
        );
        assert!(r.updated_at.is_some());
    }

    #[test]
    fn flattened_graph_header() {
        let b = bind(&headers(&[
            "userPrincipalName",
            "userDisplayName",
            "isSsprRegistered",
            "isSsprEnabled",
            "isSsprCapable",
            "methodsRegistered",
        ]))
        .expect("binds");
        assert!(b.label().contains("Graph"));
        let row = headers(&["a@x.jp", "A", "True", "False", "False", "mobilePhone"]);
        let RowVerdict::Row(r) = b.row(&row, origin()).expect("row") else {
            panic!("a user row");
        };
        assert_eq!(r.sspr_enabled, Some(false));
        assert_eq!(r.methods, ["Mobile phone"]);
    }

    #[test]
    fn bad_rows_are_errors_with_reasons() {
        let b = bind(&headers(&["User principal name", "SSPR Registered"])).expect("binds");
        let err = |cells: &[&str]| b.row(&headers(cells), origin()).err().unwrap_or_default();
        assert_eq!(err(&["", "Registered"]), "missing user principal name");
        assert!(err(&["a@x.jp", "perhaps"]).contains("SSPR Registered"));
        assert!(matches!(
            b.row(
                &headers(&["Sync_CONNECT01_1@x.onmicrosoft.com", "Registered"]),
                origin()
            ),
            Ok(RowVerdict::NotAUser)
        ));
    }

    #[test]
    fn other_tables_do_not_bind() {
        assert!(
            bind(&headers(&[
                "User principal name",
                "Licenses",
                "DirSyncEnabled"
            ]))
            .is_none()
        );
    }
}
