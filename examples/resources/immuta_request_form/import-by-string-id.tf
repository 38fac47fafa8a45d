# Bring a request form made in the Marketplace app under Terraform.
# `terraform plan -generate-config-out=generated.tf` writes its configuration.
import {
  to = immuta_request_form.sales
  id = "00000000-0000-0000-0000-000000000000" # your form's id, or "name:" and its exact name
}
