# "Auto deny": every request is denied, for example while the data is
# being audited. Requesters see the reason.
resource "immuta_request_form" "closed" {
  name = "Closed for audit"

  field {
    type  = "SHORT_ANSWER"
    label = "What will you use the data for?"
  }

  review_flow = {
    auto_deny = {
      reason = "This data is closed while it is audited."
    }
  }
}
