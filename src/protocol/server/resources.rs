//! The provider block and managed resources: validation, state upgrades, CRUD, import (by id
//! or identity), moves from other resource types, and configuration generation.

use tonic::Response;

use super::{
    decode_config, decode_dynamic, decode_identity, encode_dynamic, encode_identity, try_diags,
    ProviderService,
};
use crate::proto::tfplugin6 as pb;
use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::handler::*;

type Answer<T> = Result<Response<T>, tonic::Status>;

impl ProviderService {
    pub(super) async fn validate_provider(
        &self,
        r: pb::validate_provider_config::Request,
    ) -> Answer<pb::validate_provider_config::Response> {
        let resp = |diagnostics| pb::validate_provider_config::Response { diagnostics };
        let config = try_diags!(
            decode_config(
                r.config.as_ref(),
                &self.provider_type,
                "provider configuration"
            ),
            resp
        );
        Ok(Response::new(resp(
            self.handler
                .validate_provider_config(config)
                .await
                .to_proto(),
        )))
    }

    pub(super) async fn configure(
        &self,
        r: pb::configure_provider::Request,
    ) -> Answer<pb::configure_provider::Response> {
        let resp = |diagnostics| pb::configure_provider::Response { diagnostics };
        let config = try_diags!(
            decode_config(
                r.config.as_ref(),
                &self.provider_type,
                "provider configuration"
            ),
            resp
        );
        Ok(Response::new(resp(
            self.handler
                .configure_provider(r.terraform_version, config)
                .await
                .to_proto(),
        )))
    }

    pub(super) async fn validate_resource(
        &self,
        r: pb::validate_resource_config::Request,
    ) -> Answer<pb::validate_resource_config::Response> {
        let resp = |diagnostics| pb::validate_resource_config::Response { diagnostics };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let config = try_diags!(decode_config(r.config.as_ref(), &ty, "configuration"), resp);
        Ok(Response::new(resp(
            self.handler
                .validate_resource_config(&r.type_name, config)
                .await
                .to_proto(),
        )))
    }

    pub(super) async fn upgrade_state(
        &self,
        r: pb::upgrade_resource_state::Request,
    ) -> Answer<pb::upgrade_resource_state::Response> {
        let resp = |diagnostics| pb::upgrade_resource_state::Response {
            upgraded_state: None,
            diagnostics,
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let raw = r.raw_state.unwrap_or_default();
        let req = UpgradeResourceStateRequest {
            type_name: r.type_name.clone(),
            version: r.version,
            raw_json: (!raw.json.is_empty()).then_some(raw.json),
            has_flatmap: !raw.flatmap.is_empty(),
        };
        let (value, mut diags) = self.handler.upgrade_resource_state(req).await;
        let upgraded_state = if diags.has_errors() {
            None
        } else {
            encode_dynamic(&value, &ty, &mut diags)
        };
        Ok(Response::new(pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: diags.to_proto(),
        }))
    }

    pub(super) fn identity_schemas(&self) -> pb::get_resource_identity_schemas::Response {
        pb::get_resource_identity_schemas::Response {
            identity_schemas: self
                .handler
                .schemas()
                .identities
                .iter()
                .map(|(k, s)| (k.clone(), s.to_proto()))
                .collect(),
            diagnostics: vec![],
        }
    }

    pub(super) async fn upgrade_identity(
        &self,
        r: pb::upgrade_resource_identity::Request,
    ) -> Answer<pb::upgrade_resource_identity::Response> {
        let resp = |diagnostics| pb::upgrade_resource_identity::Response {
            upgraded_identity: None,
            diagnostics,
        };
        let ty = self.identity_type(&r.type_name);
        if ty.is_none() {
            try_diags!(self.resource_type(&r.type_name), resp);
        }
        let raw = r.raw_identity.unwrap_or_default().json;
        let (value, mut diags) = self
            .handler
            .upgrade_resource_identity(&r.type_name, r.version, &raw)
            .await;
        let upgraded_identity = if diags.has_errors() {
            None
        } else {
            encode_identity(&value, ty.as_ref(), &mut diags)
        };
        Ok(Response::new(pb::upgrade_resource_identity::Response {
            upgraded_identity,
            diagnostics: diags.to_proto(),
        }))
    }

    pub(super) async fn read(
        &self,
        r: pb::read_resource::Request,
    ) -> Answer<pb::read_resource::Response> {
        let resp = |diagnostics| pb::read_resource::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let id_ty = self.identity_type(&r.type_name);
        let current_state =
            try_diags!(decode_dynamic(r.current_state.as_ref(), &ty, "state"), resp);
        let current_identity = try_diags!(
            decode_identity(r.current_identity.as_ref(), id_ty.as_ref()),
            resp
        );
        let out = self
            .handler
            .read_resource(ReadResourceRequest {
                type_name: r.type_name,
                current_state,
                private: r.private,
                current_identity,
            })
            .await;
        let mut diags = out.diagnostics;
        let new_state = encode_dynamic(&out.new_state, &ty, &mut diags);
        let new_identity = if out.new_state.is_null() {
            None
        } else {
            encode_identity(&out.new_identity, id_ty.as_ref(), &mut diags)
        };
        Ok(Response::new(pb::read_resource::Response {
            new_state,
            diagnostics: diags.to_proto(),
            private: out.private,
            deferred: None,
            new_identity,
        }))
    }

    pub(super) async fn plan(
        &self,
        r: pb::plan_resource_change::Request,
    ) -> Answer<pb::plan_resource_change::Response> {
        let resp = |diagnostics| pb::plan_resource_change::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let id_ty = self.identity_type(&r.type_name);
        let prior_state = try_diags!(
            decode_dynamic(r.prior_state.as_ref(), &ty, "prior state"),
            resp
        );
        let proposed_new_state = try_diags!(
            decode_dynamic(r.proposed_new_state.as_ref(), &ty, "proposed state"),
            resp
        );
        let config = try_diags!(
            decode_dynamic(r.config.as_ref(), &ty, "configuration"),
            resp
        );
        let prior_identity = try_diags!(
            decode_identity(r.prior_identity.as_ref(), id_ty.as_ref()),
            resp
        );
        let out = self
            .handler
            .plan_resource_change(PlanResourceChangeRequest {
                type_name: r.type_name,
                prior_state,
                proposed_new_state,
                config,
                prior_private: r.prior_private,
                prior_identity,
            })
            .await;
        let mut diags = out.diagnostics;
        let planned_state = encode_dynamic(&out.planned_state, &ty, &mut diags);
        let planned_identity = encode_identity(&out.planned_identity, id_ty.as_ref(), &mut diags);
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state,
            requires_replace: out.requires_replace.iter().map(|p| p.to_proto()).collect(),
            planned_private: out.planned_private,
            diagnostics: diags.to_proto(),
            legacy_type_system: false,
            deferred: None,
            planned_identity,
        }))
    }

    pub(super) async fn apply(
        &self,
        r: pb::apply_resource_change::Request,
    ) -> Answer<pb::apply_resource_change::Response> {
        let resp = |diagnostics| pb::apply_resource_change::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let id_ty = self.identity_type(&r.type_name);
        let prior_state = try_diags!(
            decode_dynamic(r.prior_state.as_ref(), &ty, "prior state"),
            resp
        );
        let planned_state = try_diags!(
            decode_dynamic(r.planned_state.as_ref(), &ty, "planned state"),
            resp
        );
        let config = try_diags!(
            decode_dynamic(r.config.as_ref(), &ty, "configuration"),
            resp
        );
        let planned_identity = try_diags!(
            decode_identity(r.planned_identity.as_ref(), id_ty.as_ref()),
            resp
        );
        let out = self
            .handler
            .apply_resource_change(ApplyResourceChangeRequest {
                type_name: r.type_name,
                prior_state,
                planned_state,
                config,
                planned_private: r.planned_private,
                planned_identity,
            })
            .await;
        let mut diags = out.diagnostics;
        let new_state = encode_dynamic(&out.new_state, &ty, &mut diags);
        let new_identity = if out.new_state.is_null() {
            None
        } else {
            encode_identity(&out.new_identity, id_ty.as_ref(), &mut diags)
        };
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state,
            private: out.private,
            diagnostics: diags.to_proto(),
            legacy_type_system: false,
            new_identity,
        }))
    }

    pub(super) async fn import(
        &self,
        r: pb::import_resource_state::Request,
    ) -> Answer<pb::import_resource_state::Response> {
        let resp = |diagnostics| pb::import_resource_state::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let id_ty = self.identity_type(&r.type_name);
        let identity = try_diags!(decode_identity(r.identity.as_ref(), id_ty.as_ref()), resp);
        let (imported, mut diags) = self
            .handler
            .import_resource_state(ImportResourceStateRequest {
                type_name: r.type_name,
                id: r.id,
                identity,
            })
            .await;
        let mut imported_resources = Vec::new();
        for i in imported {
            let state = encode_dynamic(&i.state, &ty, &mut diags);
            let identity = encode_identity(&i.identity, id_ty.as_ref(), &mut diags);
            imported_resources.push(pb::import_resource_state::ImportedResource {
                type_name: i.type_name,
                state,
                private: i.private,
                identity,
            });
        }
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources,
            diagnostics: diags.to_proto(),
            deferred: None,
        }))
    }

    pub(super) async fn move_state(
        &self,
        r: pb::move_resource_state::Request,
    ) -> Answer<pb::move_resource_state::Response> {
        let resp = |diagnostics| pb::move_resource_state::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.target_type_name), resp);
        let id_ty = self.identity_type(&r.target_type_name);
        let source_state_json = r.source_state.map(|s| s.json).unwrap_or_default();
        if source_state_json.is_empty() {
            return Ok(Response::new(resp(
                Diagnostics::from_error(
                    "Missing source state",
                    format!(
                        "Terraform sent no JSON state for the {} being moved into {}.",
                        r.source_type_name, r.target_type_name
                    ),
                )
                .to_proto(),
            )));
        }
        let out = self
            .handler
            .move_resource_state(MoveResourceStateRequest {
                source_provider_address: r.source_provider_address,
                source_type_name: r.source_type_name,
                source_schema_version: r.source_schema_version,
                source_state_json,
                target_type_name: r.target_type_name,
                source_private: r.source_private,
                source_identity_json: r.source_identity.map(|s| s.json).filter(|j| !j.is_empty()),
                source_identity_schema_version: r.source_identity_schema_version,
            })
            .await;
        let mut diags = out.diagnostics;
        if diags.has_errors() {
            return Ok(Response::new(resp(diags.to_proto())));
        }
        let target_state = encode_dynamic(&out.target_state, &ty, &mut diags);
        let target_identity = encode_identity(&out.target_identity, id_ty.as_ref(), &mut diags);
        Ok(Response::new(pb::move_resource_state::Response {
            target_state,
            diagnostics: diags.to_proto(),
            target_private: out.target_private,
            target_identity,
        }))
    }

    pub(super) async fn generate_config(
        &self,
        r: pb::generate_resource_config::Request,
    ) -> Answer<pb::generate_resource_config::Response> {
        let resp = |diagnostics| pb::generate_resource_config::Response {
            config: None,
            diagnostics,
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let state = try_diags!(decode_config(r.state.as_ref(), &ty, "state"), resp);
        let (config, mut diags) = self
            .handler
            .generate_resource_config(&r.type_name, state)
            .await;
        let config = if diags.has_errors() {
            None
        } else {
            encode_dynamic(&config, &ty, &mut diags)
        };
        Ok(Response::new(pb::generate_resource_config::Response {
            config,
            diagnostics: diags.to_proto(),
        }))
    }
}
