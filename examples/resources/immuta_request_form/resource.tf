# A form whose requests need the approval of data stewards. Questions are
# asked in the order of the field blocks; reordering them is an in-place
# update and each question keeps its id.
resource "immuta_data_use_agreement" "analytics" {
  name = "Analytics Use Only"
  body = "I will use this data for internal analytics only."
}

resource "immuta_request_form" "sales" {
  name = "Sales data access"

  field {
    type     = "TEXT"
    label    = "What will you use the data for?"
    required = true
  }

  field {
    type    = "DROPDOWN"
    label   = "Which team are you on?"
    options = ["Sales", "Marketing", "Finance"]
  }

  field {
    type    = "CHECKBOX"
    label   = "Which regions do you need?"
    options = ["North America", "Europe", "Asia Pacific"]
  }

  # The requester picks how long access lasts; always required.
  field {
    type  = "ACCESS_DURATION"
    label = "How long do you need access?"
  }

  # "All stewards": a steward of every source below must decide.
  # Use approval_mode = "ANY" for "Any steward": one determination suffices.
  review_flow = {
    require_approval = {
      approval_mode      = "ALL"
      user_ids           = ["fa925e85-757e-54c1-8486-9bfa3cbcd758"] # global user ids
      group_ids          = ["1"]
      attributes         = [{ name = "Department", value = "Sales" }]
      permissions        = ["GOVERNANCE"]
      domain_permissions = ["MANAGE_DATA_PRODUCTS"]
    }
  }

  data_use_agreement_ids = [immuta_data_use_agreement.analytics.id]
}
