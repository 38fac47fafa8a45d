# Every request form but the built-in Standard Request Form, which cannot
# be managed. Terraform returns at most `limit` results (100 by default).
list "immuta_request_form" "all" {
  provider = immuta
  limit    = 1000
}

# The forms whose name contains "sales" (case-insensitive).
list "immuta_request_form" "sales" {
  provider = immuta
  config {
    name = "sales"
  }
}
