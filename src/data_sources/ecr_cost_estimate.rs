//! `ecr_cost_estimate`: what the repositories of a registry cost per month, what a lifecycle
//! policy would reclaim, and a 12-month forecast with and without it. The arithmetic lives in
//! [`crate::pricing`]; reclaimable figures come from [`crate::lifecycle::evaluate`].

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ecr::types::{ImageDetail, ImageIdentifier};
use serde::{Deserialize, Serialize};

use crate::aws::errors;
use crate::aws::images::{lifecycle_image, ImageQuery, ImagesError};
use crate::aws::AwsClients;
use crate::framework::validate;
use crate::framework::{AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val};
use crate::lifecycle::{self, ActionType, LifecyclePolicy};
use crate::pricing::{self, ImageBlobs, Method, Prices};
use crate::protocol::cty::Type;
use crate::shared::lifecycle_rules::check_policy_text;
use crate::shared::validators::RepositoryName;
use crate::timestamp::{format_rfc3339, now_secs, parse_rfc3339};

pub struct EcrCostEstimate;

const MAX_PUSHES_PER_DAY: i64 = 1_000;
/// Media types BatchGetImage may return manifests in.
const MANIFEST_TYPES: &[&str] = &[
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
];

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub repository_names: Val<Vec<String>>,
    pub region: Val<String>,
    pub prices: Val<BTreeMap<String, f64>>,
    pub lifecycle_policy: Val<String>,
    pub pushes_per_day: Val<i64>,
    pub average_image_mb: Val<f64>,
    pub enhanced_scanning: Val<bool>,
    pub now: Val<String>,

    pub repositories: Val<Vec<RepositoryCost>>,
    pub total_stored_gb: Val<f64>,
    pub total_archive_gb: Val<f64>,
    pub total_monthly_cost_usd: Val<f64>,
    pub total_monthly_savings_usd: Val<f64>,
    pub forecast_12_months_usd: Val<Forecast>,
    pub repositories_without_lifecycle_policy: Val<Vec<String>>,
    pub method: Val<String>,
    pub prices_used: Val<BTreeMap<String, f64>>,
    pub price_source: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct RepositoryCost {
    pub name: String,
    pub image_count: i64,
    pub stored_gb: f64,
    pub archive_gb: f64,
    pub monthly_cost_usd: f64,
    pub reclaimable_images: i64,
    pub reclaimable_gb: f64,
    pub monthly_savings_usd: f64,
    pub has_lifecycle_policy: bool,
    pub method: String,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct Forecast {
    pub without_policy: f64,
    pub with_policy: f64,
}

fn object(fields: &[(&str, Type)]) -> Type {
    Type::Object(
        fields
            .iter()
            .map(|(k, t)| (k.to_string(), t.clone()))
            .collect(),
    )
}

fn repository_type() -> Type {
    object(&[
        ("name", Type::String),
        ("image_count", Type::Number),
        ("stored_gb", Type::Number),
        ("archive_gb", Type::Number),
        ("monthly_cost_usd", Type::Number),
        ("reclaimable_images", Type::Number),
        ("reclaimable_gb", Type::Number),
        ("monthly_savings_usd", Type::Number),
        ("has_lifecycle_policy", Type::Bool),
        ("method", Type::String),
    ])
}

/// One repository's figures before rounding, plus what the forecast needs.
struct Estimate {
    cost: RepositoryCost,
    standard_bytes: i64,
    archive_bytes: i64,
    cost_now: f64,
    cost_after: f64,
    method: Method,
    forecast: (f64, f64),
}

/// The pure part: figures for one repository from its images (with manifests where read),
/// the policy to evaluate (if any) and the prices.
fn estimate_repository(
    name: &str,
    details: &[ImageDetail],
    manifests: &HashMap<String, Vec<(String, i64)>>,
    policy: Option<&LifecyclePolicy>,
    has_remote_policy: bool,
    prices: &Prices,
    now: i64,
    forecast: (u32, Option<f64>, bool),
) -> Estimate {
    // Standard storage: ACTIVE images, de-duplicated by blob. Archive: ARCHIVED/ACTIVATING, by size.
    let is_archived = |d: &ImageDetail| {
        matches!(
            d.image_status().map(|s| s.as_str()),
            Some("ARCHIVED" | "ACTIVATING")
        )
    };
    let blobs: Vec<ImageBlobs> = details
        .iter()
        .map(|d| {
            let digest = d.image_digest().unwrap_or_default().to_string();
            ImageBlobs {
                blobs: manifests.get(&digest).cloned(),
                digest,
                size_bytes: d.image_size_in_bytes().unwrap_or(0),
            }
        })
        .collect();
    let active: Vec<usize> = (0..details.len())
        .filter(|&i| !is_archived(&details[i]))
        .collect();
    let archived: Vec<usize> = (0..details.len())
        .filter(|&i| is_archived(&details[i]))
        .collect();
    let (standard, method) = pricing::stored_bytes(active.iter().map(|&i| &blobs[i]));
    let archive_bytes: i64 = archived.iter().map(|&i| blobs[i].size_bytes.max(0)).sum();
    let cost_now = pricing::monthly_cost(standard, archive_bytes, prices);

    // What the policy would do now.
    let evaluable: Vec<(usize, lifecycle::Image)> = details
        .iter()
        .enumerate()
        .filter_map(|(i, d)| lifecycle_image(d).map(|img| (i, img)))
        .collect();
    let mut expire = vec![false; details.len()];
    let mut transition = vec![false; details.len()];
    if let Some(pol) = policy {
        let imgs: Vec<lifecycle::Image> = evaluable.iter().map(|(_, img)| img.clone()).collect();
        let eval = lifecycle::evaluate(pol, &imgs, now);
        for ((i, _), r) in evaluable.iter().zip(&eval.results) {
            match r.action {
                Some(ActionType::Expire) => expire[*i] = true,
                Some(ActionType::Transition) => transition[*i] = true,
                None => {}
            }
        }
    }
    let active_blobs: Vec<ImageBlobs> = active.iter().map(|&i| blobs[i].clone()).collect();
    let expired_active: Vec<bool> = active.iter().map(|&i| expire[i]).collect();
    let gone_active: Vec<bool> = active.iter().map(|&i| expire[i] || transition[i]).collect();
    let freed_by_expiry = pricing::freed_bytes(&active_blobs, &expired_active);
    let standard_after = standard - pricing::freed_bytes(&active_blobs, &gone_active);
    let expired_archive: i64 = archived
        .iter()
        .filter(|&&i| expire[i])
        .map(|&i| blobs[i].size_bytes.max(0))
        .sum();
    let moved: i64 = active
        .iter()
        .filter(|&&i| transition[i])
        .map(|&i| blobs[i].size_bytes.max(0))
        .sum();
    let archive_after = archive_bytes - expired_archive + moved;
    let cost_after = pricing::monthly_cost(standard_after, archive_after, prices);

    // Forecast: today's images, each charged the blobs it is the newest holder of, plus new pushes.
    let (pushes, average_mb, enhanced) = forecast;
    let active_pushed: Vec<i64> = active
        .iter()
        .map(|&i| details[i].image_pushed_at().map(|t| t.secs()).unwrap_or(0))
        .collect();
    let attributed = pricing::attribute_blobs(&active_blobs, &active_pushed);
    let mut size_of: HashMap<usize, i64> = active
        .iter()
        .copied()
        .zip(attributed.iter().copied())
        .collect();
    for &i in &archived {
        size_of.insert(i, blobs[i].size_bytes.max(0));
    }
    let images: Vec<lifecycle::Image> = evaluable
        .iter()
        .map(|(i, img)| {
            let mut img = img.clone();
            img.size_bytes = Some(size_of.get(i).copied().unwrap_or(0));
            img
        })
        .collect();
    let newest = active
        .iter()
        .map(|&i| &details[i])
        .max_by_key(|d| d.image_pushed_at().map(|t| t.secs()).unwrap_or(0));
    let image_bytes = match average_mb {
        Some(mb) => (mb * pricing::MB) as i64,
        None if !attributed.is_empty() => attributed.iter().sum::<i64>() / attributed.len() as i64,
        None => 0,
    };
    let input = pricing::ForecastInput {
        images,
        pushes_per_day: pushes,
        image_bytes,
        new_tags: newest.map(|d| d.image_tags().to_vec()).unwrap_or_default(),
        now,
        enhanced_scanning: enhanced,
    };
    let forecast = pricing::forecast_12_months(&input, policy, prices);

    let reclaimable = freed_by_expiry + expired_archive;
    Estimate {
        cost: RepositoryCost {
            name: name.to_string(),
            image_count: details.len() as i64,
            stored_gb: pricing::round(pricing::gb(standard), 6),
            archive_gb: pricing::round(pricing::gb(archive_bytes), 6),
            monthly_cost_usd: pricing::round(cost_now, 4),
            reclaimable_images: expire.iter().filter(|e| **e).count() as i64,
            reclaimable_gb: pricing::round(pricing::gb(reclaimable), 6),
            monthly_savings_usd: pricing::round((cost_now - cost_after).max(0.0), 4),
            has_lifecycle_policy: has_remote_policy,
            method: method.as_str().to_string(),
        },
        standard_bytes: standard,
        archive_bytes,
        cost_now,
        cost_after,
        method,
        forecast,
    }
}

/// The embedded price table as markdown, for the docs page (so the page cannot disagree with
/// `pricing::TABLE`).
fn price_table_markdown() -> String {
    let mut t = String::from(
        "| Region | Storage GB-month | Archive GB-month | Inspector scan / rescan per image | Source (date) |\n|---|---|---|---|---|\n",
    );
    for r in crate::pricing::TABLE {
        let p = &r.prices;
        t.push_str(&format!(
            "| {} | ${:.2} | ${:.2} (first 150 TB) | ${:.2} / ${:.2} | {} ({}) |\n",
            r.region,
            p.storage_gb_month,
            p.archive_gb_month,
            p.enhanced_scan_per_image,
            p.enhanced_rescan_per_image,
            r.source,
            r.as_of
        ));
    }
    t
}

/// The page's sections beyond the attribute descriptions (see `crate::docs`); `{table}` is
/// replaced by the embedded price table.
const COST_DOCS_NOTES: &str = r#"## How bytes are counted

- **GB means 2^30 bytes** (GiB), as AWS bills storage; a month is 30 days; `average_image_mb` is in
  MB of 2^20 bytes.
- **Standard storage** (`stored_gb`): images are listed with `DescribeImages` (every status, all
  pages) and the manifest of each active image is read with `BatchGetImage` (100 per call). ECR bills
  each unique layer once per repository, so every unique layer and config blob is counted once;
  summing `imageSizeInBytes` would count shared base layers once per image. Images whose manifest
  cannot be read are counted by `imageSizeInBytes`. `method` says which was used:
  `unique_layers`, `image_size_sum`, `mixed` (some of each) or `no_images`.
- **Archive storage** (`archive_gb`): the sum of `imageSizeInBytes` of `ARCHIVED` and `ACTIVATING`
  images.
- **Reclaimable** (`reclaimable_images`, `reclaimable_gb`): the images the policy would expire now,
  found with the same evaluator as [`ecr_lifecycle_preview`](ecr_lifecycle_preview.md); only layers
  no kept image references are counted as freed. `monthly_savings_usd` also counts transitions to the
  archive (which save nothing while archive and standard storage cost the same).
- **Forecast** (`forecast_12_months_usd`): 360 days, each day adding `pushes_per_day` images of
  `average_image_mb` new unique MB to every repository (default: the repository's current average),
  priced daily. `without_policy` deletes nothing; `with_policy` evaluates the policy every day (every
  `pushes_per_day / 100` days above 100 pushes a day) and removes or archives what it selects. New
  images are assumed to be tagged like the repository's newest image (untagged if it has none). Today's
  shared layers are charged to the newest image that uses them. With `enhanced_scanning`, each push
  adds one Amazon Inspector enhanced scan.

The policy evaluated is `lifecycle_policy` when set, else each repository's current policy; a
repository without either has no reclaimable bytes and `with_policy` equals `without_policy`.

A rule of thumb (a busy team pushing 20 images a day of about 300 MB holds ~176 GB,
600 images, after a month, i.e. about **$18/month for one repository**, growing every month)
is what `pushes_per_day = 20`, `average_image_mb = 300` model.

## Embedded prices

Prices come from an embedded table compiled from secondary sources that quote AWS's pricing
page, not read live from AWS; `price_source` names them with their date. Check them against the
[ECR pricing page](https://aws.amazon.com/ecr/pricing/) and override them with `prices` when they
differ.

{table}
Other regions use the us-east-1 row, and `price_source` says so. Archive storage above 150 TB a month
($0.07) is not tiered in the estimate: override `archive_gb_month` if it applies."#;

#[async_trait::async_trait]
impl DataSource for EcrCostEstimate {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_cost_estimate"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: COST_DOCS_NOTES
                .replace("{table}", &price_table_markdown())
                .into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        let num = |n: &str, d: &str| Attribute::number(n).computed().description(d);
        Schema::new(
            0,
            Block::new("**Estimates** what ECR storage costs per month, what a lifecycle policy would reclaim, and a 12-month forecast.\n\nImages are read with DescribeImages (every status, all pages) and their manifests with BatchGetImage, so each unique layer is counted once per repository, as ECR bills (summing image sizes over-counts shared layers). GB means 2^30 bytes and a month 30 days, as AWS bills. Prices come from an embedded table (with its source and date, `price_source`) and can be overridden with `prices`; they are estimates, not a bill. Data transfer, KMS requests and the free tier are not included.")
                .attr(Attribute::string_list("repository_names").optional().description("Repositories to estimate. Empty or unset: every repository in the registry. (Named `repository_names` because the output `repositories` holds the per-repository figures.)"))
                .attr(Attribute::string("region").optional().description("Region whose registry is read and whose prices are used. Default: the provider's region."))
                .attr(Attribute::new("prices", Type::Map(Box::new(Type::Number))).optional().description("Price overrides in USD: `storage_gb_month`, `archive_gb_month`, `enhanced_scan_per_image`, `enhanced_rescan_per_image`. Other keys and negative prices are errors."))
                .attr(Attribute::string("lifecycle_policy").optional().description("Lifecycle policy JSON to evaluate for every repository instead of each repository's current one (for example `data.ecr_lifecycle_policy_document.x.json`). Checked at plan time like `ecr_lifecycle_policy`."))
                .attr(Attribute::number("pushes_per_day").optional().description("New images per repository per day, for the forecast (0–1000; default 0)."))
                .attr(Attribute::number("average_image_mb").optional().description("New unique MB (2^20 bytes) each pushed image adds, for the forecast. Default: each repository's current average."))
                .attr(Attribute::bool("enhanced_scanning").optional().description("Add an Amazon Inspector enhanced scan per pushed image to the forecast (default `false`)."))
                .attr(Attribute::string("now").optional().computed().description("Evaluation time, RFC 3339, for reproducible reclaimable figures and forecasts. Default: the time of the read."))
                .attr(
                    Attribute::new("repositories", Type::List(Box::new(repository_type())))
                        .computed()
                        .description("Per repository: `name`, `image_count`, `stored_gb` (standard storage), `archive_gb`, `monthly_cost_usd`, `reclaimable_images` and `reclaimable_gb` (what the policy would expire now), `monthly_savings_usd` (expiry and transitions), `has_lifecycle_policy` (in AWS now) and `method` (how bytes were counted: `unique_layers`, `image_size_sum`, `mixed` or `no_images`)."),
                )
                .attr(num("total_stored_gb", "Standard storage of all repositories, GB (2^30 bytes)."))
                .attr(num("total_archive_gb", "Archive storage of all repositories, GB."))
                .attr(num("total_monthly_cost_usd", "Estimated storage cost per month, USD."))
                .attr(num("total_monthly_savings_usd", "Estimated monthly saving if the policy acted now, USD."))
                .attr(
                    Attribute::new("forecast_12_months_usd", object(&[("without_policy", Type::Number), ("with_policy", Type::Number)]))
                        .computed()
                        .description("Estimated cost of the next 12 months (360 days) of storage (and enhanced scans when `enhanced_scanning`), with `pushes_per_day` new images per repository: `without_policy` (nothing deleted) and `with_policy` (the policy evaluated daily; new images are tagged like each repository's newest image)."),
                )
                .attr(Attribute::string_list("repositories_without_lifecycle_policy").computed().description("Repositories that have no lifecycle policy in AWS."))
                .attr(Attribute::string("method").computed().description("How bytes were counted overall: `unique_layers` (every manifest read; each unique layer and config blob counted once per repository), `image_size_sum` (sum of `imageSizeInBytes`), `mixed`, or `no_images`. Archive storage always sums `imageSizeInBytes`."))
                .attr(Attribute::new("prices_used", Type::Map(Box::new(Type::Number))).computed().description("The prices applied, USD."))
                .attr(Attribute::string("price_source").computed().description("Where the prices come from and their date.")),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        for (i, n) in c.repository_names.items().iter().enumerate() {
            validate::check_value(
                diags,
                &AttrPath::attr("repository_names").then_index(i),
                Val::Known(n.as_str()),
                &[&RepositoryName],
            );
        }
        if let Some(p) = c.prices.known() {
            let o: HashMap<String, f64> = p.iter().map(|(k, v)| (k.clone(), *v)).collect();
            if let Err(k) = pricing::TABLE[0].prices.with_overrides(&o) {
                diags.attr_error(
                    AttrPath::attr("prices"),
                    "Invalid price override",
                    format!(
                        "prices[{k:?}] must be one of {} with a price of 0 or more.",
                        pricing::PRICE_KEYS.join(", ")
                    ),
                );
            }
        }
        check_policy_text(
            &c.lifecycle_policy,
            &AttrPath::attr("lifecycle_policy"),
            diags,
        );
        if let Some(n) = c.pushes_per_day.known() {
            if !(0..=MAX_PUSHES_PER_DAY).contains(n) {
                diags.attr_error(
                    AttrPath::attr("pushes_per_day"),
                    "Invalid pushes_per_day",
                    format!("pushes_per_day must be between 0 and {MAX_PUSHES_PER_DAY}; got {n}."),
                );
            }
        }
        if let Some(mb) = c.average_image_mb.known() {
            if !mb.is_finite() || *mb < 0.0 {
                diags.attr_error(
                    AttrPath::attr("average_image_mb"),
                    "Invalid average_image_mb",
                    format!("average_image_mb must be 0 or more; got {mb}."),
                );
            }
        }
        if let Some(now) = c.now.str() {
            if let Err(e) = parse_rfc3339(now) {
                diags.attr_error(
                    AttrPath::attr("now"),
                    "Invalid now",
                    format!(
                        "now {now:?} is not an RFC 3339 time such as 2026-01-31T00:00:00Z: {e}."
                    ),
                );
            }
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let base = &ctx.provider;
        let region = c.region.str().unwrap_or(&base.region).to_string();
        let regional = base.in_region(Some(&region));
        let aws: &AwsClients = &regional;
        let (row, exact) = pricing::for_region(&region);
        let overrides: HashMap<String, f64> = c
            .prices
            .known()
            .map(|p| p.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default();
        let prices = match row.prices.with_overrides(&overrides) {
            Ok(p) => p,
            Err(k) => {
                diags.attr_error(
                    AttrPath::attr("prices"),
                    "Invalid price override",
                    format!("prices[{k:?}] is not a known price or is negative."),
                );
                return None;
            }
        };
        let mut source = format!(
            "embedded table, {} prices ({}, as of {})",
            row.region, row.source, row.as_of
        );
        if !exact {
            source = format!("no embedded prices for {region}; using {source}");
        }
        if !overrides.is_empty() {
            let mut keys: Vec<&String> = overrides.keys().collect();
            keys.sort();
            source = format!(
                "{source}; overridden: {}",
                keys.iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let now = match c.now.str() {
            Some(s) => parse_rfc3339(s).ok()?,
            None => now_secs(),
        };
        let override_policy = match c.lifecycle_policy.str() {
            Some(t) => match lifecycle::parse_policy(t) {
                Ok(p) => Some(p),
                Err(f) => {
                    let list: Vec<String> = f.iter().map(ToString::to_string).collect();
                    diags.attr_error(
                        AttrPath::attr("lifecycle_policy"),
                        "Cannot read the lifecycle policy",
                        list.join("\n"),
                    );
                    return None;
                }
            },
            None => None,
        };

        let names = if c.repository_names.items().is_empty() {
            match list_repositories(aws).await {
                Ok(n) => n,
                Err(e) => {
                    diags.error(format!("Listing the repositories in {region} failed"), e);
                    return None;
                }
            }
        } else {
            c.repository_names.items().to_vec()
        };

        let pushes = c
            .pushes_per_day
            .known()
            .copied()
            .unwrap_or(0)
            .clamp(0, MAX_PUSHES_PER_DAY) as u32;
        let forecast_in = (
            pushes,
            c.average_image_mb.known().copied(),
            c.enhanced_scanning.or(false),
        );
        let mut rows = Vec::new();
        let (mut std_total, mut arch_total, mut now_total, mut after_total) =
            (0i64, 0i64, 0f64, 0f64);
        let (mut fw, mut fp) = (0f64, 0f64);
        let mut method = Method::Empty;
        let mut without_policy = Vec::new();
        for name in &names {
            let details = match ImageQuery::new(name).all(&aws.ecr).await {
                Ok((d, _)) => d,
                Err(ImagesError::RepositoryNotFound(e)) => {
                    diags.attr_error(
                        AttrPath::attr("repository_names"),
                        format!("ECR repository {name:?} not found"),
                        e,
                    );
                    return None;
                }
                Err(e) => {
                    diags.error(
                        format!("Listing the images of {name:?} failed"),
                        e.to_string(),
                    );
                    return None;
                }
            };
            let manifests = read_manifests(aws, name, &details).await;
            let remote = match aws.lifecycle_policies.get(name).await {
                Ok(p) => p,
                Err(e) => {
                    diags.error(
                        format!("Reading the lifecycle policy of {name:?} failed"),
                        e,
                    );
                    return None;
                }
            };
            let remote_policy = match (&override_policy, &remote) {
                (Some(_), _) | (None, None) => None,
                (None, Some(r)) => match lifecycle::parse_policy(&r.text) {
                    Ok(p) => Some(p),
                    Err(_) => {
                        diags.warning(format!("The lifecycle policy of {name:?} cannot be evaluated"), "Its current lifecycle policy is not readable by this provider; reclaimable figures for it are 0.");
                        None
                    }
                },
            };
            if remote.is_none() {
                without_policy.push(name.clone());
            }
            let policy = override_policy.as_ref().or(remote_policy.as_ref());
            let e = estimate_repository(
                name,
                &details,
                &manifests,
                policy,
                remote.is_some(),
                &prices,
                now,
                forecast_in,
            );
            std_total += e.standard_bytes;
            arch_total += e.archive_bytes;
            now_total += e.cost_now;
            after_total += e.cost_after;
            fw += e.forecast.0;
            fp += e.forecast.1;
            method = method.merge(e.method);
            rows.push(e.cost);
        }
        let prices_used: BTreeMap<String, f64> = [
            ("storage_gb_month", prices.storage_gb_month),
            ("archive_gb_month", prices.archive_gb_month),
            ("enhanced_scan_per_image", prices.enhanced_scan_per_image),
            (
                "enhanced_rescan_per_image",
                prices.enhanced_rescan_per_image,
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Some(Model {
            now: Val::of(
                c.now
                    .str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format_rfc3339(now)),
            ),
            repositories: Val::Known(rows),
            total_stored_gb: Val::Known(pricing::round(pricing::gb(std_total), 6)),
            total_archive_gb: Val::Known(pricing::round(pricing::gb(arch_total), 6)),
            total_monthly_cost_usd: Val::Known(pricing::round(now_total, 4)),
            total_monthly_savings_usd: Val::Known(pricing::round(
                (now_total - after_total).max(0.0),
                4,
            )),
            forecast_12_months_usd: Val::Known(Forecast {
                without_policy: pricing::round(fw, 2),
                with_policy: pricing::round(fp, 2),
            }),
            repositories_without_lifecycle_policy: Val::Known(without_policy),
            method: Val::of(method.as_str()),
            prices_used: Val::Known(prices_used),
            price_source: Val::of(source),
            ..c
        })
    }
}

async fn list_repositories(aws: &AwsClients) -> Result<Vec<String>, String> {
    let mut stream = aws
        .ecr
        .describe_repositories()
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(r) = stream.next().await {
        let r = r.map_err(|e| errors::text(&e))?;
        out.extend(r.repository_name().map(str::to_string));
    }
    out.sort();
    Ok(out)
}

/// Blobs of each ACTIVE image's manifest (BatchGetImage, 100 per call). Images whose manifest
/// cannot be read are left out and counted by `imageSizeInBytes`.
async fn read_manifests(
    aws: &AwsClients,
    repo: &str,
    details: &[ImageDetail],
) -> HashMap<String, Vec<(String, i64)>> {
    let digests: Vec<&str> = details
        .iter()
        .filter(|d| {
            !matches!(
                d.image_status().map(|s| s.as_str()),
                Some("ARCHIVED" | "ACTIVATING")
            )
        })
        .filter_map(|d| d.image_digest())
        .collect();
    let mut out = HashMap::new();
    for chunk in digests.chunks(100) {
        let ids: Vec<ImageIdentifier> = chunk
            .iter()
            .map(|d| ImageIdentifier::builder().image_digest(*d).build())
            .collect();
        let mut req = aws
            .ecr
            .batch_get_image()
            .repository_name(repo)
            .set_image_ids(Some(ids));
        for t in MANIFEST_TYPES {
            req = req.accepted_media_types(*t);
        }
        match req.send().await {
            Ok(res) => {
                for img in res.images() {
                    let (Some(d), Some(m)) = (
                        img.image_id().and_then(|i| i.image_digest()),
                        img.image_manifest(),
                    ) else {
                        continue;
                    };
                    if let Some(b) = pricing::manifest_blobs(m) {
                        out.insert(d.to_string(), b);
                    }
                }
            }
            Err(e) => {
                tracing::debug!(repository = %repo, error = %errors::text(&e), "BatchGetImage failed; counting image sizes instead");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::val::encode_model;
    use aws_sdk_ecr::types::ImageStatus;

    fn detail(
        digest: &str,
        tags: &[&str],
        pushed_day: i64,
        size: i64,
        status: ImageStatus,
    ) -> ImageDetail {
        let mut b = ImageDetail::builder()
            .image_digest(digest)
            .image_pushed_at(aws_smithy_types::DateTime::from_secs(pushed_day * 86_400))
            .image_size_in_bytes(size)
            .image_status(status);
        for t in tags {
            b = b.image_tags(*t);
        }
        b.build()
    }

    const GIB: i64 = 1 << 30;

    #[test]
    fn unique_layers_reclaimable_and_savings() {
        let details = vec![
            detail("sha256:a", &["v1"], 1, 3 * GIB, ImageStatus::Active),
            detail("sha256:b", &["v2"], 2, 3 * GIB, ImageStatus::Active),
            detail("sha256:c", &[], 3, GIB, ImageStatus::Archived),
        ];
        let manifests: HashMap<String, Vec<(String, i64)>> = [
            (
                "sha256:a".to_string(),
                vec![("base".to_string(), 2 * GIB), ("app1".to_string(), GIB)],
            ),
            (
                "sha256:b".to_string(),
                vec![("base".to_string(), 2 * GIB), ("app2".to_string(), GIB)],
            ),
        ]
        .into();
        let keep_one = lifecycle::parse_policy(r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#).unwrap();
        let p = pricing::TABLE[0].prices;
        let e = estimate_repository(
            "app",
            &details,
            &manifests,
            Some(&keep_one),
            true,
            &p,
            10 * 86_400,
            (0, None, false),
        );
        // 2 + 1 + 1 GiB of unique layers, not 6 GiB of image sizes.
        assert_eq!(
            (e.cost.stored_gb, e.cost.archive_gb, e.cost.method.as_str()),
            (4.0, 1.0, "unique_layers")
        );
        assert_eq!(e.cost.monthly_cost_usd, 0.5);
        // Expiring v1 frees only its own layer.
        assert_eq!(
            (
                e.cost.reclaimable_images,
                e.cost.reclaimable_gb,
                e.cost.monthly_savings_usd
            ),
            (1, 1.0, 0.1)
        );
        // 12 months of today's bill without pushes; with the policy, 12 months of the smaller bill.
        assert!((e.forecast.0 - 6.0).abs() < 1e-9, "{:?}", e.forecast);
        assert!((e.forecast.1 - 4.8).abs() < 1e-9, "{:?}", e.forecast);

        // No manifests: image sizes are summed, and say so.
        let e = estimate_repository(
            "app",
            &details,
            &HashMap::new(),
            None,
            false,
            &p,
            10 * 86_400,
            (0, None, false),
        );
        assert_eq!(
            (
                e.cost.stored_gb,
                e.cost.method.as_str(),
                e.cost.reclaimable_images
            ),
            (6.0, "image_size_sum", 0)
        );
    }

    #[test]
    fn forecast_defaults_to_the_average_image() {
        let details = vec![detail("sha256:a", &["sha-1"], 1, GIB, ImageStatus::Active)];
        let p = pricing::TABLE[0].prices;
        let e = estimate_repository(
            "app",
            &details,
            &HashMap::new(),
            None,
            false,
            &p,
            86_400,
            (1, None, false),
        );
        // Day d holds 1 + d GiB.
        let expected: f64 = (1..=360).map(|d| (1 + d) as f64 * 0.10 / 30.0).sum();
        assert!((e.forecast.0 - expected).abs() < 1e-9);
    }

    #[test]
    fn outputs_encode_and_inputs_validate() {
        let m = Model {
            repositories: Val::Known(vec![RepositoryCost {
                name: "app".into(),
                ..Default::default()
            }]),
            forecast_12_months_usd: Val::Known(Forecast::default()),
            ..Default::default()
        };
        assert!(encode_model(&m, &EcrCostEstimate.schema().block).is_ok());
        let mut d = Diagnostics::new();
        let bad = Model {
            repository_names: Val::Known(vec!["ok".into(), "Bad!".into()]),
            prices: Val::Known([("storage".to_string(), 1.0)].into()),
            pushes_per_day: Val::Known(-1),
            average_image_mb: Val::Known(-2.0),
            lifecycle_policy: Val::of("{"),
            ..Default::default()
        };
        EcrCostEstimate.validate(&bad, &mut d);
        let paths: Vec<String> =
            d.0.iter()
                .filter_map(|x| x.attribute.as_ref().map(ToString::to_string))
                .collect();
        assert_eq!(
            paths,
            [
                "repository_names[1]",
                "prices",
                "lifecycle_policy",
                "pushes_per_day",
                "average_image_mb"
            ]
        );
    }
}
