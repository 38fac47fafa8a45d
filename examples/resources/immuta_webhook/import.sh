# Import by id (a UUID; 00000000-0000-0000-0000-000000000000 stands for your webhook's id)...
terraform import immuta_webhook.catalog 00000000-0000-0000-0000-000000000000

# ...or by exact URL.
terraform import immuta_webhook.catalog "url:https://hooks.example.com/immuta/marketplace"
