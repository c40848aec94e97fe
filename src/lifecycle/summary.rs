//! Each lifecycle rule id in words: the summary a diagnostic or the CLI shows.

use super::validate::ids;

/// The constraint a finding breaks, in words (the diagnostic summary).
pub fn summary(rule: &str) -> &'static str {
    match rule {
        ids::JSON_SYNTAX => "Malformed lifecycle policy JSON",
        ids::ROOT_NOT_OBJECT => "Lifecycle policy is not a JSON object",
        ids::UNKNOWN_PROPERTY => "Unknown property in lifecycle policy",
        ids::NULL_VALUE => "Null value in lifecycle policy",
        ids::WRONG_TYPE => "Wrong value type in lifecycle policy",
        ids::MISSING_PROPERTY => "Missing required property in lifecycle policy",
        ids::ENUM_VALUE => "Value not allowed in lifecycle policy",
        ids::TEXT_LENGTH => "Lifecycle policy text too short or too long",
        ids::RULES_EMPTY => "Lifecycle policy has no rules",
        ids::TOO_MANY_RULES => "Too many lifecycle rules",
        ids::PRIORITY_UNIQUE => "Duplicate rule priority",
        ids::PRIORITY_MIN => "Rule priority below 1",
        ids::ANY_MUST_BE_LAST => "A rule for any tag status must have the highest priority",
        ids::SINGLE_UNTAGGED => "More than one rule selects untagged images",
        ids::TAG_LIST_REQUIRED => "Tagged rule without a tag list",
        ids::TAG_LISTS_EXCLUSIVE => "Both a tag prefix list and a tag pattern list",
        ids::TAG_LIST_REQUIRES_TAGGED => "Tag list on a rule that does not select tagged images",
        ids::TAG_PATTERN_WILDCARDS => "Too many wildcards in a tag pattern",
        ids::UNIQUE_TAG_LISTS => "Two rules select the same tags",
        ids::COUNT_UNIT_REQUIRED => "Missing count unit",
        ids::COUNT_UNIT_FORBIDDEN => "Count unit not allowed with an image count",
        ids::COUNT_NUMBER_MIN => "Count number below 1",
        ids::STORAGE_CLASS_COUNT_TYPE => "Archive storage class with the wrong count type",
        ids::TRANSITIONED_NEEDS_ARCHIVE => "sinceImageTransitioned needs the archive storage class",
        ids::TRANSITIONED_NEEDS_EXPIRE => "Archived images can only be expired",
        ids::PULLED_NEEDS_TRANSITION => "sinceImagePulled can only transition images",
        ids::ARCHIVE_MINIMUM_DAYS => "Archived images are kept at least 90 days",
        ids::TRANSITION_TARGET_REQUIRED => "Transition without a target storage class",
        ids::TRANSITION_TARGET_ARCHIVE => "Images can only be transitioned to archive",
        ids::EXPIRE_NO_TARGET => "Expire action with a target storage class",
        ids::MULTI_ENTRY_TAG_LIST => "Tag list entries must all match",
        _ => "Invalid lifecycle policy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_cover_every_id() {
        for id in [
            ids::JSON_SYNTAX,
            ids::ROOT_NOT_OBJECT,
            ids::UNKNOWN_PROPERTY,
            ids::NULL_VALUE,
            ids::WRONG_TYPE,
            ids::MISSING_PROPERTY,
            ids::ENUM_VALUE,
            ids::TEXT_LENGTH,
            ids::RULES_EMPTY,
            ids::TOO_MANY_RULES,
            ids::PRIORITY_UNIQUE,
            ids::PRIORITY_MIN,
            ids::ANY_MUST_BE_LAST,
            ids::SINGLE_UNTAGGED,
            ids::TAG_LIST_REQUIRED,
            ids::TAG_LISTS_EXCLUSIVE,
            ids::TAG_LIST_REQUIRES_TAGGED,
            ids::TAG_PATTERN_WILDCARDS,
            ids::UNIQUE_TAG_LISTS,
            ids::COUNT_UNIT_REQUIRED,
            ids::COUNT_UNIT_FORBIDDEN,
            ids::COUNT_NUMBER_MIN,
            ids::STORAGE_CLASS_COUNT_TYPE,
            ids::TRANSITIONED_NEEDS_ARCHIVE,
            ids::TRANSITIONED_NEEDS_EXPIRE,
            ids::PULLED_NEEDS_TRANSITION,
            ids::ARCHIVE_MINIMUM_DAYS,
            ids::TRANSITION_TARGET_REQUIRED,
            ids::TRANSITION_TARGET_ARCHIVE,
            ids::EXPIRE_NO_TARGET,
            ids::MULTI_ENTRY_TAG_LIST,
        ] {
            assert_ne!(summary(id), "Invalid lifecycle policy", "{id}");
        }
    }
}
