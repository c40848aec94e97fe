//! Repository policy documents of ECR Public: the size limit and comparison by meaning.
//!
//! Two policies are equivalent when they grant the same thing as IAM reads them (see
//! [`crate::policy::canonical`](mod@crate::policy::canonical)): key order and whitespace never matter, a single `Statement`
//! object equals a one-element list, a string equals a one-element array, value lists are sets,
//! `"Principal": "*"` equals `{"AWS": "*"}`, and the forms AWS rewrites are folded. Statement
//! order is kept (conservative: a reordering shows as a diff). Validation is
//! [`crate::policy::validate_document`] with `Kind::PublicRepository`.

/// `RepositoryPolicyText` max length (characters).
pub const POLICY_MAX: usize = crate::policy::MAX_POLICY_LEN;

/// True when both texts are JSON with the same meaning; false if either is not JSON.
pub fn equivalent(a: &str, b: &str) -> bool {
    crate::policy::canonical::equivalent_in_order(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PULL: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Push","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":["ecr-public:PutImage","ecr-public:BatchCheckLayerAvailability"]}]}"#;

    #[test]
    fn formatting_order_and_singletons_are_not_differences() {
        let same = r#"{
          "Statement": {
            "Action": ["ecr-public:BatchCheckLayerAvailability", "ecr-public:PutImage", "ecr-public:PutImage"],
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Effect": "Allow",
            "Sid": "Push"
          },
          "Version": "2012-10-17"
        }"#;
        assert!(equivalent(PULL, same));
        assert!(equivalent(
            r#"{"Statement":[{"Principal":"*","Effect":"Allow","Action":"x:Y"}]}"#,
            r#"{"Statement":[{"Principal":{"AWS":["*"]},"Effect":"Allow","Action":["x:Y"]}]}"#
        ));
        assert!(equivalent(
            r#"{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}},"Effect":"Allow","Principal":"*","Action":"a:B"}]}"#,
            r#"{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-1"]}},"Effect":"Allow","Principal":"*","Action":"a:B"}]}"#,
        ));
    }

    #[test]
    fn real_changes_are_differences() {
        assert!(!equivalent(PULL, &PULL.replace("Allow", "Deny")));
        assert!(!equivalent(
            PULL,
            &PULL.replace("111122223333", "444455556666")
        ));
        assert!(!equivalent(
            PULL,
            &PULL.replace(r#","ecr-public:BatchCheckLayerAvailability""#, "")
        ));
        assert!(!equivalent(PULL, "not json"));
        // Statement order is significant to us (IAM would not mind, but we never hide a change).
        let two = r#"{"Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"a:B"},{"Sid":"B","Effect":"Deny","Principal":"*","Action":"a:C"}]}"#;
        let swapped = r#"{"Statement":[{"Sid":"B","Effect":"Deny","Principal":"*","Action":"a:C"},{"Sid":"A","Effect":"Allow","Principal":"*","Action":"a:B"}]}"#;
        assert!(!equivalent(two, swapped));
    }
}
