package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccWebhookDataSource(t *testing.T) {
	srv := newWebhookEmulator(t, "seeds objects")
	h, err := srv.SeedWebhook(marketplacetest.Webhook{URL: "https://hooks.example.com/seeded", VerifyTLS: true, SigningKey: "seeded-key", Suppressed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://hooks.example.com/twice", "https://hooks.example.com/twice"} {
		if _, err := srv.SeedWebhook(marketplacetest.Webhook{URL: u}); err != nil {
			t.Fatal(err)
		}
	}
	checks := func(addr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(h.ID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("url"), knownvalue.StringExact(h.URL)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("verify_tls"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("signing_key_set"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("suppressed"), knownvalue.Bool(true)),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
data "immuta_webhook" "by_id" {
  id = "` + h.ID + `"
}
data "immuta_webhook" "by_url" {
  url = "https://hooks.example.com/seeded"
}
`,
				ConfigStateChecks: append(checks("data.immuta_webhook.by_id"), checks("data.immuta_webhook.by_url")...),
			},
			{
				Config:      providerConfig(srv) + "data \"immuta_webhook\" \"x\" {\n  url = \"https://hooks.example.com/none\"\n}\n",
				ExpectError: errorPattern("Webhook Not Found", "https://hooks.example.com/none"),
			},
			{
				Config:      providerConfig(srv) + "data \"immuta_webhook\" \"x\" {\n  url = \"https://hooks.example.com/twice\"\n}\n",
				ExpectError: errorPattern("Several Webhooks Match", "Look one up by id"),
			},
			{
				Config:      providerConfig(srv) + "data \"immuta_webhook\" \"x\" {\n  id = \"0b6c3f52-8f0e-4a57-9a53-4f2f1e7b2c11\"\n}\n",
				ExpectError: errorPattern("Unable to Read Webhook", "404"),
			},
		},
	})
}

// cliTerraformAtLeast reports whether the CLI the tests run is at least
// min.
func cliTerraformAtLeast(t *testing.T, r *cliRunner, minVersion string) bool {
	t.Helper()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(r.mustRun("version", "-json")), &v); err != nil {
		t.Fatal(err)
	}
	return compareVersions(v.Version, minVersion) >= 0
}

// compareVersions compares the numeric parts of two versions such as
// 1.11.4 (a pre-release suffix is ignored).
func compareVersions(a, b string) int {
	pa, pb := strings.Split(strings.SplitN(a, "-", 2)[0], "."), strings.Split(strings.SplitN(b, "-", 2)[0], ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// TestAccWebhook_signingKeyNeverLeaks runs a webhook's life with trace
// logging, through the terraform CLI and the provider binary (whose logs
// go to the log file this test owns), then looks for the signing keys in
// the log, the state, a saved plan and the output.
func TestAccWebhook_signingKeyNeverLeaks(t *testing.T) {
	testAccPreCheck(t)
	srv := newWebhookEmulator(t, "reads the emulator's objects")
	r := newBinaryCLIRunner(t)
	if !cliTerraformAtLeast(t, r, "1.11.0") {
		t.Skip("write-only attributes need Terraform 1.11 or later")
	}
	key1, key2 := "canary1-"+acctest.RandString(24), "canary2-"+acctest.RandString(24)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	r.env = append(r.env, "TF_LOG=trace", "TF_LOG_PATH="+logPath)
	config := func(version string) string {
		return providerConfig(srv) + `
variable "signing_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "immuta_webhook" "test" {
  url                    = "https://hooks.example.com/canary"
  signing_key_wo         = var.signing_key
  signing_key_wo_version = ` + version + `
}
`
	}
	// The key comes from the environment: Terraform's trace log shows its
	// command line.
	base := slices.Clone(r.env)
	withKey := func(key string) { r.env = append(slices.Clone(base), "TF_VAR_signing_key="+key) }
	var outputs []string
	run := func(key string, args ...string) {
		withKey(key)
		outputs = append(outputs, r.mustRun(args...))
	}
	r.writeConfig(config("1"))
	run(key1, "apply", "-auto-approve", "-input=false")
	hooks := srv.Webhooks()
	if len(hooks) != 1 || hooks[0].SigningKey != key1 {
		t.Fatalf("after create the emulator holds %+v", hooks)
	}
	id := hooks[0].ID

	// Rotation: a saved plan, shown as JSON, then applied.
	r.writeConfig(config("2"))
	run(key2, "plan", "-input=false", "-out=rotate.tfplan")
	outputs = append(outputs, r.mustRun("show", "-json", "rotate.tfplan"))
	run(key2, "apply", "-input=false", "rotate.tfplan")
	if h, ok := srv.Webhook(id); !ok || h.SigningKey != key2 {
		t.Fatalf("after rotation the emulator holds %+v (id %s)", h, id)
	}
	outputs = append(outputs, r.mustRun("show", "-json"))
	state, err := os.ReadFile(filepath.Join(r.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(state))

	// An error: the service refuses the key (too long) and says why.
	long := "canary3-" + strings.Repeat("x", 1100)
	r.writeConfig(config("3"))
	withKey(long)
	out, code := r.run("apply", "-auto-approve", "-input=false")
	if code == 0 {
		t.Fatal("an over-long key was accepted")
	}
	outputs = append(outputs, out)
	run(key2, "destroy", "-auto-approve", "-input=false")

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Marketplace API request", `signingKey\":\"[REDACTED]\"`} {
		if !strings.Contains(string(logs), want) {
			t.Fatalf("the trace log lacks %q; the test did not capture provider logs", want)
		}
	}
	for _, key := range []string{key1, key2, long[:40]} {
		if strings.Contains(string(logs), key) {
			t.Errorf("a signing key appears in the trace log %s", logPath)
		}
		for i, o := range outputs {
			if strings.Contains(o, key) {
				t.Errorf("a signing key appears in output %d:\n%s", i, o)
			}
		}
	}
}
