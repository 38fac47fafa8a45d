# A product with its own review flows. A product's flow decides requests
# only while the request form delegates the review to the data product
# (review_flow.delegate_to_data_product), as this form does.
data "immuta_domain" "hr" {
  name = "Human Resources"
}

data "immuta_domain_data_sources" "hr" {
  domain_id = data.immuta_domain.hr.id
}

data "immuta_user" "hr_steward" {
  username = "steward.hr"
}

resource "immuta_request_form" "hr_delegated" {
  name = "HR data requests"

  field {
    type  = "SHORT_ANSWER"
    label = "What will you use the data for?"
  }

  review_flow = {
    delegate_to_data_product = true
  }
}

resource "immuta_data_product" "people" {
  name            = "People Analytics"
  domain_ids      = [data.immuta_domain.hr.id]
  data_source_ids = data.immuta_domain_data_sources.hr.ids

  data_access_request_form_id       = immuta_request_form.hr_delegated.id
  masking_exception_request_form_id = immuta_request_form.hr_delegated.id

  # Data access: the HR steward first, then a member of the HR Business
  # Partners group and a manager of data products in the domain.
  data_access_review_flow = {
    review = {
      stages = [
        { approval_mode = "any", user_ids = [data.immuta_user.hr_steward.global_user_id] },
        {
          approval_mode      = "all"
          groups             = [{ name = "HR Business Partners" }]
          domain_permissions = [{ permission = "Manage Data Products" }]
        },
      ]
    }
  }

  # Masking exceptions: approved automatically, for a week at a time.
  masking_exception_review_flow = {
    auto_approve = {
      reason        = "Unmasked HR data is granted for one week, and every grant is audited."
      duration      = 1
      duration_unit = "WEEKS"
    }
  }
}
