//! Images from `aws ecr describe-images` output (JSON), for previews made outside Terraform
//! (the `lifecycle preview` command).

use serde_json::Value as Json;

use super::evaluate::Image;
use super::model::StorageClass;
use crate::timestamp::parse_rfc3339;

/// A timestamp as `aws ecr describe-images` prints it: an RFC 3339 string or epoch seconds
/// (a number, possibly fractional, or a string holding one).
pub fn parse_timestamp(v: &Json) -> Result<i64, String> {
    let from_f64 = |f: f64| {
        if f.is_finite() && f.abs() < 1e15 {
            Ok(f.floor() as i64)
        } else {
            Err(format!("{f} is not a usable epoch time"))
        }
    };
    match v {
        Json::Number(n) => match n.as_i64() {
            Some(i) => Ok(i),
            None => from_f64(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => match s.trim().parse::<f64>() {
            Ok(f) => from_f64(f),
            Err(_) => parse_rfc3339(s)
                .map_err(|e| format!("{s:?} is not an RFC 3339 time or epoch seconds ({e})")),
        },
        other => Err(format!(
            "expected a time (RFC 3339 string or epoch seconds), found {other}"
        )),
    }
}

/// Images from `aws ecr describe-images` output (`{"imageDetails": [...]}`, or the bare
/// array). Returns the images and how many were skipped because they are being restored
/// (`imageStatus` `ACTIVATING`), which lifecycle rules do not act on.
pub fn parse_images(text: &str) -> Result<(Vec<Image>, usize), String> {
    let doc: Json = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let details = match &doc {
        Json::Object(m) => match m.get("imageDetails") {
            Some(Json::Array(a)) => a,
            Some(_) => return Err("imageDetails must be an array".into()),
            None => return Err("expected the output of `aws ecr describe-images`: an object with an \"imageDetails\" array".into()),
        },
        Json::Array(a) => a,
        _ => return Err("expected the output of `aws ecr describe-images`: an object with an \"imageDetails\" array".into()),
    };
    let mut images = Vec::with_capacity(details.len());
    let mut skipped = 0;
    for (i, d) in details.iter().enumerate() {
        let at = |field: &str| format!("imageDetails[{i}].{field}");
        let Json::Object(m) = d else {
            return Err(format!("imageDetails[{i}] must be an object"));
        };
        let digest = match m.get("imageDigest") {
            Some(Json::String(s)) => s.clone(),
            _ => return Err(format!("{} is missing or not a string", at("imageDigest"))),
        };
        let tags = match m.get("imageTags") {
            None | Some(Json::Null) => vec![],
            Some(Json::Array(a)) => a
                .iter()
                .map(|t| {
                    t.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("{} must hold strings", at("imageTags")))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(format!("{} must be an array of strings", at("imageTags"))),
        };
        let time = |field: &str| -> Result<Option<i64>, String> {
            match m.get(field) {
                None | Some(Json::Null) => Ok(None),
                Some(v) => parse_timestamp(v)
                    .map(Some)
                    .map_err(|e| format!("{}: {e}", at(field))),
            }
        };
        let pushed_at =
            time("imagePushedAt")?.ok_or_else(|| format!("{} is missing", at("imagePushedAt")))?;
        let storage_class = match m.get("imageStatus") {
            None | Some(Json::Null) => StorageClass::Standard,
            Some(Json::String(s)) => match s.to_ascii_uppercase().as_str() {
                "ACTIVE" => StorageClass::Standard,
                "ARCHIVED" => StorageClass::Archive,
                "ACTIVATING" => {
                    skipped += 1;
                    continue;
                }
                other => {
                    return Err(format!(
                        "{} {other:?} is not ACTIVE, ARCHIVED or ACTIVATING",
                        at("imageStatus")
                    ))
                }
            },
            Some(_) => return Err(format!("{} must be a string", at("imageStatus"))),
        };
        let size_bytes = match m.get("imageSizeInBytes") {
            None | Some(Json::Null) => None,
            Some(Json::Number(n)) => Some(
                n.as_i64()
                    .ok_or_else(|| format!("{} must be a whole number", at("imageSizeInBytes")))?,
            ),
            Some(_) => return Err(format!("{} must be a number", at("imageSizeInBytes"))),
        };
        images.push(Image {
            digest,
            tags,
            pushed_at,
            last_pulled_at: time("lastRecordedPullTime")?,
            last_archived_at: time("lastArchivedAt")?,
            last_activated_at: time("lastActivatedAt")?,
            storage_class,
            size_bytes,
        });
    }
    Ok((images, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp(&json!(86_400.75)), Ok(86_400));
        assert_eq!(parse_timestamp(&json!("86400.25")), Ok(86_400));
        assert_eq!(
            parse_timestamp(&json!("2024-01-01T00:00:00.123000+00:00")),
            Ok(1_704_067_200)
        );
        assert!(parse_timestamp(&json!(1e300)).is_err());
        assert!(parse_timestamp(&json!(true)).is_err());
    }

    #[test]
    fn images_file_parsing() {
        let (imgs, skipped) = parse_images(
            r#"{"imageDetails":[
                {"imageDigest":"sha256:a","imageTags":["v1"],"imagePushedAt":"2024-01-01T00:00:00Z","imageSizeInBytes":10},
                {"imageDigest":"sha256:b","imagePushedAt":1704067200.5,"imageStatus":"ARCHIVED","lastArchivedAt":1704067300},
                {"imageDigest":"sha256:c","imagePushedAt":1704067200,"imageStatus":"ACTIVATING"}]}"#,
        )
        .unwrap();
        assert_eq!(skipped, 1);
        assert_eq!(imgs.len(), 2);
        assert_eq!(
            (imgs[0].pushed_at, imgs[0].size_bytes),
            (1_704_067_200, Some(10))
        );
        assert_eq!(
            (imgs[1].storage_class, imgs[1].last_archived_at),
            (StorageClass::Archive, Some(1_704_067_300))
        );
        for (bad, what) in [
            ("[", "not valid JSON"),
            ("{}", "imageDetails"),
            (r#"[{"imagePushedAt":1}]"#, "imageDetails[0].imageDigest"),
            (
                r#"[{"imageDigest":"x"}]"#,
                "imageDetails[0].imagePushedAt is missing",
            ),
            (
                r#"[{"imageDigest":"x","imagePushedAt":"soon"}]"#,
                "imageDetails[0].imagePushedAt",
            ),
            (
                r#"[{"imageDigest":"x","imagePushedAt":1,"imageTags":[1]}]"#,
                "imageDetails[0].imageTags",
            ),
            (
                r#"[{"imageDigest":"x","imagePushedAt":1,"imageStatus":"GONE"}]"#,
                "imageDetails[0].imageStatus",
            ),
        ] {
            let e = parse_images(bad).unwrap_err();
            assert!(e.contains(what), "{bad}: {e}");
        }
    }
}
