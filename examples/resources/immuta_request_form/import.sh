# Import a request form by its id (00000000-0000-0000-0000-000000000000 stands for your form's id).
terraform import immuta_request_form.sales 00000000-0000-0000-0000-000000000000

# Or by its exact name.
terraform import immuta_request_form.sales "name:Sales data access"

# The built-in "Standard Request Form" cannot be imported, since no one may
# change or delete it: refer to it with data "immuta_request_form" instead.
