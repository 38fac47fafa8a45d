# Import by id (a UUID; 00000000-0000-0000-0000-000000000000 stands for your product's id)...
terraform import immuta_data_product.sales 00000000-0000-0000-0000-000000000000

# ...or by exact name.
terraform import immuta_data_product.sales "name:North American Sales"
