resource "immuta_data_use_agreement" "analytics" {
  name = "Analytics Use Only"
  body = <<-EOT
    I will use this data for internal analytics only, will not share it
    outside the company, and will delete local copies within 30 days.
  EOT
}

# Long agreements can live in their own file.
resource "immuta_data_use_agreement" "research" {
  name = "Research Terms"
  body = file("${path.module}/terms/research.md")
}
