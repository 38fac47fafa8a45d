# Look a domain up by its exact (case-sensitive) name...
data "immuta_domain" "sales" {
  name = "North American Sales"
}

# ...or by id.
variable "finance_domain_id" {
  description = "The Finance domain's id (the default is its id in the emulator's sample data)."
  type        = string
  default     = "52137b16-6081-5f38-ad3a-8a0e6f2132ba"
}

data "immuta_domain" "finance" {
  id = var.finance_domain_id
}

output "sales_domain_id" {
  value = data.immuta_domain.sales.id
}
