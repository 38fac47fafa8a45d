# One import block per object to adopt. The id is the object's id or
# "name:" followed by its exact, case-sensitive name.

import {
  to = immuta_data_use_agreement.internal_analytics
  id = "name:Internal Analytics Only"
}

import {
  to = immuta_data_use_agreement.research_terms
  id = "00000000-0000-0000-0000-000000000000" # the agreement's id: put yours
}

import {
  to = immuta_request_form.sales_access
  id = "name:Sales Data Access"
}

import {
  to = immuta_data_product.sales
  id = "name:North American Sales"
}
