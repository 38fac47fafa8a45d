# Import a request form by its id.
terraform import immuta_request_form.sales 6c0e5f2a-3b1d-4e8f-9a7c-5d2b1e0f3a44

# Or by its exact name.
terraform import immuta_request_form.sales "name:Sales data access"

# The built-in "Standard Request Form" cannot be imported, since no one may
# change or delete it: refer to it with data "immuta_request_form" instead.
