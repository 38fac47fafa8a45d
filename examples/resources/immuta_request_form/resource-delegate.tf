# "Delegate to data product": each data product that uses this form sets
# its own review flow.
resource "immuta_request_form" "delegated" {
  name = "Delegated review"

  field {
    type     = "SHORT_ANSWER"
    label    = "What will you use the data for?"
    required = true
  }

  review_flow = {
    delegate_to_data_product = true
  }
}
