# `terraform test` applies the module against the Marketplace that
# IMMUTA_MARKETPLACE_ENDPOINT points at (the emulator), checks it, and
# destroys what it made.

variables {
  team = "Finance"
}

run "names_the_agreement_after_the_team" {
  assert {
    condition     = immuta_data_use_agreement.this.name == "Finance Analytics Use Only"
    error_message = "The agreement is not named after the team."
  }
}

run "refuses_a_blank_team" {
  command = plan

  variables {
    team = ""
  }

  expect_failures = [
    var.team,
  ]
}
