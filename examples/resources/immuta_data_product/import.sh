# Import by id (a UUID)...
terraform import immuta_data_product.sales 8c6f5a0e-3d2b-4f7a-9b1c-2e4d6f8a0b13

# ...or by exact name.
terraform import immuta_data_product.sales "name:North American Sales"
