# Import by id (a UUID)...
terraform import immuta_webhook.catalog 7d0e6a0b-2f7c-4d1e-9b4a-5c3f2e1d0a98

# ...or by exact URL.
terraform import immuta_webhook.catalog "url:https://hooks.example.com/immuta/marketplace"
