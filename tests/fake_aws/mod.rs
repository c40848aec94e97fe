//! A few ECR and STS operations answered by a local HTTP server, so protocol tests can run
//! ListResource and OpenEphemeralResource against a configured provider without an emulator.
//! Requests are counted per operation (the `X-Amz-Target` or the STS `Action`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "eu-west-1";
/// base64("AWS:fake-password")
pub const TOKEN: &str = "QVdTOmZha2UtcGFzc3dvcmQ=";
pub const PASSWORD: &str = "fake-password";
pub const EXPIRES_AT: i64 = 4_102_444_800; // 2100-01-01

pub struct FakeAws {
    pub url: String,
    pub calls: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl FakeAws {
    /// Serves `repositories` (names), listed by DescribeRepositories `page` at a time.
    pub async fn start(repositories: Vec<String>, page: usize) -> FakeAws {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let calls = Arc::new(Mutex::new(BTreeMap::new()));
        let state = Arc::new((repositories, page, calls.clone()));
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let state = state.clone();
                tokio::spawn(async move {
                    while let Some((headers, body)) = read_request(&mut sock).await {
                        let (status, content_type, reply) =
                            answer(&headers, &body, &state.0, state.1, &state.2);
                        let resp = format!(
                            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n{reply}",
                            reply.len()
                        );
                        if sock.write_all(resp.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        FakeAws { url, calls }
    }

    pub fn count(&self, op: &str) -> usize {
        self.calls.lock().unwrap().get(op).copied().unwrap_or(0)
    }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<(String, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let headers = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len: usize = headers
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).to_string();
    Some((headers, body))
}

fn header<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn answer(
    headers: &str,
    body: &str,
    repositories: &[String],
    page: usize,
    calls: &Mutex<BTreeMap<String, usize>>,
) -> (&'static str, &'static str, String) {
    let op = match header(headers, "x-amz-target") {
        Some(t) => t.rsplit('.').next().unwrap_or(t).to_string(),
        None => body
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .unwrap_or("unknown")
            .to_string(),
    };
    *calls.lock().unwrap().entry(op.clone()).or_default() += 1;
    let json = "application/x-amz-json-1.1";
    match op.as_str() {
        "GetCallerIdentity" => (
            "200 OK",
            "text/xml",
            format!("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::{ACCOUNT}:user/test</Arn><UserId>AIDTEST</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"),
        ),
        "DescribeRepositories" => {
            let req: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            let start: usize = req["nextToken"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let named: Option<Vec<&str>> = req["repositoryNames"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect());
            let chosen: Vec<&String> = match &named {
                Some(n) => repositories.iter().filter(|r| n.contains(&r.as_str())).collect(),
                None => repositories.iter().skip(start).take(page).collect(),
            };
            let repos: Vec<serde_json::Value> = chosen
                .iter()
                .map(|name| {
                    serde_json::json!({
                        "repositoryName": name,
                        "registryId": ACCOUNT,
                        "repositoryArn": format!("arn:aws:ecr:{REGION}:{ACCOUNT}:repository/{name}"),
                        "repositoryUri": format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}"),
                        "imageTagMutability": "MUTABLE",
                        "imageScanningConfiguration": {"scanOnPush": false},
                        "encryptionConfiguration": {"encryptionType": "AES256"}
                    })
                })
                .collect();
            let mut out = serde_json::json!({ "repositories": repos });
            if named.is_none() && start + page < repositories.len() {
                out["nextToken"] = (start + page).to_string().into();
            }
            ("200 OK", json, out.to_string())
        }
        "GetAuthorizationToken" => (
            "200 OK",
            json,
            serde_json::json!({"authorizationData": [{
                "authorizationToken": TOKEN,
                "expiresAt": EXPIRES_AT,
                "proxyEndpoint": format!("https://{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com")
            }]})
            .to_string(),
        ),
        _ => (
            "400 Bad Request",
            json,
            serde_json::json!({"__type": "UnknownOperationException", "message": op}).to_string(),
        ),
    }
}
