# Deprecated. The published Marketplace API has no stewards endpoint:
# where it is missing, reading this data source is an error that says so.
# Name the reviewers in a request form's or data product's review_flow
# instead, and look them up with immuta_user, immuta_users or
# immuta_groups.
data "immuta_domain" "sales" {
  name = "North American Sales"
}

data "immuta_domain_stewards" "sales" {
  domain_id = data.immuta_domain.sales.id
}

output "eligible_stewards" {
  value = { for u in data.immuta_domain_stewards.sales.users : u.username => u.email }
}
