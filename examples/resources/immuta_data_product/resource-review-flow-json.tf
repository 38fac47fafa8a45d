# A product review flow the typed form cannot say, as a JSON policy: the
# request form asks for the requester's team, and the product approves
# Finance for 30 days and sends every other request to a governor. The
# default event may only be "approve" or "review". Key order and white
# space never cause a change.
data "immuta_domain" "ledger" {
  name = "Finance"
}

data "immuta_domain_data_sources" "ledger" {
  domain_id = data.immuta_domain.ledger.id
  schema    = "gl"
}

resource "immuta_request_form" "by_team_delegated" {
  name = "Ledger access by team"

  field {
    type    = "DROPDOWN"
    label   = "Team"
    options = ["Finance", "Audit", "Other"]
  }

  review_flow = {
    delegate_to_data_product = true
  }
}

resource "immuta_data_product" "ledger" {
  name            = "General Ledger"
  domain_ids      = [data.immuta_domain.ledger.id]
  data_source_ids = data.immuta_domain_data_sources.ledger.ids

  data_access_request_form_id = immuta_request_form.by_team_delegated.id
  data_access_review_flow_json = jsonencode({
    rules = [
      {
        conditions = {
          all = [{ fact = "answers.Team", operator = "equal", value = "Finance" }]
        }
        event = {
          type   = "approve"
          params = { comment = "Finance reads its own ledger.", duration = 30, durationUnit = "DAYS" }
        }
      },
    ]
    defaultEvent = {
      type = "review"
      params = {
        stages = [{ any = [{ type = "PERMISSION", permission = "GOVERNANCE" }] }]
      }
    }
  })
}
