# Rules the typed review_flow cannot say go into policy_json: here,
# requests from the Finance team are approved automatically for a week,
# requests from Marketing are left to each data product's own review
# flow, and every other request needs one governor's approval. "rules" is
# required ([] for none). Key order and white space never cause a change.
resource "immuta_request_form" "by_team" {
  name = "Access by team"

  field {
    type    = "DROPDOWN"
    label   = "Team"
    options = ["Finance", "Marketing", "Other"]
  }

  policy_json = jsonencode({
    rules = [
      {
        conditions = {
          all = [{ fact = "answers.Team", operator = "equal", value = "Finance" }]
        }
        event = {
          type   = "approve"
          params = { comment = "Finance may use its own data.", duration = 1, durationUnit = "WEEKS" }
        }
      },
      {
        conditions = {
          any = [{ fact = "answers.Team", operator = "equal", value = "Marketing" }]
        }
        event = { type = "dataProductPolicy" }
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
