//! What a provider implementation answers, in decoded values: the seam between the wire
//! (`server/`) and the typed framework.
//!
//! Identity values are `Value::Null` when absent: from clients older than protocol 6.9 (they
//! never send one) and in answers that have none (the server then leaves the field out).

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::cty::Value;
use super::diagnostics::Diagnostics;
use super::function::{FunctionError, FunctionSignature};
use super::identity::IdentitySchema;
use super::path::AttrPath;
use super::schema::Schema;

/// Every schema the provider serves. Fixed for the life of the process.
#[derive(Clone, Debug)]
pub struct ProviderSchemas {
    pub provider: Schema,
    pub resources: BTreeMap<String, Schema>,
    pub data_sources: BTreeMap<String, Schema>,
    /// Keyed by resource type; every resource has one.
    pub identities: BTreeMap<String, IdentitySchema>,
    pub ephemeral_resources: BTreeMap<String, Schema>,
    /// The `config` block of each list resource; its results are of the resource type of the
    /// same name.
    pub list_resources: BTreeMap<String, Schema>,
    pub functions: BTreeMap<String, FunctionSignature>,
}

pub struct ReadResourceRequest {
    pub type_name: String,
    pub current_state: Value,
    pub private: Vec<u8>,
    pub current_identity: Value,
}

pub struct ReadResourceResponse {
    /// `Value::Null` means the object no longer exists.
    pub new_state: Value,
    pub private: Vec<u8>,
    pub new_identity: Value,
    pub diagnostics: Diagnostics,
}

pub struct PlanResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Value,
    pub proposed_new_state: Value,
    pub config: Value,
    pub prior_private: Vec<u8>,
    pub prior_identity: Value,
}

pub struct PlanResourceChangeResponse {
    pub planned_state: Value,
    pub requires_replace: Vec<AttrPath>,
    pub planned_private: Vec<u8>,
    pub planned_identity: Value,
    pub diagnostics: Diagnostics,
}

pub struct ApplyResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Value,
    pub planned_state: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
    pub planned_identity: Value,
}

pub struct ApplyResourceChangeResponse {
    pub new_state: Value,
    pub private: Vec<u8>,
    pub new_identity: Value,
    pub diagnostics: Diagnostics,
}

pub struct ImportResourceStateRequest {
    pub type_name: String,
    /// Empty when the import block gives an identity instead.
    pub id: String,
    pub identity: Value,
}

pub struct ImportedResource {
    pub type_name: String,
    pub state: Value,
    pub private: Vec<u8>,
    pub identity: Value,
}

pub struct UpgradeResourceStateRequest {
    pub type_name: String,
    pub version: i64,
    /// The stored state as JSON, per the schema version that wrote it.
    pub raw_json: Option<Vec<u8>>,
    /// Pre-0.12 flatmap state; never written by this provider.
    pub has_flatmap: bool,
}

/// A `moved` block whose `from` is another provider's (or another type's) resource.
pub struct MoveResourceStateRequest {
    pub source_provider_address: String,
    pub source_type_name: String,
    pub source_schema_version: i64,
    /// The source state as its provider stored it (JSON); Terraform sends no flatmap here.
    pub source_state_json: Vec<u8>,
    pub target_type_name: String,
    pub source_private: Vec<u8>,
    /// The source identity as stored (JSON), when the source type has one.
    pub source_identity_json: Option<Vec<u8>>,
    pub source_identity_schema_version: i64,
}

pub struct MoveResourceStateResponse {
    pub target_state: Value,
    pub target_private: Vec<u8>,
    pub target_identity: Value,
    pub diagnostics: Diagnostics,
}

pub struct OpenEphemeralResourceResponse {
    pub result: Value,
    /// When Terraform should call Renew if the resource is still open.
    pub renew_at: Option<SystemTime>,
    /// Handed back on Renew and Close; Terraform keeps it in memory only.
    pub private: Option<Vec<u8>>,
    pub diagnostics: Diagnostics,
}

pub struct RenewEphemeralResourceResponse {
    pub renew_at: Option<SystemTime>,
    pub private: Option<Vec<u8>>,
    pub diagnostics: Diagnostics,
}

pub struct ListResourceRequest {
    pub type_name: String,
    /// Of the list resource's schema (the inside of the `config` block).
    pub config: Value,
    pub include_resource: bool,
    /// Terraform reads no more than this many results.
    pub limit: i64,
}

/// One result of a list resource: an object of the resource type of the same name.
pub struct ListResourceEvent {
    pub identity: Value,
    pub display_name: String,
    /// The full state, when the request asked for it.
    pub resource: Option<Value>,
    pub diagnostics: Diagnostics,
}

/// Where a list resource's results go; the server encodes and streams each as it comes.
#[async_trait::async_trait]
pub trait ListSink: Send {
    /// False when the client stopped reading (limit reached, cancelled): stop listing.
    async fn send(&mut self, event: ListResourceEvent) -> bool;
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
    /// `raw_json` was written with identity schema `version`.
    async fn upgrade_resource_identity(
        &self,
        type_name: &str,
        version: i64,
        raw_json: &[u8],
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
        req: ImportResourceStateRequest,
    ) -> (Vec<ImportedResource>, Diagnostics);
    async fn move_resource_state(&self, req: MoveResourceStateRequest)
        -> MoveResourceStateResponse;
    /// `terraform query -generate-config-out`: the configuration that `state` came from.
    async fn generate_resource_config(&self, type_name: &str, state: Value)
        -> (Value, Diagnostics);
    async fn read_data_source(&self, type_name: &str, config: Value) -> (Value, Diagnostics);

    async fn validate_ephemeral_resource_config(
        &self,
        type_name: &str,
        config: Value,
    ) -> Diagnostics;
    async fn open_ephemeral_resource(
        &self,
        type_name: &str,
        config: Value,
    ) -> OpenEphemeralResourceResponse;
    async fn renew_ephemeral_resource(
        &self,
        type_name: &str,
        private: Option<Vec<u8>>,
    ) -> RenewEphemeralResourceResponse;
    async fn close_ephemeral_resource(
        &self,
        type_name: &str,
        private: Option<Vec<u8>>,
    ) -> Diagnostics;

    async fn validate_list_resource_config(&self, type_name: &str, config: Value) -> Diagnostics;
    /// Streams results into `sink` until done or the sink refuses more; problems go out as
    /// events carrying diagnostics.
    async fn list_resource(&self, req: ListResourceRequest, sink: &mut dyn ListSink);

    /// Arguments are decoded by the signature's parameter types.
    async fn call_function(&self, name: &str, args: Vec<Value>) -> Result<Value, FunctionError>;

    /// Cancel in-flight work (Terraform's Ctrl-C); `Err` text is reported back.
    async fn stop(&self) -> Result<(), String>;
}
