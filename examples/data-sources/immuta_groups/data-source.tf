# Groups named exactly "Analysts", in Okta.
data "immuta_groups" "analysts" {
  name   = "Analysts"
  iam_id = "okta"
}

# Groups whose name contains "analysts", ignoring case.
data "immuta_groups" "any_analysts" {
  name_contains = "analysts"
}

output "analyst_group_ids" {
  value = data.immuta_groups.any_analysts.ids
}
