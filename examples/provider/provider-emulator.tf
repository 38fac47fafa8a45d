# The local Marketplace emulator: `marketplace-emulator` prints the endpoint
# it listens on and accepts the token given with -token ("emulator-token"
# by default). Plain http is accepted for loopback addresses only.
provider "immuta" {
  endpoint = "http://127.0.0.1:8080/marketplace"
  token    = "emulator-token"
}
