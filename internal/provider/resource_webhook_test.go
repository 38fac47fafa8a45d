package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

const webhookAddr = "immuta_webhook.test"

// webhookConfig is a webhook; key "" leaves signing_key_wo out, version
// 0 leaves signing_key_wo_version out. The key comes through an
// ephemeral variable, as it should in real use: a literal would sit in
// the plan's copy of the configuration.
func webhookConfig(srv endpointer, url, key string, version int) string {
	var extra string
	if key != "" {
		extra += "  signing_key_wo = var.signing_key\n"
	}
	if version != 0 {
		extra += fmt.Sprintf("  signing_key_wo_version = %d\n", version)
	}
	return providerConfig(srv) + fmt.Sprintf(`
variable "signing_key" {
  type      = string
  default   = null
  sensitive = true
  ephemeral = true
}

resource "immuta_webhook" "test" {
  url = %q
%s}
`, url, extra)
}

// keyVars passes a signing key to webhookConfig.
func keyVars(key string) config.Variables {
	if key == "" {
		return nil
	}
	return config.Variables{"signing_key": config.StringVariable(key)}
}

// checkWebhookStored checks the emulator's copy of the webhook in state,
// signing key included.
func checkWebhookStored(srv *marketplacetest.TestServer, url, key string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[webhookAddr]
		if !ok {
			return fmt.Errorf("%s is not in state", webhookAddr)
		}
		h, ok := srv.Webhook(rs.Primary.ID)
		if !ok {
			return fmt.Errorf("the emulator holds no webhook %s", rs.Primary.ID)
		}
		if h.URL != url || h.SigningKey != key {
			return fmt.Errorf("the emulator holds url %q and a key of %d characters; want %q and %q", h.URL, len(h.SigningKey), url, key)
		}
		return nil
	}
}

// noSecretInState fails when any attribute of any resource holds one of
// the secrets.
func noSecretInState(secrets ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for addr, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				for _, secret := range secrets {
					if strings.Contains(v, secret) {
						return fmt.Errorf("%s.%s holds a signing key", addr, k)
					}
				}
			}
		}
		return nil
	}
}

// noSecretInPlan fails when the saved plan, as `terraform show -json`
// renders it, holds one of the secrets.
type noSecretInPlan []string

func (n noSecretInPlan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	data, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	for _, secret := range n {
		if strings.Contains(string(data), secret) {
			resp.Error = fmt.Errorf("the plan holds a signing key")
			return
		}
	}
}

func TestAccWebhook_lifecycle(t *testing.T) {
	srv := newWebhookEmulator(t, "edits objects out of band, reads the emulator's objects")
	key1, key2 := "key1-"+acctest.RandString(20), "key2-"+acctest.RandString(20)
	url := "https://hooks.example.com/" + acctest.RandString(8)
	var id string
	sameID := statecheck.CompareValue(compareSame)
	noLeak := noSecretInPlan{key1, key2}

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(srv.Webhooks()); n != 0 {
				return fmt.Errorf("the emulator still holds %d webhooks after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			// Create with a key.
			{
				Config:          webhookConfig(srv, url, key1, 1),
				ConfigVariables: keyVars(key1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_set"), knownvalue.Bool(true)),
					noLeak,
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(webhookAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(uuidRegexp)),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("verify_tls"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_set"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("suppressed"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(webhookAddr, &id),
					checkWebhookStored(srv, url, key1),
					noSecretInState(key1, key2),
				),
			},
			// A new key without a new version is not sent: nothing to do.
			{
				Config:          webhookConfig(srv, url, key2, 1),
				ConfigVariables: keyVars(key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(), noLeak,
				}},
				Check: checkWebhookStored(srv, url, key1),
			},
			// A new version rotates the key in place.
			{
				Config:          webhookConfig(srv, url, key2, 2),
				ConfigVariables: keyVars(key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate), noLeak,
				}},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(webhookAddr, tfjsonpath.New("id"))},
				Check:             resource.ComposeAggregateTestCheckFunc(checkWebhookStored(srv, url, key2), noSecretInState(key1, key2)),
			},
			// Changing the URL does not resend the key.
			{
				PreConfig: func() {
					_ = srv.UpdateWebhook(id, func(h *marketplacetest.Webhook) { h.SigningKey = key2 + "-marker" })
				},
				Config:          webhookConfig(srv, url+"/v2", key2, 2),
				ConfigVariables: keyVars(key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate), noLeak,
				}},
				Check: checkWebhookStored(srv, url+"/v2", key2+"-marker"),
			},
			// Import by id and by URL; the key is never read back.
			{
				ResourceName: webhookAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"signing_key_wo", "signing_key_wo_version"},
			},
			{
				ResourceName: webhookAddr, ImportState: true, ImportStateVerify: true, ImportStateId: "url:" + url + "/v2",
				ImportStateVerifyIgnore: []string{"signing_key_wo", "signing_key_wo_version"},
			},
			// Drift: a URL changed in the app shows in the plan; apply restores it.
			{
				PreConfig: func() {
					if err := srv.UpdateWebhook(id, func(h *marketplacetest.Webhook) { h.URL = "https://elsewhere.example.com/x" }); err != nil {
						t.Fatal(err)
					}
				},
				Config:          webhookConfig(srv, url+"/v2", key2, 2),
				ConfigVariables: keyVars(key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact(url+"/v2")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(webhookAddr, tfjsonpath.New("id"))},
				Check:             checkWebhookStored(srv, url+"/v2", key2+"-marker"),
			},
			// A key removed in the app is sent again.
			{
				PreConfig: func() {
					_ = srv.UpdateWebhook(id, func(h *marketplacetest.Webhook) { h.SigningKey = "" })
				},
				Config:          webhookConfig(srv, url+"/v2", key2, 2),
				ConfigVariables: keyVars(key2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_set"), knownvalue.Bool(true)),
				}},
				Check: checkWebhookStored(srv, url+"/v2", key2),
			},
			// Removing the key and bumping the version removes it.
			{
				Config:          webhookConfig(srv, url+"/v2", "", 3),
				ConfigVariables: keyVars(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_set"), knownvalue.Bool(false)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(webhookAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_set"), knownvalue.Bool(false)),
				},
				Check: checkWebhookStored(srv, url+"/v2", ""),
			},
			// Disappears: a delete in the app plans a create.
			{
				PreConfig: func() {
					if err := srv.DeleteWebhook(id); err != nil {
						t.Fatal(err)
					}
				},
				Config:          webhookConfig(srv, url+"/v2", key1, 3),
				ConfigVariables: keyVars(key1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate), noLeak,
				}},
				Check: checkWebhookStored(srv, url+"/v2", key1),
			},
		},
	})
}

// Without a key: verify_tls false and the defaults.
func TestAccWebhook_withoutKey(t *testing.T) {
	acc := newWebhookTarget(t)
	config := providerConfig(acc) + fmt.Sprintf(`
resource "immuta_webhook" "test" {
  url        = "http://127.0.0.1:8443/%s"
  verify_tls = false
}
`, randomName("hook"))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acc.checkWebhooksDestroyed(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("verify_tls"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("signing_key_set"), knownvalue.Bool(false)),
				},
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

func TestAccWebhook_invalidInput(t *testing.T) {
	srv := newWebhookEmulator(t, "reads the request log")
	cases := []struct {
		url  string
		want *regexp.Regexp
	}{
		{"http://hooks.example.com/x", errorPattern("Invalid Webhook URL", "url", "plain http on a host that is not loopback")},
		{"not a url", errorPattern("Invalid Webhook URL", "url", "is not an absolute URL")},
		{"", errorPattern("Invalid Webhook URL", "url", "the webhook URL is empty")},
		{"ftp://hooks.example.com/x", errorPattern("Invalid Webhook URL", "url", "must use https")},
	}
	steps := make([]resource.TestStep, 0, len(cases)+2)
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: webhookConfig(srv, c.url, "", 0), PlanOnly: true, ExpectError: c.want})
	}
	steps = append(steps,
		resource.TestStep{Config: webhookConfig(srv, "https://x.example.com", "k", 0), ConfigVariables: keyVars("k"), PlanOnly: true,
			ExpectError: errorPattern("signing_key_wo_version", "must be specified")},
		resource.TestStep{Config: webhookConfig(srv, "https://x.example.com", "   ", 1), ConfigVariables: keyVars("   "), PlanOnly: true,
			ExpectError: errorPattern("signing_key_wo", "must not be blank")},
	)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the emulator received %d requests for invalid configurations, want 0", n)
	}
}

// A caller who is not an application admin gets a diagnostic that says
// so, not a crash or a half-made object.
func TestAccWebhook_forbidden(t *testing.T) {
	srv := requireEmulator(t, "needs a caller who is not an application admin")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      webhookConfig(srv, "https://hooks.example.com/x", "", 0),
			ExpectError: errorPattern("Unable to Create Webhook", "403"),
		}},
	})
}
