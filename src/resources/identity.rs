//! Resource identities in hashicorp/aws's shape (see docs/design/resource-identity.md):
//! `account_id` and, for regional types, `region`, both optional in import blocks and defaulting
//! to the provider's, plus the parameters naming the object (`name`, `repository`, …).

use crate::aws::AwsClients;
use crate::framework::{AttrPath, Diagnostics, IdentitySchema, Val};

const ACCOUNT_ID: &str = "AWS account id of the registry (12 digits). Default: the account of the provider's credentials.";
const REGION: &str = "AWS region of the registry. Default: the provider's `region`.";

/// `account_id`, `region`, then the given required parameters.
pub fn regional(params: &[(&str, &str)]) -> IdentitySchema {
    let mut s = IdentitySchema::new(0)
        .optional("account_id", ACCOUNT_ID)
        .optional("region", REGION);
    for (name, description) in params {
        s = s.required(name, description);
    }
    s
}

/// ECR Public lives in us-east-1 only: `account_id`, then the given required parameters.
pub fn global(params: &[(&str, &str)]) -> IdentitySchema {
    let mut s = IdentitySchema::new(0).optional("account_id", ACCOUNT_ID);
    for (name, description) in params {
        s = s.required(name, description);
    }
    s
}

/// The registry's account: the state's `registry_id` once read, else the credentials' account.
pub fn account(registry_id: &Val<String>, aws: &AwsClients) -> Val<String> {
    match registry_id.known() {
        Some(id) if !id.is_empty() => Val::of(id.as_str()),
        _ => aws.account_id.clone().into(),
    }
}

/// The object's region: its `region` argument once known, else the provider's.
pub fn region(region: &Val<String>, aws: &AwsClients) -> Val<String> {
    match region.known() {
        Some(r) if !r.is_empty() => Val::of(r.as_str()),
        _ => Val::of(aws.region.as_str()),
    }
}

/// The import id for an identity's `region`: `<id>@<region>` (see `import::passthrough_in_region`)
/// when it names another region than the provider's.
pub fn in_region(id: Option<String>, region: &Val<String>, aws: &AwsClients) -> Option<String> {
    match region.known() {
        Some(r) if *r != aws.region => id.map(|id| format!("{id}@{r}")),
        _ => id,
    }
}

/// Refuses an identity from an import block that names another account or region than the
/// provider reaches: the import would read a different object, or none.
pub fn check_scope(
    account_id: &Val<String>,
    region: Option<&Val<String>>,
    aws: &AwsClients,
    diags: &mut Diagnostics,
) -> bool {
    in_scope(
        account_id,
        region,
        aws.account_id.as_deref(),
        &aws.region,
        diags,
    )
}

fn in_scope(
    account_id: &Val<String>,
    region: Option<&Val<String>>,
    have_account: Option<&str>,
    have_region: &str,
    diags: &mut Diagnostics,
) -> bool {
    let mut ok = true;
    if let (Some(want), Some(have)) = (account_id.known(), have_account) {
        if want != have {
            diags.attr_error(
                AttrPath::attr("account_id"),
                "Identity of another account",
                format!("The identity names account {want}, but the provider's credentials are of account {have}. Configure a provider for that account (e.g. with assume_role) and import with it."),
            );
            ok = false;
        }
    }
    if let Some(want) = region.and_then(Val::known) {
        if want != have_region {
            diags.attr_error(
                AttrPath::attr("region"),
                "Identity in another region",
                format!("The identity names region {want}, but the provider manages region {have_region}. Import with a provider configured for {want}."),
            );
            ok = false;
        }
    }
    ok
}

/// The import id of a registry-wide singleton from its identity: the identity's account (the
/// provider's when left out), with `@<region>` for another region. Refused when it names another
/// account, or when neither it nor the provider knows the account.
pub fn registry_import_id(
    account_id: &Val<String>,
    region: &Val<String>,
    aws: &AwsClients,
    diags: &mut Diagnostics,
) -> Option<String> {
    if !check_scope(account_id, None, aws, diags) {
        return None;
    }
    let Some(account) = account_id
        .known()
        .cloned()
        .or_else(|| aws.account_id.clone())
    else {
        diags.attr_error(
            AttrPath::attr("account_id"),
            "Incomplete identity",
            "The provider skips credential validation, so it does not know its account: give account_id.",
        );
        return None;
    };
    in_region(Some(account), region, aws)
}

/// A required identity parameter, or an error naming it.
pub fn required<'a>(v: &'a Val<String>, name: &str, diags: &mut Diagnostics) -> Option<&'a str> {
    match v.str() {
        Some(s) if !s.is_empty() => Some(s),
        _ => {
            diags.attr_error(
                AttrPath::attr(name),
                "Incomplete identity",
                format!("The identity must give {name}."),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_identities_have_hashicorp_aws_shape() {
        let s = regional(&[("name", "n")]);
        let names: Vec<_> = s.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["account_id", "region", "name"]);
        assert!(!s.attributes[0].required_for_import && !s.attributes[1].required_for_import);
        assert!(s.attributes[2].required_for_import);
        let g = global(&[("repository_name", "n")]);
        assert!(g.attribute("region").is_none());
    }

    #[test]
    fn another_account_or_region_is_refused_by_name() {
        let mut d = Diagnostics::new();
        let (acct, reg) = (Some("111122223333"), "eu-west-1");
        assert!(in_scope(&Val::Null, Some(&Val::Null), acct, reg, &mut d));
        assert!(in_scope(
            &Val::of("111122223333"),
            Some(&Val::of("eu-west-1")),
            acct,
            reg,
            &mut d
        ));
        // Without STS the account cannot be checked here; the read will tell.
        assert!(in_scope(&Val::of("444455556666"), None, None, reg, &mut d));
        assert!(d.0.is_empty());
        assert!(!in_scope(
            &Val::of("444455556666"),
            Some(&Val::of("us-east-1")),
            acct,
            reg,
            &mut d
        ));
        let paths: Vec<_> = d.0.iter().map(|x| x.attribute.clone().unwrap()).collect();
        assert_eq!(
            paths,
            [AttrPath::attr("account_id"), AttrPath::attr("region")]
        );
        assert!(d.0[0].detail.contains("444455556666") && d.0[1].detail.contains("us-east-1"));
    }

    #[test]
    fn missing_parameters_are_named() {
        let mut d = Diagnostics::new();
        assert_eq!(required(&Val::of("app"), "name", &mut d), Some("app"));
        assert!(required(&Val::Null, "name", &mut d).is_none());
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("name")));
        assert!(d.0[0].detail.contains("name"), "{}", d.0[0].detail);
    }
}
