# Every domain.
data "immuta_domains" "all" {}

# Domains whose name contains "sales", ignoring case: "Sales", "Sales EU",
# "North American Sales"...
data "immuta_domains" "sales" {
  name_contains = "sales"
}

# Exactly "Sales" (case-sensitive): not "Sales EU".
data "immuta_domains" "exactly_sales" {
  name = "Sales"
}

output "sales_domain_names" {
  value = [for d in data.immuta_domains.sales.domains : d.name]
}

output "sales_domain_ids" {
  value = data.immuta_domains.sales.ids
}
