import {
  to = immuta_data_product.sales
  id = "name:North American Sales" # or the product's id
}
