data "immuta_domain" "sales" {
  name = "North American Sales"
}

# The domain's stewards, plus Immuta's governors and admins.
data "immuta_domain_stewards" "sales" {
  domain_id = data.immuta_domain.sales.id
}

output "eligible_stewards" {
  value = { for u in data.immuta_domain_stewards.sales.users : u.username => u.email }
}
