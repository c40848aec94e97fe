//! What a provider implementation answers, in decoded values: the seam between the wire
//! (`server.rs`) and the typed framework.

use std::collections::BTreeMap;

use super::cty::Value;
use super::diagnostics::Diagnostics;
use super::path::AttrPath;
use super::schema::Schema;

/// Every schema the provider serves. Fixed for the life of the process.
#[derive(Clone, Debug)]
pub struct ProviderSchemas {
    pub provider: Schema,
    pub resources: BTreeMap<String, Schema>,
    pub data_sources: BTreeMap<String, Schema>,
}

pub struct ReadResourceRequest {
    pub type_name: String,
    pub current_state: Value,
    pub private: Vec<u8>,
}

pub struct ReadResourceResponse {
    /// `Value::Null` means the object no longer exists.
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct PlanResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Value,
    pub proposed_new_state: Value,
    pub config: Value,
    pub prior_private: Vec<u8>,
}

pub struct PlanResourceChangeResponse {
    pub planned_state: Value,
    pub requires_replace: Vec<AttrPath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ApplyResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Value,
    pub planned_state: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
}

pub struct ApplyResourceChangeResponse {
    pub new_state: Value,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ImportedResource {
    pub type_name: String,
    pub state: Value,
    pub private: Vec<u8>,
}

pub struct UpgradeResourceStateRequest {
    pub type_name: String,
    pub version: i64,
    /// The stored state as JSON, per the schema version that wrote it.
    pub raw_json: Option<Vec<u8>>,
    /// Pre-0.12 flatmap state; never written by this provider.
    pub has_flatmap: bool,
}

#[async_trait::async_trait]
pub trait ProviderHandler: Send + Sync + 'static {
    fn schemas(&self) -> &ProviderSchemas;
    async fn validate_provider_config(&self, config: Value) -> Diagnostics;
    async fn configure_provider(&self, terraform_version: String, config: Value) -> Diagnostics;
    async fn validate_resource_config(&self, type_name: &str, config: Value) -> Diagnostics;
    async fn validate_data_source_config(&self, type_name: &str, config: Value) -> Diagnostics;
    async fn upgrade_resource_state(
        &self,
        req: UpgradeResourceStateRequest,
    ) -> (Value, Diagnostics);
    async fn read_resource(&self, req: ReadResourceRequest) -> ReadResourceResponse;
    async fn plan_resource_change(
        &self,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse;
    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse;
    async fn import_resource_state(
        &self,
        type_name: &str,
        id: &str,
    ) -> (Vec<ImportedResource>, Diagnostics);
    async fn read_data_source(&self, type_name: &str, config: Value) -> (Value, Diagnostics);
    /// Cancel in-flight work (Terraform's Ctrl-C); `Err` text is reported back.
    async fn stop(&self) -> Result<(), String>;
}
