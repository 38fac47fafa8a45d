# Import by id (a UUID; 00000000-0000-0000-0000-000000000000 stands for your agreement's id)...
terraform import immuta_data_use_agreement.analytics 00000000-0000-0000-0000-000000000000

# ...or by exact name.
terraform import immuta_data_use_agreement.analytics "name:Analytics Use Only"
