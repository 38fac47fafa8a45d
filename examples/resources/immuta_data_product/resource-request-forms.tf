# Both request forms: data consumers fill in one form to request access
# and another to request masked columns unmasked. Each form here decides
# requests itself; left out, either is the Standard Request Form.
resource "immuta_data_use_agreement" "supply_terms" {
  name = "Supply Chain Terms"
  body = "I will not share supplier prices outside the company."
}

resource "immuta_request_form" "supply_access" {
  name = "Supply chain access"

  field {
    type  = "SHORT_ANSWER"
    label = "What will you use the data for?"
  }

  field {
    type = "ACCESS_DURATION"
  }

  review_flow = {
    review = {
      stages = [{ approval_mode = "any", groups = [{ name = "Supply Chain Planners" }] }]
    }
  }

  data_use_agreement_ids = [immuta_data_use_agreement.supply_terms.id]
}

resource "immuta_request_form" "supply_unmasking" {
  name = "Supply chain unmasking"

  field {
    type  = "SHORT_ANSWER"
    label = "Which columns do you need unmasked, and why?"
  }

  review_flow = {
    review = {
      stages = [{ approval_mode = "all", permissions = ["GOVERNANCE"] }]
    }
  }
}

data "immuta_domain" "supply" {
  name = "Supply Chain"
}

data "immuta_domain_data_sources" "purchasing" {
  domain_id = data.immuta_domain.supply.id
  schema    = "purchasing"
}

resource "immuta_data_product" "purchasing" {
  name            = "Purchasing"
  domain_ids      = [data.immuta_domain.supply.id]
  data_source_ids = data.immuta_domain_data_sources.purchasing.ids

  data_access_request_form_id       = immuta_request_form.supply_access.id
  masking_exception_request_form_id = immuta_request_form.supply_unmasking.id
}
