//! Stable identifiers of the constraints, for [`Finding::rule`](super::Finding::rule).

/// The text is not JSON.
pub const JSON_SYNTAX: &str = "json-syntax";
/// The document is JSON but not an object.
pub const ROOT_NOT_OBJECT: &str = "root-not-object";
/// A property the document format does not define.
pub const UNKNOWN_PROPERTY: &str = "unknown-property";
/// JSON `null` used as a value.
pub const NULL_VALUE: &str = "null-value";
/// A value of the wrong JSON type (or a non-integer / out-of-range number).
pub const WRONG_TYPE: &str = "wrong-type";
/// A required property is absent.
pub const MISSING_PROPERTY: &str = "missing-property";
/// A string that is not one of the allowed values.
pub const ENUM_VALUE: &str = "enum-value";
/// Policy text shorter than 100 or longer than 30720 characters.
pub const TEXT_LENGTH: &str = "text-length";
/// `rules` is empty.
pub const RULES_EMPTY: &str = "rules-empty";
/// More than 50 rules.
pub const TOO_MANY_RULES: &str = "too-many-rules";
/// Two rules share a `rulePriority`.
pub const PRIORITY_UNIQUE: &str = "priority-unique";
/// `rulePriority` below 1.
pub const PRIORITY_MIN: &str = "priority-min";
/// A `tagStatus: any` rule is not the last of its storage class.
pub const ANY_MUST_BE_LAST: &str = "any-must-be-last";
/// More than one `untagged` rule in a storage class.
pub const SINGLE_UNTAGGED: &str = "single-untagged";
/// `tagged` rule without a (non-empty) tag list.
pub const TAG_LIST_REQUIRED: &str = "tag-list-required";
/// Both `tagPrefixList` and `tagPatternList` on one rule.
pub const TAG_LISTS_EXCLUSIVE: &str = "tag-lists-exclusive";
/// A tag list on an `untagged` or `any` rule.
pub const TAG_LIST_REQUIRES_TAGGED: &str = "tag-list-requires-tagged";
/// More than 4 `*` in a `tagPatternList` entry.
pub const TAG_PATTERN_WILDCARDS: &str = "tag-pattern-wildcards";
/// Two rules of one storage class with the same tag list.
pub const UNIQUE_TAG_LISTS: &str = "unique-tag-lists";
/// `since*` count type without `countUnit`.
pub const COUNT_UNIT_REQUIRED: &str = "count-unit-required";
/// `countUnit` with `imageCountMoreThan`.
pub const COUNT_UNIT_FORBIDDEN: &str = "count-unit-forbidden";
/// `countNumber` below 1.
pub const COUNT_NUMBER_MIN: &str = "count-number-min";
/// `storageClass: archive` with a count type that only works on standard images.
pub const STORAGE_CLASS_COUNT_TYPE: &str = "storage-class-count-type";
/// `sinceImageTransitioned` without `storageClass: archive`.
pub const TRANSITIONED_NEEDS_ARCHIVE: &str = "transitioned-needs-archive";
/// `sinceImageTransitioned` with a `transition` action.
pub const TRANSITIONED_NEEDS_EXPIRE: &str = "transitioned-needs-expire";
/// `sinceImagePulled` with an `expire` action.
pub const PULLED_NEEDS_TRANSITION: &str = "pulled-needs-transition";
/// `sinceImageTransitioned` with `countNumber` below 90.
pub const ARCHIVE_MINIMUM_DAYS: &str = "archive-minimum-days";
/// `transition` without `targetStorageClass`.
pub const TRANSITION_TARGET_REQUIRED: &str = "transition-target-required";
/// `transition` to a storage class other than `archive`.
pub const TRANSITION_TARGET_ARCHIVE: &str = "transition-target-archive";
/// `expire` with a `targetStorageClass`.
pub const EXPIRE_NO_TARGET: &str = "expire-no-target";
/// Advisory (from [`super::lint`] only): a multi-entry tag list matches
/// only images having tags for *all* entries.
pub const MULTI_ENTRY_TAG_LIST: &str = "multi-entry-tag-list";
