# Every agreement whose name contains "analytics" (case-insensitive).
list "immuta_data_use_agreement" "analytics" {
  provider = immuta
  config {
    name = "analytics"
  }
}

# The agreement named exactly "Internal Analytics Only", with all its
# arguments, as -generate-config-out writes them.
list "immuta_data_use_agreement" "internal_analytics" {
  provider         = immuta
  include_resource = true
  config {
    exact_name = "Internal Analytics Only"
  }
}
