//! Data source types, one file per Terraform type.

use crate::aws::AwsClients;
use crate::framework::DynDataSource;

pub fn all() -> Vec<Box<dyn DynDataSource<AwsClients>>> {
    vec![]
}
