//! ARNs and partitions: which partition a region belongs to, and the parts of an ARN, so a
//! check can say "this key is in another region" or "this role is in another partition".

/// The partition of a region, by its name (`cn-north-1` → `aws-cn`). Unknown prefixes are the
/// commercial partition, as AWS's endpoint rules treat them.
pub fn partition_of_region(region: &str) -> &'static str {
    const PREFIXES: &[(&str, &str)] = &[
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
        ("eusc-", "aws-eusc"),
    ];
    PREFIXES
        .iter()
        .find(|(p, _)| region.starts_with(p))
        .map_or("aws", |(_, partition)| partition)
}

/// The parts of an ARN: `arn:partition:service:region:account:resource`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN; the resource part may itself contain `:`.
    pub fn parse(s: &'a str) -> Result<Arn<'a>, String> {
        let mut parts = s.splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some(service),
            Some(region),
            Some(account),
            Some(resource),
        ) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        )
        else {
            return Err(format!(
                "{s:?} is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)"
            ));
        };
        if !partition.starts_with("aws") || service.is_empty() || resource.is_empty() {
            return Err(format!(
                "{s:?} is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)"
            ));
        }
        Ok(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_by_region_prefix() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("eu-central-2", "aws"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(partition_of_region(region), partition, "{region}");
        }
    }

    #[test]
    fn arn_parts() {
        let a = Arn::parse("arn:aws-cn:kms:cn-north-1:123456789012:key/abc:def").unwrap();
        assert_eq!(
            (a.partition, a.service, a.region, a.account, a.resource),
            ("aws-cn", "kms", "cn-north-1", "123456789012", "key/abc:def")
        );
        let role = Arn::parse("arn:aws:iam::123456789012:role/path/ci").unwrap();
        assert_eq!((role.region, role.resource), ("", "role/path/ci"));
        for bad in [
            "",
            "arn:aws:iam",
            "role/x",
            "arn:gcp:iam::1:role/x",
            "arn:aws::::x",
        ] {
            assert!(Arn::parse(bad).is_err(), "{bad}");
        }
    }
}
