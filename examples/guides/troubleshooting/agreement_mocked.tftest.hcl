# `terraform test` on the testing guide's module with the provider mocked:
# no emulator, no network, no token (Terraform 1.7 or later).
mock_provider "immuta" {}

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

  expect_failures = [var.team]
}
