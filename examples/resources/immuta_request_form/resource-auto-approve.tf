# "Auto approve": every request is approved once the requester has
# answered the required questions and accepted the agreements.
resource "immuta_request_form" "open_data" {
  name = "Open data"

  field {
    type     = "SHORT_ANSWER"
    label    = "What will you use the data for?"
    required = true
  }

  review_flow = {
    auto_approve = {
      reason = "This data is open to every employee."
    }
  }
}
