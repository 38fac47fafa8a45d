# The webhook an admin set up in the Marketplace app.
data "immuta_webhook" "catalog" {
  url = "https://hooks.example.com/immuta/marketplace"
}

output "catalog_webhook_signed" {
  value = data.immuta_webhook.catalog.signing_key_set
}
