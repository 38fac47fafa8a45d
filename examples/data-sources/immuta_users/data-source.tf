# Every user of one identity manager.
data "immuta_users" "okta" {
  iam_id = "okta"
}

# Users whose username, name or email contains "example.eu", ignoring case.
# The Marketplace's user list is not paged: the provider warns when an
# answer may have been cut short, and a search narrows it.
data "immuta_users" "eu" {
  search_text = "example.eu"
}

output "okta_usernames" {
  value = [for u in data.immuta_users.okta.users : u.username]
}

output "eu_global_user_ids" {
  value = data.immuta_users.eu.global_user_ids
}
