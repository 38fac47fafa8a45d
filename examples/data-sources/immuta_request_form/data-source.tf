# Look up a request form by its exact name...
data "immuta_request_form" "standard" {
  name = "Standard Request Form"
}

# ...or by id.
data "immuta_request_form" "sales" {
  id = "6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44"
}

output "standard_form_questions" {
  value = [for f in data.immuta_request_form.standard.field : f.label]
}

output "sales_form_policy" {
  value = data.immuta_request_form.sales.policy_json
}
