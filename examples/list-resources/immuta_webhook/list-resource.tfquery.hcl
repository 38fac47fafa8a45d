# The webhooks whose URL contains "hooks.example.com" (listing webhooks
# needs an application admin's token).
list "immuta_webhook" "example" {
  provider = immuta
  config {
    url_contains = "hooks.example.com"
  }
}
