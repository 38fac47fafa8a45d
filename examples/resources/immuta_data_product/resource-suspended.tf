# A suspended product: it stays in the Marketplace, but every access and
# every masking exception granted through it is revoked until
# `suspended` is set back to false, which grants them again. Suspending
# is the way to cut access that can be undone; deleting cannot.
data "immuta_domain" "finance" {
  name = "Finance"
}

data "immuta_domain_data_sources" "revenue" {
  domain_id = data.immuta_domain.finance.id
  schema    = "revenue"
}

resource "immuta_data_product" "revenue" {
  name            = "Revenue Recognition"
  description     = "Recognised revenue by contract and period. Suspended while the quarter is audited."
  domain_ids      = [data.immuta_domain.finance.id]
  data_source_ids = data.immuta_domain_data_sources.revenue.ids
  suspended       = true
}
