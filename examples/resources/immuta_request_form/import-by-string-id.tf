# Bring a request form made in the Marketplace app under Terraform.
# `terraform plan -generate-config-out=generated.tf` writes its configuration.
import {
  to = immuta_request_form.sales
  id = "6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44"
}
