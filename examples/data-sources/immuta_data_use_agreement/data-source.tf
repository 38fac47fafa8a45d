# Reuse the agreement made in the Marketplace app.
data "immuta_data_use_agreement" "default" {
  name = "Default Data Use Agreement"
}

output "default_agreement_id" {
  value = data.immuta_data_use_agreement.default.id
}
