import {
  to = immuta_webhook.catalog
  id = "url:https://hooks.example.com/immuta/marketplace" # or the webhook's id
}
