# A module that gives a team its data use agreement.
terraform {
  required_version = ">= 1.6"

  required_providers {
    immuta = {
      source = "immuta/immuta"
    }
  }
}

variable "team" {
  type        = string
  description = "The team the agreement is for."

  validation {
    condition     = trimspace(var.team) != ""
    error_message = "The team needs a name."
  }
}

resource "immuta_data_use_agreement" "this" {
  name = "${var.team} Analytics Use Only"
  body = "Members of ${var.team} use this data for internal analytics only."
}

output "agreement_id" {
  value = immuta_data_use_agreement.this.id
}
