//! Logs on stderr as hclog JSON lines (`@level`, `@message`, `@timestamp`, `@module`, then the
//! event's fields), which go-plugin's client parses and re-emits at the right TF_LOG level.
//!
//! The level comes from `TF_LOG_PROVIDER`, else `TF_LOG` (what Terraform users already set);
//! without either we only emit warnings and errors.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Installs the global subscriber. Safe to call once per process.
pub fn init() {
    let level = std::env::var("TF_LOG_PROVIDER")
        .ok()
        .or_else(|| std::env::var("TF_LOG").ok())
        .and_then(|l| level_from_tf_log(&l))
        .unwrap_or(Level::WARN);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::builder().parse_lossy(directives(level)))
        .event_format(HclogJson)
        .try_init();
}

/// `level` for everything, but at most DEBUG for the SDK orchestrator: at TRACE it dumps every
/// response body and deserialized output, including secrets the API model does not mark
/// sensitive (ECR Public's GetAuthorizationToken token).
pub fn filter_directives(level: Level) -> String {
    let sdk = std::cmp::min(level, Level::DEBUG);
    format!(
        "{},aws_smithy_runtime::client::orchestrator={}",
        level.as_str().to_ascii_lowercase(),
        sdk.as_str().to_ascii_lowercase()
    )
}

/// Maps a TF_LOG value to a tracing level (`JSON` is Terraform's alias for TRACE).
/// Crates that at TRACE print HTTP response bodies and deserialized outputs, which can hold
/// secrets (ECR authorization tokens): never logged above DEBUG.
const SDK_TARGETS: &[&str] = &[
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_smithy_http",
    "aws_sdk_ecr",
    "aws_sdk_ecrpublic",
    "aws_sdk_sts",
    "aws_runtime",
    "aws_config",
    "hyper",
    "hyper_util",
    "h2",
];

/// Filter directives for `level`, with the AWS SDK and HTTP stack capped at DEBUG.
pub fn directives(level: Level) -> String {
    let lvl = level.as_str().to_ascii_lowercase();
    let sdk = if level == Level::TRACE {
        "debug"
    } else {
        lvl.as_str()
    };
    let mut d = lvl.clone();
    for t in SDK_TARGETS {
        d.push_str(&format!(",{t}={sdk}"));
    }
    d
}

pub fn level_from_tf_log(value: &str) -> Option<Level> {
    match value.trim().to_ascii_uppercase().as_str() {
        "TRACE" | "JSON" => Some(Level::TRACE),
        "DEBUG" => Some(Level::DEBUG),
        "INFO" => Some(Level::INFO),
        "WARN" => Some(Level::WARN),
        "ERROR" => Some(Level::ERROR),
        "OFF" | "" => None,
        _ => Some(Level::TRACE),
    }
}

/// tracing event formatter producing one hclog JSON object per line.
pub struct HclogJson;

impl<S, N> FormatEvent<S, N> for HclogJson
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let meta = event.metadata();
        let mut visitor = JsonFields::default();
        event.record(&mut visitor);
        let mut obj = serde_json::Map::new();
        obj.insert("@level".into(), level_name(*meta.level()).into());
        obj.insert(
            "@message".into(),
            visitor.message.unwrap_or_default().into(),
        );
        obj.insert(
            "@module".into(),
            format!("provider.terraform-provider-ecr.{}", meta.target()).into(),
        );
        obj.insert(
            "@timestamp".into(),
            hclog_timestamp(SystemTime::now()).into(),
        );
        for (k, v) in visitor.fields {
            obj.insert(k, v);
        }
        let line = serde_json::Value::Object(obj).to_string();
        writeln!(writer, "{line}")
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

#[derive(Default)]
struct JsonFields {
    message: Option<String>,
    fields: Vec<(String, serde_json::Value)>,
}

impl Visit for JsonFields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = Some(text);
        } else {
            self.fields.push((field.name().to_string(), text.into()));
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = Some(value.to_string());
        } else {
            self.fields.push((field.name().to_string(), value.into()));
        }
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.push((field.name().to_string(), value.into()));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.push((field.name().to_string(), value.into()));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.push((field.name().to_string(), value.into()));
    }
}

/// `2006-01-02T15:04:05.000000Z`, the layout hclog writes and go-plugin parses.
pub fn hclog_timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (y, mo, da) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let mut s = String::with_capacity(27);
    let _ = write!(
        s,
        "{y:04}-{mo:02}-{da:02}T{:02}:{:02}:{:02}.{:06}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60,
        d.subsec_micros()
    );
    s
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn sdk_response_dumps_are_capped_at_debug() {
        assert_eq!(
            filter_directives(Level::TRACE),
            "trace,aws_smithy_runtime::client::orchestrator=debug"
        );
        assert_eq!(
            filter_directives(Level::WARN),
            "warn,aws_smithy_runtime::client::orchestrator=warn"
        );
        tracing_subscriber::EnvFilter::try_new(filter_directives(Level::TRACE)).unwrap();
    }

    #[test]
    fn timestamps_use_the_hclog_layout() {
        let t = UNIX_EPOCH + Duration::new(1_136_214_245, 123_456_000); // 2006-01-02T15:04:05Z
        assert_eq!(hclog_timestamp(t), "2006-01-02T15:04:05.123456Z");
        assert_eq!(hclog_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert!(hclog_timestamp(leap).starts_with("2000-02-29T"));
    }

    #[test]
    fn sdk_is_capped_at_debug() {
        let d = directives(Level::TRACE);
        assert!(
            d.starts_with("trace,")
                && d.contains("aws_smithy_runtime=debug")
                && !d.contains("=trace"),
            "{d}"
        );
        let f = tracing_subscriber::EnvFilter::builder().parse(&d);
        assert!(f.is_ok(), "{d}");
        assert_eq!(
            directives(Level::WARN).matches("=warn").count(),
            SDK_TARGETS.len()
        );
    }

    #[test]
    fn tf_log_levels() {
        assert_eq!(level_from_tf_log("debug"), Some(Level::DEBUG));
        assert_eq!(level_from_tf_log("JSON"), Some(Level::TRACE));
        assert_eq!(level_from_tf_log("off"), None);
    }
}
