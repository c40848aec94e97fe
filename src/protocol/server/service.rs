//! The generated `Provider` trait, one line per RPC: each calls the method that serves it in
//! `resources.rs` or `surfaces.rs`.

use std::pin::Pin;

use tonic::{Request, Response, Status};

use super::ProviderService;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::Provider;

type Answer<T> = Result<Response<T>, Status>;

/// ListResource's server stream: events as the listing produces them.
pub(super) type ListStream =
    Pin<Box<dyn futures::Stream<Item = Result<pb::list_resource::Event, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _r: Request<pb::get_metadata::Request>,
    ) -> Answer<pb::get_metadata::Response> {
        Ok(Response::new(self.metadata()))
    }

    async fn get_provider_schema(
        &self,
        _r: Request<pb::get_provider_schema::Request>,
    ) -> Answer<pb::get_provider_schema::Response> {
        Ok(Response::new(self.schema_response.clone()))
    }

    async fn validate_provider_config(
        &self,
        r: Request<pb::validate_provider_config::Request>,
    ) -> Answer<pb::validate_provider_config::Response> {
        self.validate_provider(r.into_inner()).await
    }

    async fn validate_resource_config(
        &self,
        r: Request<pb::validate_resource_config::Request>,
    ) -> Answer<pb::validate_resource_config::Response> {
        self.validate_resource(r.into_inner()).await
    }

    async fn validate_data_resource_config(
        &self,
        r: Request<pb::validate_data_resource_config::Request>,
    ) -> Answer<pb::validate_data_resource_config::Response> {
        self.validate_data_source(r.into_inner()).await
    }

    async fn upgrade_resource_state(
        &self,
        r: Request<pb::upgrade_resource_state::Request>,
    ) -> Answer<pb::upgrade_resource_state::Response> {
        self.upgrade_state(r.into_inner()).await
    }

    async fn get_resource_identity_schemas(
        &self,
        _r: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Answer<pb::get_resource_identity_schemas::Response> {
        Ok(Response::new(self.identity_schemas()))
    }

    async fn upgrade_resource_identity(
        &self,
        r: Request<pb::upgrade_resource_identity::Request>,
    ) -> Answer<pb::upgrade_resource_identity::Response> {
        self.upgrade_identity(r.into_inner()).await
    }

    async fn configure_provider(
        &self,
        r: Request<pb::configure_provider::Request>,
    ) -> Answer<pb::configure_provider::Response> {
        self.configure(r.into_inner()).await
    }

    async fn read_resource(
        &self,
        r: Request<pb::read_resource::Request>,
    ) -> Answer<pb::read_resource::Response> {
        self.read(r.into_inner()).await
    }

    async fn plan_resource_change(
        &self,
        r: Request<pb::plan_resource_change::Request>,
    ) -> Answer<pb::plan_resource_change::Response> {
        self.plan(r.into_inner()).await
    }

    async fn apply_resource_change(
        &self,
        r: Request<pb::apply_resource_change::Request>,
    ) -> Answer<pb::apply_resource_change::Response> {
        self.apply(r.into_inner()).await
    }

    async fn import_resource_state(
        &self,
        r: Request<pb::import_resource_state::Request>,
    ) -> Answer<pb::import_resource_state::Response> {
        self.import(r.into_inner()).await
    }

    async fn move_resource_state(
        &self,
        r: Request<pb::move_resource_state::Request>,
    ) -> Answer<pb::move_resource_state::Response> {
        self.move_state(r.into_inner()).await
    }

    async fn read_data_source(
        &self,
        r: Request<pb::read_data_source::Request>,
    ) -> Answer<pb::read_data_source::Response> {
        self.read_data(r.into_inner()).await
    }

    async fn generate_resource_config(
        &self,
        r: Request<pb::generate_resource_config::Request>,
    ) -> Answer<pb::generate_resource_config::Response> {
        self.generate_config(r.into_inner()).await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Answer<pb::validate_ephemeral_resource_config::Response> {
        self.validate_ephemeral(r.into_inner()).await
    }

    async fn open_ephemeral_resource(
        &self,
        r: Request<pb::open_ephemeral_resource::Request>,
    ) -> Answer<pb::open_ephemeral_resource::Response> {
        self.open_ephemeral(r.into_inner()).await
    }

    async fn renew_ephemeral_resource(
        &self,
        r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Answer<pb::renew_ephemeral_resource::Response> {
        self.renew_ephemeral(r.into_inner()).await
    }

    async fn close_ephemeral_resource(
        &self,
        r: Request<pb::close_ephemeral_resource::Request>,
    ) -> Answer<pb::close_ephemeral_resource::Response> {
        self.close_ephemeral(r.into_inner()).await
    }

    type ListResourceStream = ListStream;

    async fn list_resource(
        &self,
        r: Request<pb::list_resource::Request>,
    ) -> Answer<Self::ListResourceStream> {
        Ok(Response::new(self.list(r.into_inner())))
    }

    async fn validate_list_resource_config(
        &self,
        r: Request<pb::validate_list_resource_config::Request>,
    ) -> Answer<pb::validate_list_resource_config::Response> {
        self.validate_list(r.into_inner()).await
    }

    async fn get_functions(
        &self,
        _r: Request<pb::get_functions::Request>,
    ) -> Answer<pb::get_functions::Response> {
        Ok(Response::new(pb::get_functions::Response {
            functions: self.schema_response.functions.clone(),
            diagnostics: vec![],
        }))
    }

    async fn call_function(
        &self,
        r: Request<pb::call_function::Request>,
    ) -> Answer<pb::call_function::Response> {
        Ok(Response::new(self.call(r.into_inner()).await))
    }

    async fn stop_provider(
        &self,
        _r: Request<pb::stop_provider::Request>,
    ) -> Answer<pb::stop_provider::Response> {
        let error = self.handler.stop().await.err().unwrap_or_default();
        Ok(Response::new(pb::stop_provider::Response { error }))
    }
}
