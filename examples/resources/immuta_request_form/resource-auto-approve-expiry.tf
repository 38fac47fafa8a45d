# "Auto approve with expiration": requests are approved automatically and
# the access expires after 30 days.
resource "immuta_request_form" "short_lived" {
  name = "Short-lived access"

  field {
    type     = "SHORT_ANSWER"
    label    = "What will you use the data for?"
    required = true
  }

  review_flow = {
    auto_approve = {
      reason        = "Low-risk data; access is reviewed monthly."
      duration      = 30
      duration_unit = "DAYS"
    }
  }
}
