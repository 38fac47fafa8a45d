# Look a domain up by its exact (case-sensitive) name...
data "immuta_domain" "sales" {
  name = "North American Sales"
}

# ...or by id.
data "immuta_domain" "finance" {
  id = "52137b16-6081-5f38-ad3a-8a0e6f2132ba"
}

output "sales_domain_id" {
  value = data.immuta_domain.sales.id
}
