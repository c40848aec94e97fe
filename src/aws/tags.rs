//! Tags of ECR and ECR Public resources: one reader and one sync for both services, which take
//! the same three calls (ListTagsForResource, TagResource, UntagResource).

use std::collections::BTreeMap;

use super::errors;

/// The tag calls of one service.
#[async_trait::async_trait]
pub trait TagApi: Sync {
    /// The resource's tags.
    async fn list(&self, arn: &str) -> Result<BTreeMap<String, String>, String>;
    async fn untag(&self, arn: &str, keys: Vec<String>) -> Result<(), String>;
    async fn tag(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<(), String>;
}

/// Keys to untag and key/values to (re)tag to go from `old` to `new`.
pub fn tag_changes(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> (Vec<String>, BTreeMap<String, String>) {
    let removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    let changed = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (removed, changed)
}

/// Changes the tags of `arn` from `old` to `new`: untags removed keys, then (re)tags changed
/// ones; no call when nothing changes.
pub async fn sync(
    api: &impl TagApi,
    arn: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Result<(), String> {
    let (removed, changed) = tag_changes(old, new);
    if !removed.is_empty() {
        api.untag(arn, removed).await?;
    }
    if !changed.is_empty() {
        api.tag(arn, &changed).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl TagApi for aws_sdk_ecr::Client {
    async fn list(&self, arn: &str) -> Result<BTreeMap<String, String>, String> {
        let out = self
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| errors::text(&e))?;
        Ok(out
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect())
    }
    async fn untag(&self, arn: &str, keys: Vec<String>) -> Result<(), String> {
        self.untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(keys))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::text(&e))
    }
    async fn tag(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<(), String> {
        self.tag_resource()
            .resource_arn(arn)
            .set_tags(Some(ecr_tags(tags)))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::text(&e))
    }
}

#[async_trait::async_trait]
impl TagApi for aws_sdk_ecrpublic::Client {
    async fn list(&self, arn: &str) -> Result<BTreeMap<String, String>, String> {
        let out = self
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| errors::public_text(&e))?;
        Ok(out
            .tags()
            .iter()
            .map(|t| {
                (
                    t.key().unwrap_or_default().to_string(),
                    t.value().unwrap_or_default().to_string(),
                )
            })
            .collect())
    }
    async fn untag(&self, arn: &str, keys: Vec<String>) -> Result<(), String> {
        self.untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(keys))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::public_text(&e))
    }
    async fn tag(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<(), String> {
        self.tag_resource()
            .resource_arn(arn)
            .set_tags(Some(public_tags(tags)))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::public_text(&e))
    }
}

/// Tags as CreateRepository and TagResource of ECR take them.
pub fn ecr_tags(tags: &BTreeMap<String, String>) -> Vec<aws_sdk_ecr::types::Tag> {
    tags.iter()
        .filter_map(|(k, v)| {
            aws_sdk_ecr::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .ok()
        })
        .collect()
}

/// Tags as CreateRepository and TagResource of ECR Public take them.
pub fn public_tags(tags: &BTreeMap<String, String>) -> Vec<aws_sdk_ecrpublic::types::Tag> {
    tags.iter()
        .map(|(k, v)| {
            aws_sdk_ecrpublic::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn tag_changes_untag_removed_and_retag_changed() {
        let m = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let (removed, changed) = tag_changes(
            &m(&[("a", "1"), ("b", "2"), ("c", "3")]),
            &m(&[("a", "1"), ("b", "9"), ("d", "4")]),
        );
        assert_eq!(removed, vec!["c".to_string()]);
        assert_eq!(changed, m(&[("b", "9"), ("d", "4")]));
    }

    #[derive(Default)]
    struct Recorded(Mutex<Vec<String>>);

    #[async_trait::async_trait]
    impl TagApi for Recorded {
        async fn list(&self, _arn: &str) -> Result<BTreeMap<String, String>, String> {
            Ok(BTreeMap::new())
        }
        async fn untag(&self, arn: &str, keys: Vec<String>) -> Result<(), String> {
            self.0.lock().unwrap().push(format!("untag {arn} {keys:?}"));
            Ok(())
        }
        async fn tag(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<(), String> {
            self.0.lock().unwrap().push(format!("tag {arn} {tags:?}"));
            Ok(())
        }
    }

    #[tokio::test]
    async fn sync_makes_only_the_calls_needed() {
        let m = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let api = Recorded::default();
        sync(&api, "arn:x", &m(&[("a", "1")]), &m(&[("a", "1")]))
            .await
            .unwrap();
        assert!(api.0.lock().unwrap().is_empty());
        sync(
            &api,
            "arn:x",
            &m(&[("a", "1"), ("b", "2")]),
            &m(&[("a", "9")]),
        )
        .await
        .unwrap();
        assert_eq!(
            *api.0.lock().unwrap(),
            vec![
                "untag arn:x [\"b\"]".to_string(),
                "tag arn:x {\"a\": \"9\"}".to_string()
            ]
        );
    }
}
