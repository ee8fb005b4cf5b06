//! Licence lists as tables: the Microsoft 365 admin center "Active users → Export users" CSV
//! (`User principal name`, `Licenses` = products joined with `+` or `Unlicensed`,
//! `DirSyncEnabled` = `True`/`False`; column set and order vary between exports, formats.md
//! §4.4). Headers bind loosely, like the registration table.

use super::audit_csv::Row;
use super::registration_table::loose_key;
use crate::model::audit::{Origin, user_key};
use crate::model::license::{LicenseRow, parse_license_cell};
use crate::model::registration::parse_flag;

/// Column positions of an Active users export.
#[derive(Debug, Clone)]
pub struct LicenseBinding {
    /// Number of header columns.
    pub width: usize,
    upn: usize,
    licenses: usize,
    synced: Option<usize>,
    display: Option<usize>,
}

/// Binds an Active users header, or `None`.
pub fn bind(headers: &[String]) -> Option<LicenseBinding> {
    let keys: Vec<String> = headers.iter().map(|h| loose_key(h)).collect();
    let find = |names: &[&str]| keys.iter().position(|k| names.contains(&k.as_str()));
    Some(LicenseBinding {
        width: headers.len(),
        upn: find(&["userprincipalname", "upn"])?,
        // Unverified Japanese spellings are not guessed: the column names are not published.
        licenses: find(&["licenses", "license", "assignedlicenses"])?,
        synced: find(&["dirsyncenabled", "onpremisessyncenabled"]),
        display: find(&["displayname", "name"]),
    })
}

/// What one row of a licence list turned out to be.
pub enum LicenseVerdict {
    /// A user's row.
    Row(Box<LicenseRow>),
    /// A service identity (the Connect sync account is a user in this export).
    NotAUser,
}

impl LicenseBinding {
    /// Format name for `inspect`.
    pub fn label(&self) -> String {
        "Microsoft 365 admin center Active users".into()
    }

    /// Reads one data row.
    pub fn row<R: Row>(&self, row: &R, origin: Origin) -> Result<LicenseVerdict, String> {
        let upn = row.text(self.upn)?.trim();
        if upn.is_empty() {
            return Err("missing user principal name".into());
        }
        let Some(user) = user_key(Some(upn)) else {
            return Ok(LicenseVerdict::NotAUser);
        };
        let synced = match self.synced {
            Some(i) => parse_flag(row.text(i)?).map_err(|e| format!("DirSyncEnabled: {e}"))?,
            None => None,
        };
        let display_name = match self.display {
            Some(i) => Some(row.text(i)?.trim().to_string()).filter(|s| !s.is_empty()),
            None => None,
        };
        Ok(LicenseVerdict::Row(Box::new(LicenseRow {
            user,
            display_name,
            synced,
            licenses: parse_license_cell(row.text(self.licenses)?),
            origin,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn active_users_rows() {
        let b = bind(&cells(&[
            "Block credential",
            "City",
            "DirSyncEnabled",
            "Display name",
            "Licenses",
            "User principal name",
        ]))
        .expect("binds");
        let origin = Origin {
            file: 0,
            location: "line 2".into(),
        };
        let row = cells(&[
            "False",
            "Tokyo",
            "True",
            "山田 太郎",
            "Microsoft 365 E3+Enterprise Mobility + Security E3",
            "Taro.Yamada@contoso.co.jp",
        ]);
        let Ok(LicenseVerdict::Row(r)) = b.row(&row, origin.clone()) else {
            panic!("a user row");
        };
        assert_eq!(r.user, "taro.yamada@contoso.co.jp");
        assert_eq!(r.synced, Some(true));
        assert_eq!(r.licenses.len(), 2);
        let bad = cells(&["False", "", "sometimes", "", "Unlicensed", "a@x.jp"]);
        assert!(
            b.row(&bad, origin.clone())
                .err()
                .is_some_and(|e| e.contains("DirSyncEnabled"))
        );
        let sync = cells(&[
            "False",
            "",
            "False",
            "",
            "Unlicensed",
            "Sync_CONNECT01_1@x.onmicrosoft.com",
        ]);
        assert!(matches!(b.row(&sync, origin), Ok(LicenseVerdict::NotAUser)));
    }
}
