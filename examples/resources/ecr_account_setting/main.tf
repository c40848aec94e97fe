# Let pushes mount layers another repository of this registry already holds instead of
# uploading them again. Destroying the resource puts AWS's default (DISABLED) back.

resource "ecr_account_setting" "blob_mounting" {
  name  = "BLOB_MOUNTING"
  value = "ENABLED"
}

output "blob_mounting" {
  value = ecr_account_setting.blob_mounting.value
}
