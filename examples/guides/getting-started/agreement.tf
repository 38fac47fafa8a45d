resource "immuta_data_use_agreement" "internal_analytics" {
  name = "Internal Analytics Only"
  body = <<-EOT
    I will use this data for internal analytics only, will not share it
    outside the company, and will delete local copies within 30 days.
  EOT
}
