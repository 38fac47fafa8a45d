# Rules the typed review_flow cannot say go into policy_json: here,
# requests from the Finance team are approved automatically for a week,
# and every other request needs one governor's approval. Key order and
# white space never cause a change.
resource "immuta_request_form" "by_team" {
  name = "Access by team"

  field {
    type    = "DROPDOWN"
    label   = "Team"
    options = ["Finance", "Other"]
  }

  policy_json = jsonencode({
    version = "1"
    rules = [{
      conditions = {
        all = [{ fact = "answers.Team", operator = "equal", value = "Finance" }]
      }
      event = {
        type   = "approve"
        params = { comment = "Finance may use its own data.", duration = 1, durationUnit = "WEEKS" }
      }
    }]
    defaultEvent = {
      type = "requestApproval"
      params = {
        approvalMode = "ANY"
        approvers    = [{ type = "PERMISSION", id = "GOVERNANCE" }]
      }
    }
  })
}
