variable "catalog_signing_key" {
  type      = string
  sensitive = true
  ephemeral = true # Terraform 1.10+: the key stays out of plans and state
}

# Notifications for the catalog that mirrors the data products. The key is
# write-only (Terraform 1.11+): bump the version to send a new one.
resource "immuta_webhook" "catalog" {
  url                    = "https://hooks.example.com/immuta/marketplace"
  signing_key_wo         = var.catalog_signing_key
  signing_key_wo_version = 1
}

# An endpoint with a private certificate authority, without signing.
resource "immuta_webhook" "internal" {
  url        = "https://events.internal.example.com/marketplace"
  verify_tls = false
}
