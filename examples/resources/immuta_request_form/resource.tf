# A form whose requests are reviewed in two stages. Questions are asked in
# the order of the field blocks; reordering them is an in-place update and
# each question keeps its id.
data "immuta_user" "sales_steward" {
  username = "steward.sales"
}

resource "immuta_data_use_agreement" "analytics" {
  name = "Analytics Use Only"
  body = "I will use this data for internal analytics only."
}

resource "immuta_request_form" "sales" {
  name = "Sales data access"

  # Questions are required unless they say otherwise.
  field {
    type  = "SHORT_ANSWER"
    label = "What will you use the data for?"
  }

  field {
    type    = "DROPDOWN"
    label   = "Which team are you on?"
    options = ["Sales", "Marketing", "Finance"]
  }

  field {
    type     = "CHECKBOXES"
    label    = "Which regions do you need?"
    required = false
    options  = ["North America", "Europe", "Asia Pacific"]
  }

  # The requester picks how long access lasts. Its label is fixed ("How
  # long do you need access to this data?") and it is always required.
  field {
    type = "ACCESS_DURATION"
  }

  review_flow = {
    review = {
      stages = [
        # First, one of these decides: a named steward, a member of the
        # Data Stewards group, or anyone in the Sales department.
        {
          approval_mode = "any"
          user_ids      = [data.immuta_user.sales_steward.global_user_id]
          groups        = [{ name = "Data Stewards", id = 1 }]
          attributes    = [{ key = "Department", value = "Sales" }]
        },
        # Then every one of these must approve: a governor, and a manager
        # of data products in the product's domain.
        {
          approval_mode      = "all"
          permissions        = ["GOVERNANCE"]
          domain_permissions = [{ permission = "Manage Data Products" }]
        },
      ]
    }
  }

  data_use_agreement_ids = [immuta_data_use_agreement.analytics.id]
}
