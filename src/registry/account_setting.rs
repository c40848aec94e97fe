//! Registry account settings (`PutAccountSetting` / `GetAccountSetting`): which names exist,
//! which values each takes, and the value a registry has when nobody set it (what destroy puts
//! back).

use super::{Problems, Step};

/// One documented setting.
#[derive(Debug, PartialEq, Eq)]
pub struct Setting {
    pub name: &'static str,
    /// Values the current API reference lists.
    pub values: &'static [&'static str],
    /// Values older API references listed, now dropped: (value, why it is still accepted here).
    pub legacy: &'static [(&'static str, &'static str)],
    /// AWS's value for a registry that never set it (restored on destroy).
    pub default: &'static str,
    pub about: &'static str,
}

pub const SETTINGS: &[Setting] = &[
    Setting {
        name: "BASIC_SCAN_TYPE_VERSION",
        values: &["AWS_NATIVE"],
        legacy: &[("CLAIR", "CLAIR (the open-source Clair scanner) is no longer documented as a value and AWS recommends against reverting to it; AWS may refuse it")],
        default: "AWS_NATIVE",
        about: "the technology of basic scanning",
    },
    Setting {
        name: "REGISTRY_POLICY_SCOPE",
        values: &["V2"],
        legacy: &[("V1", "V1 (the registry policy covering replication and pull-through cache actions only) is no longer documented as a value and AWS recommends against reverting to it; AWS may refuse it")],
        default: "V2",
        about: "which actions the registry policy governs",
    },
    Setting {
        name: "BLOB_MOUNTING",
        values: &["ENABLED", "DISABLED"],
        legacy: &[],
        default: "DISABLED",
        about: "whether pushes may mount layers that another repository of the registry already holds",
    },
];

/// The names, for messages and schema descriptions.
pub fn names() -> Vec<&'static str> {
    SETTINGS.iter().map(|s| s.name).collect()
}

pub fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// Checks a name and value (each `None` when not known yet).
pub fn check(name: Option<&str>, value: Option<&str>, out: &mut Problems) {
    let Some(name) = name else { return };
    let Some(s) = setting(name) else {
        out.error(
            vec![Step::Attr("name")],
            "Unknown account setting",
            format!("name must be one of {}; got {name:?}. (This resource restores a setting's default on destroy, so it only manages settings whose default is documented.)", names().join(", ")),
        );
        return;
    };
    let Some(value) = value else { return };
    if s.values.contains(&value) {
        return;
    }
    if let Some((_, why)) = s.legacy.iter().find(|(v, _)| *v == value) {
        out.warning(
            vec![Step::Attr("value")],
            format!("{value} is a legacy value of {name}"),
            format!("{why}. The documented value is {}.", s.values.join(" or ")),
        );
        return;
    }
    let all: Vec<&str> = s
        .values
        .iter()
        .copied()
        .chain(s.legacy.iter().map(|(v, _)| *v))
        .collect();
    out.error(
        vec![Step::Attr("value")],
        format!("Invalid value for {name}"),
        format!("{name} takes {}; got {value:?}.", all.join(", ")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, value: &str) -> Problems {
        let mut p = Problems::default();
        check(Some(name), Some(value), &mut p);
        p
    }

    #[test]
    fn each_setting_takes_its_own_values() {
        for (n, v) in [
            ("BASIC_SCAN_TYPE_VERSION", "AWS_NATIVE"),
            ("REGISTRY_POLICY_SCOPE", "V2"),
            ("BLOB_MOUNTING", "ENABLED"),
            ("BLOB_MOUNTING", "DISABLED"),
        ] {
            assert!(run(n, v).0.is_empty(), "{n}={v}");
        }
        for (n, v) in [
            ("BASIC_SCAN_TYPE_VERSION", "V2"),
            ("REGISTRY_POLICY_SCOPE", "ENABLED"),
            ("BLOB_MOUNTING", "AWS_NATIVE"),
            ("BLOB_MOUNTING", "enabled"),
        ] {
            let p = run(n, v);
            assert_eq!(p.paths(), ["value"], "{n}={v}");
            assert!(p.has_errors());
        }
        for (n, v) in [
            ("BASIC_SCAN_TYPE_VERSION", "CLAIR"),
            ("REGISTRY_POLICY_SCOPE", "V1"),
        ] {
            let p = run(n, v);
            assert_eq!(p.paths(), ["value"]);
            assert!(!p.has_errors(), "legacy values warn: {n}={v}");
        }
        let p = run("SCAN_EVERYTHING", "YES");
        assert_eq!(p.paths(), ["name"]);
        let mut p = Problems::default();
        check(Some("BLOB_MOUNTING"), None, &mut p);
        check(None, Some("x"), &mut p);
        assert!(p.0.is_empty());
    }

    #[test]
    fn defaults_are_documented_values() {
        for s in SETTINGS {
            assert!(s.values.contains(&s.default), "{}", s.name);
        }
        assert_eq!(setting("BLOB_MOUNTING").unwrap().default, "DISABLED");
    }
}
