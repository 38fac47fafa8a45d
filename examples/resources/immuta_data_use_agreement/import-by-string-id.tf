import {
  to = immuta_data_use_agreement.analytics
  id = "name:Analytics Use Only" # or the agreement's id
}
