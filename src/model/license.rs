//! Licences: who holds which product, and whether that gives Entra ID P1-level entitlement (the
//! licence SSPR with on-premises writeback needs, formats.md §4.1).
//!
//! The rule (formats.md §4.2): a licence gives P1 when it includes the service plan
//! `AAD_PREMIUM` and that plan is not disabled. Plans come, in order of trust, from the export
//! itself (Graph `licenseDetails`), from a `subscribedSkus` / `licenseDetails` input, and only
//! then from the table below. A product none of these knows leaves the entitlement unknown: the
//! report says so rather than guess.

use crate::model::audit::Origin;
use std::collections::BTreeMap;

/// Service plan id of `AAD_PREMIUM` (Entra ID P1), also inside P2 and the bundles.
pub const AAD_PREMIUM_PLAN_ID: &str = "41781fb2-bc02-4b7c-bd55-b576c07bb09d";
/// Service plan name of Entra ID P1.
pub const AAD_PREMIUM_PLAN: &str = "AAD_PREMIUM";

/// One known product: part number, SKU id, whether it includes the `AAD_PREMIUM` plan, and the
/// names the admin center shows for it.
struct Product {
    part: &'static str,
    sku_id: &'static str,
    includes_p1: bool,
    names: &'static [&'static str],
}

/// Products administrators meet most (ED-SKU). `O365_BUSINESS_PREMIUM` is Microsoft 365
/// Business *Standard*: no P1, however the part number reads.
const PRODUCTS: &[Product] = &[
    Product {
        part: "AAD_PREMIUM",
        sku_id: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4",
        includes_p1: true,
        names: &[
            "Microsoft Entra ID P1",
            "Azure Active Directory Premium P1",
            "Azure AD Premium P1",
        ],
    },
    Product {
        part: "AAD_PREMIUM_FACULTY",
        sku_id: "30fc3c36-5a95-4956-ba57-c09c2a600bb9",
        includes_p1: true,
        names: &["Microsoft Entra ID P1 for faculty"],
    },
    Product {
        part: "AAD_PREMIUM_P2",
        sku_id: "84a661c4-e949-4bd2-a560-ed7766fcaf2b",
        includes_p1: true,
        names: &[
            "Microsoft Entra ID P2",
            "Azure Active Directory Premium P2",
            "Azure AD Premium P2",
        ],
    },
    Product {
        part: "EMS",
        sku_id: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
        includes_p1: true,
        names: &["Enterprise Mobility + Security E3"],
    },
    Product {
        part: "EMSPREMIUM",
        sku_id: "b05e124f-c7cc-45a0-a6aa-8cf78c946968",
        includes_p1: true,
        names: &["Enterprise Mobility + Security E5"],
    },
    Product {
        part: "SPE_E3",
        sku_id: "05e9a617-0261-4cee-bb44-138d3ef5d965",
        includes_p1: true,
        names: &["Microsoft 365 E3"],
    },
    Product {
        part: "SPE_E5",
        sku_id: "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
        includes_p1: true,
        names: &["Microsoft 365 E5"],
    },
    Product {
        part: "SPB",
        sku_id: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
        includes_p1: true,
        names: &["Microsoft 365 Business Premium"],
    },
    Product {
        part: "M365EDU_A3_STUUSEBNFT",
        sku_id: "18250162-5d87-4436-a834-d795c15c80f3",
        includes_p1: true,
        names: &["Microsoft 365 A3 student use benefits"],
    },
    Product {
        part: "AAD_BASIC",
        sku_id: "2b9c8e7c-319c-43a2-a2a0-48c5c6161de7",
        includes_p1: false,
        names: &["Microsoft Entra Basic", "Azure Active Directory Basic"],
    },
    Product {
        part: "O365_BUSINESS_PREMIUM",
        sku_id: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
        includes_p1: false,
        names: &["Microsoft 365 Business Standard"],
    },
    Product {
        part: "O365_BUSINESS_ESSENTIALS",
        sku_id: "3b555118-da6a-4418-894f-7df1e2096870",
        includes_p1: false,
        names: &["Microsoft 365 Business Basic"],
    },
    Product {
        part: "STANDARDPACK",
        sku_id: "18181a46-0d4e-45cd-891e-60aabd171b4e",
        includes_p1: false,
        names: &["Office 365 E1"],
    },
    Product {
        part: "ENTERPRISEPACK",
        sku_id: "6fd2c87f-b296-42f0-b197-1e91e994b900",
        includes_p1: false,
        names: &["Office 365 E3"],
    },
    Product {
        part: "ENTERPRISEPREMIUM",
        sku_id: "c7df2760-2c81-4ef7-b578-5b5392b571df",
        includes_p1: false,
        names: &["Office 365 E5"],
    },
];

/// Plans of SKUs as a `subscribedSkus` or `licenseDetails` export lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuInfo {
    /// `skuId`, lower case.
    pub sku_id: Option<String>,
    /// `skuPartNumber`, upper case.
    pub part_number: Option<String>,
    /// Service plans (`servicePlanId` lower case, `servicePlanName`).
    pub plans: Vec<(String, String)>,
    /// Where it came from.
    pub origin: Origin,
}

/// A service plan of an expanded `licenseDetails` entry of one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanState {
    /// `servicePlanId`, lower case.
    pub id: String,
    /// `servicePlanName`.
    pub name: String,
    /// `provisioningStatus` is not `Disabled`.
    pub enabled: bool,
}

/// One licence assigned to a user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AssignedLicense {
    /// `skuId`, lower case.
    pub sku_id: Option<String>,
    /// `skuPartNumber` (or the part after `tenant:`), upper case.
    pub part_number: Option<String>,
    /// Product name as the admin center wrote it.
    pub name: Option<String>,
    /// `disabledPlans`, lower case.
    pub disabled_plans: Vec<String>,
    /// The user's own plan states, when the export expanded `licenseDetails`.
    pub plans: Vec<PlanState>,
}

impl AssignedLicense {
    /// How reports show it: the product name, else the part number, else the SKU id.
    pub fn label(&self, skus: &SkuCatalog) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        if let Some(p) = self.resolved_part(skus) {
            return p;
        }
        self.sku_id.clone().unwrap_or_else(|| "?".into())
    }

    fn product(&self) -> Option<&'static Product> {
        if let Some(part) = &self.part_number
            && let Some(p) = PRODUCTS.iter().find(|p| p.part.eq_ignore_ascii_case(part))
        {
            return Some(p);
        }
        if let Some(id) = &self.sku_id
            && let Some(p) = PRODUCTS.iter().find(|p| p.sku_id.eq_ignore_ascii_case(id))
        {
            return Some(p);
        }
        let name = self.name.as_deref()?.trim();
        PRODUCTS
            .iter()
            .find(|p| p.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
    }

    fn resolved_part(&self, skus: &SkuCatalog) -> Option<String> {
        self.part_number
            .clone()
            .or_else(|| {
                let id = self.sku_id.as_deref()?;
                skus.by_id.get(id).and_then(|s| s.part_number.clone())
            })
            .or_else(|| self.product().map(|p| p.part.to_string()))
    }

    /// Whether this licence gives P1-level entitlement; `None` when nothing says what it holds.
    pub fn gives_p1(&self, skus: &SkuCatalog) -> Option<bool> {
        let disabled = |id: &str| {
            self.disabled_plans
                .iter()
                .any(|d| d.eq_ignore_ascii_case(id))
        };
        let is_p1_plan = |id: &str, name: &str| {
            id == AAD_PREMIUM_PLAN_ID || name.eq_ignore_ascii_case(AAD_PREMIUM_PLAN)
        };
        if !self.plans.is_empty() {
            return Some(
                self.plans
                    .iter()
                    .any(|p| p.enabled && is_p1_plan(&p.id, &p.name) && !disabled(&p.id)),
            );
        }
        if let Some(info) = skus.find(self.sku_id.as_deref(), self.part_number.as_deref())
            && !info.plans.is_empty()
        {
            return Some(
                info.plans
                    .iter()
                    .any(|(id, name)| is_p1_plan(id, name) && !disabled(id)),
            );
        }
        let product = self.product()?;
        Some(product.includes_p1 && !disabled(AAD_PREMIUM_PLAN_ID))
    }
}

/// SKU plans learnt from `subscribedSkus` / `licenseDetails` inputs.
#[derive(Debug, Clone, Default)]
pub struct SkuCatalog {
    by_id: BTreeMap<String, SkuInfo>,
    by_part: BTreeMap<String, SkuInfo>,
}

impl SkuCatalog {
    /// Whether no `subscribedSkus` / `licenseDetails` input described any SKU.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty() && self.by_part.is_empty()
    }

    /// Builds the catalog; later entries of the same SKU replace earlier ones.
    pub fn new(skus: &[SkuInfo]) -> Self {
        let mut c = SkuCatalog::default();
        for s in skus {
            if let Some(id) = &s.sku_id {
                c.by_id.insert(id.clone(), s.clone());
            }
            if let Some(p) = &s.part_number {
                c.by_part.insert(p.to_uppercase(), s.clone());
            }
        }
        c
    }

    fn find(&self, sku_id: Option<&str>, part: Option<&str>) -> Option<&SkuInfo> {
        sku_id
            .and_then(|id| self.by_id.get(id))
            .or_else(|| part.and_then(|p| self.by_part.get(&p.to_uppercase())))
    }
}

/// One user's row of a licence list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseRow {
    /// User key.
    pub user: String,
    /// Display name, when the export has one (pseudonymization learns names from it).
    pub display_name: Option<String>,
    /// `DirSyncEnabled` / `onPremisesSyncEnabled`.
    pub synced: Option<bool>,
    /// Licences (empty: `Unlicensed`).
    pub licenses: Vec<AssignedLicense>,
    /// Where it came from.
    pub origin: Origin,
}

/// What a user's licences entitle them to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entitlement {
    /// At least one licence gives P1.
    P1,
    /// Licences, none of them P1.
    NoP1,
    /// No licence at all.
    Unlicensed,
    /// Some licence no table knows, and none known to give P1.
    Unknown,
}

impl LicenseRow {
    /// The user's entitlement.
    pub fn entitlement(&self, skus: &SkuCatalog) -> Entitlement {
        Self::entitlement_of(&self.verdicts(skus))
    }

    /// [`AssignedLicense::gives_p1`] of each licence.
    fn verdicts(&self, skus: &SkuCatalog) -> Vec<Option<bool>> {
        self.licenses.iter().map(|l| l.gives_p1(skus)).collect()
    }

    /// The entitlement, and the labels of the licences whose entitlement nothing can tell; each
    /// licence judged once.
    pub fn assess(&self, skus: &SkuCatalog) -> (Entitlement, Vec<String>) {
        let verdicts = self.verdicts(skus);
        let unknown = self
            .licenses
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| v.is_none())
            .map(|(l, _)| l.label(skus))
            .collect();
        (Self::entitlement_of(&verdicts), unknown)
    }

    /// The entitlement that the verdicts of [`AssignedLicense::gives_p1`] on each licence give.
    fn entitlement_of(verdicts: &[Option<bool>]) -> Entitlement {
        if verdicts.is_empty() {
            return Entitlement::Unlicensed;
        }
        if verdicts.contains(&Some(true)) {
            Entitlement::P1
        } else if verdicts.contains(&None) {
            Entitlement::Unknown
        } else {
            Entitlement::NoP1
        }
    }

    /// The licences as reports show them: joined with `+` like the admin center, or `Unlicensed`.
    pub fn label(&self, skus: &SkuCatalog) -> String {
        if self.licenses.is_empty() {
            return "Unlicensed".into();
        }
        let mut names: Vec<String> = self.licenses.iter().map(|l| l.label(skus)).collect();
        names.sort();
        names.join("+")
    }
}

/// Splits the admin center's `Licenses` cell: products joined with `+`, where a product name may
/// itself hold ` + ` (`Enterprise Mobility + Security E3`); `Unlicensed` means none;
/// `tenant:SKU_PART` (the older AccountSkuId form) becomes a part number.
pub fn parse_license_cell(cell: &str) -> Vec<AssignedLicense> {
    let cell = cell.trim();
    if cell.is_empty() || cell.eq_ignore_ascii_case("unlicensed") {
        return Vec::new();
    }
    let bytes = cell.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        // A `+` with a space on both sides belongs to a product name.
        let spaced = i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1).is_some_and(|&n| n == b' ');
        if b == b'+' && !spaced {
            parts.push(&cell[start..i]);
            start = i + 1;
        }
    }
    parts.push(&cell[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(license_from_text)
        .collect()
}

/// One product as text: `contoso:SPE_E3` (the AccountSkuId form: whatever follows a space-free
/// tenant prefix) or a bare `SPE_E3` is a part number, anything else a product name.
fn license_from_text(text: &str) -> AssignedLicense {
    let part = match text.split_once(':') {
        Some((tenant, part))
            if !tenant.is_empty() && !tenant.contains(' ') && !part.trim().is_empty() =>
        {
            Some(part.trim())
        }
        _ => {
            let bare = text.trim();
            let looks_like_part = bare
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && bare.chars().any(|c| c.is_ascii_uppercase());
            looks_like_part.then_some(bare)
        }
    };
    match part {
        Some(p) => AssignedLicense {
            part_number: Some(p.to_string()),
            ..AssignedLicense::default()
        },
        None => AssignedLicense {
            name: Some(text.to_string()),
            ..AssignedLicense::default()
        },
    }
}

/// The licence side of the model.
#[derive(Debug, Clone, Default)]
pub struct LicenseModel {
    /// Each user's row (the last one read when a user appears in several).
    pub rows: BTreeMap<String, LicenseRow>,
    /// SKU plans from `subscribedSkus` / `licenseDetails` inputs.
    pub skus: SkuCatalog,
    /// Surplus rows of users listed more than once.
    pub duplicate_rows: u64,
}

/// Keeps one row per user and one description per SKU: the one read last (licence lists carry
/// no time; files are read in name order, so the later export wins). Returns the model and a
/// verdict per row and per SKU (`Some(true)` used, `None` duplicate).
pub fn assemble(
    rows: Vec<LicenseRow>,
    skus: Vec<SkuInfo>,
) -> (LicenseModel, Vec<Option<bool>>, Vec<Option<bool>>) {
    // Hashed, keys borrowed: a B-tree of cloned keys showed in profiles of a large list.
    let last_of = |keys: Vec<&str>| -> Vec<Option<bool>> {
        let mut last: crate::model::FastMap<&str, usize> = Default::default();
        for (i, k) in keys.iter().enumerate() {
            last.insert(k, i);
        }
        (0..keys.len())
            .map(|i| (last.get(keys[i]) == Some(&i)).then_some(true))
            .collect()
    };
    let row_verdicts = last_of(rows.iter().map(|r| r.user.as_str()).collect());
    let sku_verdicts = last_of(
        skus.iter()
            .map(|s| {
                s.sku_id
                    .as_deref()
                    .or(s.part_number.as_deref())
                    .unwrap_or_default()
            })
            .collect(),
    );
    let duplicate_rows = row_verdicts.iter().filter(|v| v.is_none()).count() as u64;
    let kept_skus: Vec<SkuInfo> = skus
        .into_iter()
        .zip(&sku_verdicts)
        .filter(|(_, v)| v.is_some())
        .map(|(s, _)| s)
        .collect();
    let rows = rows
        .into_iter()
        .zip(&row_verdicts)
        .filter(|(_, v)| v.is_some())
        .map(|(r, _)| (r.user.clone(), r))
        .collect();
    (
        LicenseModel {
            rows,
            skus: SkuCatalog::new(&kept_skus),
            duplicate_rows,
        },
        row_verdicts,
        sku_verdicts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            file: 0,
            location: Default::default(),
        }
    }

    fn row(licenses: Vec<AssignedLicense>) -> LicenseRow {
        LicenseRow {
            user: "u@x.jp".into(),
            display_name: None,
            synced: Some(true),
            licenses,
            origin: origin(),
        }
    }

    #[test]
    fn license_cells_split_on_plus_but_not_inside_names() {
        let l = parse_license_cell("Microsoft 365 E3+Enterprise Mobility + Security E3");
        let names: Vec<_> = l.iter().filter_map(|l| l.name.clone()).collect();
        assert_eq!(
            names,
            ["Microsoft 365 E3", "Enterprise Mobility + Security E3"]
        );
        assert!(parse_license_cell("Unlicensed").is_empty());
        assert!(parse_license_cell("").is_empty());
        let l = parse_license_cell("contoso:ENTERPRISEPACK+contoso:EMS");
        let parts: Vec<_> = l.iter().filter_map(|l| l.part_number.clone()).collect();
        assert_eq!(parts, ["ENTERPRISEPACK", "EMS"]);
        // Newer part numbers have lower case and brackets; the tenant prefix still marks them.
        let l = parse_license_cell("contoso:Microsoft_365_E3_(no_Teams)");
        assert_eq!(
            l[0].part_number.as_deref(),
            Some("Microsoft_365_E3_(no_Teams)")
        );
    }

    #[test]
    fn entitlement_by_product_table() {
        let skus = SkuCatalog::default();
        let e = |cell: &str| row(parse_license_cell(cell)).entitlement(&skus);
        assert_eq!(e("Microsoft 365 E3"), Entitlement::P1);
        assert_eq!(e("Office 365 E3"), Entitlement::NoP1);
        // The part number says PREMIUM; the product is Business Standard.
        assert_eq!(e("contoso:O365_BUSINESS_PREMIUM"), Entitlement::NoP1);
        assert_eq!(e("Microsoft 365 Business Premium"), Entitlement::P1);
        assert_eq!(
            e("Office 365 E3+Enterprise Mobility + Security E3"),
            Entitlement::P1
        );
        assert_eq!(e("Unlicensed"), Entitlement::Unlicensed);
        assert_eq!(e("Contoso Custom Bundle"), Entitlement::Unknown);
        assert_eq!(e("Contoso Custom Bundle+Microsoft 365 E5"), Entitlement::P1);
    }

    #[test]
    fn aad_premium_in_disabled_plans_removes_p1() {
        let skus = SkuCatalog::default();
        let e3 = AssignedLicense {
            sku_id: Some("05e9a617-0261-4cee-bb44-138d3ef5d965".into()),
            disabled_plans: vec![AAD_PREMIUM_PLAN_ID.into()],
            ..AssignedLicense::default()
        };
        assert_eq!(row(vec![e3.clone()]).entitlement(&skus), Entitlement::NoP1);
        let enabled = AssignedLicense {
            disabled_plans: vec!["aaaaaaaa-0000-0000-0000-000000000000".into()],
            ..e3
        };
        assert_eq!(row(vec![enabled]).entitlement(&skus), Entitlement::P1);
    }

    #[test]
    fn subscribed_skus_decide_over_the_table() {
        // A tenant-specific SKU the table does not know, whose plans include AAD_PREMIUM.
        let info = SkuInfo {
            sku_id: Some("11111111-2222-3333-4444-555555555555".into()),
            part_number: Some("CONTOSO_BUNDLE".into()),
            plans: vec![(AAD_PREMIUM_PLAN_ID.into(), AAD_PREMIUM_PLAN.into())],
            origin: origin(),
        };
        let skus = SkuCatalog::new(&[info]);
        let l = AssignedLicense {
            sku_id: Some("11111111-2222-3333-4444-555555555555".into()),
            ..AssignedLicense::default()
        };
        assert_eq!(l.gives_p1(&skus), Some(true));
        assert_eq!(l.label(&skus), "CONTOSO_BUNDLE");
        assert_eq!(l.gives_p1(&SkuCatalog::default()), None);
    }

    #[test]
    fn expanded_plan_states_decide_first() {
        let l = AssignedLicense {
            part_number: Some("SPE_E3".into()),
            plans: vec![PlanState {
                id: AAD_PREMIUM_PLAN_ID.into(),
                name: AAD_PREMIUM_PLAN.into(),
                enabled: false,
            }],
            ..AssignedLicense::default()
        };
        assert_eq!(l.gives_p1(&SkuCatalog::default()), Some(false));
    }
}
