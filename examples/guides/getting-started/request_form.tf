resource "immuta_request_form" "sales_access" {
  name = "Sales Data Access"

  # The questions a requester answers, in this order.
  field {
    type     = "SHORT_ANSWER"
    label    = "What will you use this data for?"
    required = true
  }

  field {
    type     = "DROPDOWN"
    label    = "How long do you need access?"
    required = true
    options  = ["One week", "One month", "One quarter"]
  }

  # Any one of the listed stewards decides on a request.
  review_flow = {
    review = {
      stages = [{
        approval_mode = "any"
        user_ids      = [data.immuta_user.sales_steward.global_user_id]
      }]
    }
  }

  # What the requester must accept before asking.
  data_use_agreement_ids = [immuta_data_use_agreement.internal_analytics.id]
}
