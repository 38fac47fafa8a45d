# Look up a request form by its exact name...
data "immuta_request_form" "standard" {
  name = "Standard Request Form"
}

# ...or by id.
variable "sales_form_id" {
  description = "The id of a request form made in the Marketplace app (the default is the form of the emulator's example seed, examples/emulator/seed.json)."
  type        = string
  default     = "6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44"
}

data "immuta_request_form" "sales" {
  id = var.sales_form_id
}

output "standard_form_questions" {
  value = [for f in data.immuta_request_form.standard.field : f.label]
}

output "sales_form_policy" {
  value = data.immuta_request_form.sales.policy_json
}
