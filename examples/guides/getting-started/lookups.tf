# The domain the data product belongs to, by its name in Immuta.
data "immuta_domain" "sales" {
  name = "North American Sales"
}

# The domain's Snowflake tables in the sales_db.public schema. A data
# product can only include data sources of its own domains.
data "immuta_domain_data_sources" "public_sales" {
  domain_id = data.immuta_domain.sales.id
  platform  = "Snowflake"
  schema    = "public"
}

# The person requesters can ask about the data.
data "immuta_user" "sales_steward" {
  username = "steward.sales"
}
