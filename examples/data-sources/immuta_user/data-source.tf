# By username (case-sensitive)...
data "immuta_user" "steward" {
  username = "steward.sales"
}

# ...by email (case is ignored); iam_id chooses between identity managers
# that both have a user with this email...
data "immuta_user" "jordan" {
  email  = "jordan.lee@example.com"
  iam_id = "okta"
}

# ...or by global user id.
variable "governor_global_user_id" {
  description = "A governor's global user id (the default is the governor's in the emulator's sample data)."
  type        = string
  default     = "44509dec-9b50-50fd-af68-e366e731fcf4"
}

data "immuta_user" "governor" {
  global_user_id = var.governor_global_user_id
}

output "steward_global_user_id" {
  value = data.immuta_user.steward.global_user_id
}
