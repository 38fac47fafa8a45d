# Import by id (a UUID)...
terraform import immuta_data_use_agreement.analytics 3f1c2a64-8d2e-4b7a-9c55-0e6f4d1b2a90

# ...or by exact name.
terraform import immuta_data_use_agreement.analytics "name:Analytics Use Only"
