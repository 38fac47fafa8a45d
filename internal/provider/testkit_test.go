package provider

// The acceptance test toolkit: what every test file shares, and the two
// modes the acceptance tests run in.
//
// By default each test starts its own emulator in this process
// (marketplacetest), and may drive it out of band: seed objects, inject
// faults, read the request log.
//
// In external mode the tests that need none of that run against any
// Marketplace endpoint, a tenant or a separately started
// marketplace-emulator (`make testacc-external`); the others skip, saying
// why. External mode is on when all of these are set:
//
//	IMMUTA_MARKETPLACE_ACC_EXTERNAL=1    the explicit opt-in: tests create and delete objects there
//	IMMUTA_MARKETPLACE_ENDPOINT          the base URL, such as https://na.api.immutacloud.com/marketplace
//	IMMUTA_MARKETPLACE_TOKEN             a personal access token of a user who may manage data products
//
// and these describe the tenant (each is discovered through the API when
// unset):
//
//	IMMUTA_MARKETPLACE_ACC_DOMAIN_ID       a domain the token's user may create products in (default: the
//	                                       first domain, by name, that has a data source)
//	IMMUTA_MARKETPLACE_ACC_DATA_SOURCE_ID  a data source of that domain (default: its first one)
//	IMMUTA_MARKETPLACE_ACC_APP_ADMIN=1     the token's user is an application admin: the webhook tests run
//
// Every object a test creates is named with testNamePrefix (a webhook
// carries it in its URL's path), so that `go test ./internal/provider
// -sweep=any` with the same endpoint and token removes what a failed run
// left behind (see sweeper_test.go).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/ctxrelease"
	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// The external mode's environment (see the top of this file).
const (
	envAccExternal     = "IMMUTA_MARKETPLACE_ACC_EXTERNAL"
	envAccDomainID     = "IMMUTA_MARKETPLACE_ACC_DOMAIN_ID"
	envAccDataSourceID = "IMMUTA_MARKETPLACE_ACC_DATA_SOURCE_ID"
	envAccAppAdmin     = "IMMUTA_MARKETPLACE_ACC_APP_ADMIN"
)

// testNamePrefix starts the name of every object the tests create, and
// only theirs: the sweepers delete what carries it.
const testNamePrefix = "tf-acc-"

// Ids of the emulator's default fixture (marketplacetest/fixtures/default.json).
const (
	nasDomainID     = "1aebd69e-0ac6-51d7-94e0-6580689d4380" // North American Sales
	salesDomainID   = "f65a50a9-1735-5bb0-b58a-4c5f036fc847" // Sales
	salesEUDomainID = "b42235d5-c13d-5a3d-b65a-9697992f0c47" // Sales EU
	supplyDomainID  = "a2984b7f-d457-5f6a-a4be-2eccc6afbc66" // Supply Chain
	lakeDomainID    = "695134ec-9d06-5aa3-a772-f27c1c9e5173" // Enterprise Data Lake: 300 data sources
	emptyDomainID   = "70bda943-29e6-549e-b419-35d6885a867e" // Research Sandbox: none
	unknownUUID     = "123e4567-e89b-12d3-a456-426614174000"
)

// externalMode reports whether the acceptance tests run against
// IMMUTA_MARKETPLACE_ENDPOINT instead of in-process emulators.
func externalMode() bool { return os.Getenv(envAccExternal) == "1" }

// checkExternalEnv says what is missing when external mode is asked for
// without an endpoint or a token, so that the run fails instead of
// skipping everything.
func checkExternalEnv() error {
	if !externalMode() {
		return nil
	}
	for _, name := range []string{EnvEndpoint, EnvToken} {
		if os.Getenv(name) == "" {
			return fmt.Errorf("%s=1 needs %s and %s", envAccExternal, EnvEndpoint, EnvToken)
		}
	}
	return nil
}

// testMainRun cleans up what the test binary leaves behind after the
// tests.
type testMainRun struct{ m *testing.M }

func (r testMainRun) Run() int {
	if err := checkExternalEnv(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	code := r.m.Run()
	_ = os.Remove(testJournalPath)
	if builtProvider.dir != "" {
		_ = os.RemoveAll(builtProvider.dir)
	}
	return code
}

// TestMain runs the tests, or with -sweep the sweepers, and removes the
// create journal and the provider binary a test may have built.
func TestMain(m *testing.M) {
	resource.TestMain(testMainRun{m})
}

// requireEmulator starts an in-process emulator for one test; in external
// mode it skips the test, saying what it needs the emulator for.
func requireEmulator(t *testing.T, reason string) *marketplacetest.TestServer {
	t.Helper()
	return requireEmulatorWith(t, reason, marketplacetest.Options{})
}

// requireEmulatorWith is requireEmulator with options; requests the
// contract forbids always fail the test.
func requireEmulatorWith(t *testing.T, reason string, opts marketplacetest.Options) *marketplacetest.TestServer {
	t.Helper()
	skipExternal(t, reason)
	opts.StrictContractRequests = true
	return marketplacetest.NewTestServer(t, opts)
}

// newEmulatorWithFixture starts an emulator with its own fixture.
func newEmulatorWithFixture(t *testing.T, reason string, f *marketplacetest.Fixture) *marketplacetest.TestServer {
	t.Helper()
	skipExternal(t, reason)
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	return requireEmulatorWith(t, reason, marketplacetest.Options{Fixture: f})
}

// newWebhookEmulator starts an emulator whose token acts as an
// application admin, the only kind of user that may configure webhooks.
func newWebhookEmulator(t *testing.T, reason string) *marketplacetest.TestServer {
	t.Helper()
	var admin string
	for _, u := range marketplacetest.DefaultFixture().Users {
		if slices.Contains(u.Permissions, marketplacetest.PermissionApplicationAdmin) {
			admin = u.GlobalUserID
			break
		}
	}
	if admin == "" {
		t.Fatal("the default fixture has no application admin")
	}
	return requireEmulatorWith(t, reason, marketplacetest.Options{CallerGlobalUserID: admin})
}

// skipExternal skips a test in external mode.
func skipExternal(t *testing.T, reason string) {
	t.Helper()
	if externalMode() {
		t.Skipf("needs the in-process emulator: %s", reason)
	}
}

// endpointer is what a provider block points at: an in-process emulator
// or an accTarget.
type endpointer interface {
	Endpoint() string
	Token() string
}

// accTarget is the Marketplace an acceptance test that needs no
// out-of-band control talks to: a fresh in-process emulator, or in
// external mode IMMUTA_MARKETPLACE_ENDPOINT. Its checks and seeds go
// through the API, so that they hold in both modes.
type accTarget struct {
	endpoint, token string
	api             *marketplace.Client
	facts           tenantFacts
	// srv is the in-process emulator, nil in external mode: see
	// emulatorCheck.
	srv *marketplacetest.TestServer
}

// tenantFacts are the governance objects (owned outside the Marketplace)
// the tests refer to.
type tenantFacts struct {
	// DomainID is a domain with at least one data source.
	DomainID string
	// DataSourceID is a data source of that domain, and DataSourcePlatform
	// its platform.
	DataSourceID       string
	DataSourcePlatform string
}

// defaultFixtureFacts are the tenant facts of the default fixture.
var defaultFixtureFacts = tenantFacts{DomainID: nasDomainID, DataSourceID: "105", DataSourcePlatform: "Redshift"}

func (a *accTarget) Endpoint() string { return a.endpoint }
func (a *accTarget) Token() string    { return a.token }

// newAccTarget returns the Marketplace a test runs against.
func newAccTarget(t *testing.T) *accTarget {
	t.Helper()
	if !externalMode() {
		srv := marketplacetest.NewTestServer(t, marketplacetest.Options{StrictContractRequests: true})
		return &accTarget{endpoint: srv.Endpoint(), token: srv.Token(), api: testClient(t, srv.Endpoint(), srv.Token()), facts: defaultFixtureFacts, srv: srv}
	}
	endpoint, token := os.Getenv(EnvEndpoint), os.Getenv(EnvToken)
	api := testClient(t, endpoint, token)
	facts, err := externalFacts()
	if err != nil {
		t.Fatal(err)
	}
	return &accTarget{endpoint: endpoint, token: token, api: api, facts: facts}
}

// newWebhookTarget is newAccTarget for the webhook tests: the token's
// user must be an application admin.
func newWebhookTarget(t *testing.T) *accTarget {
	t.Helper()
	if !externalMode() {
		srv := newWebhookEmulator(t, "")
		return &accTarget{endpoint: srv.Endpoint(), token: srv.Token(), api: testClient(t, srv.Endpoint(), srv.Token()), facts: defaultFixtureFacts, srv: srv}
	}
	if os.Getenv(envAccAppAdmin) != "1" {
		t.Skipf("configuring webhooks needs an application admin's token: set %s=1 if %s is one", envAccAppAdmin, EnvToken)
	}
	return newAccTarget(t)
}

// emulatorCheck is a check of what only the in-process emulator can
// tell (the request log, that nothing else exists); in external mode it
// checks nothing.
func (a *accTarget) emulatorCheck(check func(*marketplacetest.TestServer) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if a.srv == nil {
			return nil
		}
		return check(a.srv)
	}
}

// checkAgreementStored checks the service's copy of the agreement in
// state: its name and body.
func (a *accTarget) checkAgreementStored(name, body string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[agreementAddr]
		if !ok {
			return fmt.Errorf("%s is not in state", agreementAddr)
		}
		got, err := a.api.GetDataUseAgreement(context.Background(), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("reading data use agreement %s: %w", rs.Primary.ID, err)
		}
		if got.Name != name || got.Body != body {
			return fmt.Errorf("the service holds %q / %q, want %q / %q", got.Name, got.Body, name, body)
		}
		return nil
	}
}

// testClientUserAgent tells the tests' own requests from the provider's.
const testClientUserAgent = "terraform-provider-immuta-acctest"

// testClient is a Marketplace client for checks and seeds.
func testClient(t testing.TB, endpoint, token string) *marketplace.Client {
	t.Helper()
	c, err := newSweepClient(endpoint, token)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newSweepClient(endpoint, token string) (*marketplace.Client, error) {
	return marketplace.New(marketplace.Config{
		BaseURL: endpoint, Token: token, UserAgent: testClientUserAgent,
		RetryWaitMin: 50 * time.Millisecond, RetryWaitMax: time.Second,
	})
}

// externalFacts finds the tenant's facts once per test process.
var externalFacts = sync.OnceValues(func() (tenantFacts, error) {
	endpoint, token := os.Getenv(EnvEndpoint), os.Getenv(EnvToken)
	api, err := newSweepClient(endpoint, token)
	if err != nil {
		return tenantFacts{}, err
	}
	return discoverFacts(context.Background(), api, os.Getenv(envAccDomainID), os.Getenv(envAccDataSourceID))
})

// discoverFacts takes the domain and data source given, or the first
// domain by name with a data source and its first one.
func discoverFacts(ctx context.Context, api *marketplace.Client, domainID, sourceID string) (tenantFacts, error) {
	var domains []string
	if domainID != "" {
		domains = []string{domainID}
	} else {
		all, err := api.ListDomains(ctx)
		if err != nil {
			return tenantFacts{}, fmt.Errorf("listing domains to find one for the tests (or set %s): %w", envAccDomainID, err)
		}
		slices.SortFunc(all, func(a, b marketplace.Domain) int { return strings.Compare(a.Name, b.Name) })
		for _, d := range all {
			domains = append(domains, d.ID)
		}
	}
	for _, d := range domains {
		sources, err := api.ListDomainDataSources(ctx, d, marketplace.ListDomainDataSourcesOptions{})
		if err != nil {
			return tenantFacts{}, fmt.Errorf("listing the data sources of domain %s: %w", d, err)
		}
		for _, s := range sources {
			id := strconv.FormatInt(s.DataSourceID, 10)
			if sourceID == "" || id == sourceID {
				return tenantFacts{DomainID: d, DataSourceID: id, DataSourcePlatform: s.Platform}, nil
			}
		}
	}
	return tenantFacts{}, fmt.Errorf("no domain with a data source found for the tests: set %s and %s", envAccDomainID, envAccDataSourceID)
}

// seedRequestForm creates a request form through the API, outside
// Terraform, and deletes it when the test ends: an auto-approving one, or
// with delegates one that defers to the data product's review flow.
func (a *accTarget) seedRequestForm(t *testing.T, delegates bool) string {
	t.Helper()
	event := marketplace.PolicyEvent{Type: marketplace.EventApprove, Params: &marketplace.EventParams{Comment: "Approved."}}
	if delegates {
		event = marketplace.PolicyEvent{Type: marketplace.EventDataProductPolicy}
	}
	id := a.createRequestForm(t, event, nil)
	t.Cleanup(func() {
		if err := a.api.DeleteRequestForm(context.Background(), id); err != nil && !isNotFound(err) {
			t.Errorf("deleting the seeded request form %s: %v", id, err)
		}
	})
	return id
}

// seedRequestFormKept creates an auto-approving request form with these
// agreements through the API, and leaves it.
func (a *accTarget) seedRequestFormKept(t *testing.T, agreementIDs []string) string {
	t.Helper()
	return a.createRequestForm(t, marketplace.PolicyEvent{Type: marketplace.EventApprove, Params: &marketplace.EventParams{Comment: "Approved."}}, agreementIDs)
}

func (a *accTarget) createRequestForm(t *testing.T, event marketplace.PolicyEvent, agreementIDs []string) string {
	t.Helper()
	policy, err := json.Marshal(marketplace.Policy{Version: "1", Rules: []marketplace.PolicyRule{}, DefaultEvent: event})
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.api.CreateRequestForm(context.Background(), marketplace.RequestFormInput{
		Name:                randomName("form"),
		Fields:              []marketplace.RequestFormField{{ID: uuid.NewString(), Type: marketplace.FieldShortAnswer, Label: "Why?", Required: true}},
		Policy:              policy,
		DataUseAgreementIDs: append([]string{}, agreementIDs...),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

// isNotFound reports whether err is the API's 404.
func isNotFound(err error) bool { return errors.Is(err, marketplace.ErrNotFound) }

// checkDestroyed is a CheckDestroy: no resource of this type that the
// state held exists any more; in process, also the emulator-wide check
// (nothing of the kind is left at all), when there is one.
func (a *accTarget) checkDestroyed(resourceType string, get func(context.Context, string) error,
	onEmulator func(*marketplacetest.TestServer) resource.TestCheckFunc,
) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if a.srv != nil && onEmulator != nil {
			if err := onEmulator(a.srv)(s); err != nil {
				return err
			}
		}
		for addr, rs := range s.RootModule().Resources {
			if rs.Type != resourceType {
				continue
			}
			err := get(context.Background(), rs.Primary.ID)
			if err == nil {
				return fmt.Errorf("%s (%s) still exists after destroy", addr, rs.Primary.ID)
			}
			if !isNotFound(err) {
				return fmt.Errorf("reading %s (%s) after destroy: %w", addr, rs.Primary.ID, err)
			}
		}
		return nil
	}
}

// checkProductsDestroyed is a CheckDestroy for data products.
func (a *accTarget) checkProductsDestroyed() resource.TestCheckFunc {
	return a.checkDestroyed("immuta_data_product", func(ctx context.Context, id string) error {
		_, err := a.api.GetDataProduct(ctx, id)
		return err
	}, checkProductsDestroyed)
}

// checkFormsDestroyed is a CheckDestroy for request forms.
func (a *accTarget) checkFormsDestroyed() resource.TestCheckFunc {
	return a.checkDestroyed("immuta_request_form", func(ctx context.Context, id string) error {
		_, err := a.api.GetRequestForm(ctx, id)
		return err
	}, checkNoForms)
}

// checkProductStored checks the service's copy of the product in state.
func (a *accTarget) checkProductStored(check func(*marketplace.DataProduct) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[productAddr]
		if !ok {
			return fmt.Errorf("%s is not in state", productAddr)
		}
		p, err := a.api.GetDataProduct(context.Background(), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("reading data product %s: %w", rs.Primary.ID, err)
		}
		return check(p)
	}
}

// checkFormStored checks the service's copy of the request form in state.
func (a *accTarget) checkFormStored(check func(*marketplace.RequestForm) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[formAddr]
		if !ok {
			return fmt.Errorf("%s is not in state", formAddr)
		}
		f, err := a.api.GetRequestForm(context.Background(), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("reading request form %s: %w", rs.Primary.ID, err)
		}
		return check(f)
	}
}

// testAccProtoV6ProviderFactories serve the provider in-process, with
// short retry waits so that fault tests stay quick, and no wait for
// read-after-write lag, so that a 404 right after a create means the
// object was deleted (as the "disappears" steps do).
var testAccProtoV6ProviderFactories = providerFactories(-1)

// testJournalPath is the create journal of the in-process provider: one
// per test process, outside the source tree (TestMain removes it).
var testJournalPath = filepath.Join(os.TempDir(), fmt.Sprintf("immuta-marketplace-creates-test-%d.json", os.Getpid()))

// providerFactories serve the provider with a read-after-write window,
// through ctxrelease as main.go serves it.
func providerFactories(consistencyWindow time.Duration) map[string]func() (tfprotov6.ProviderServer, error) {
	serve := ctxrelease.ProviderServer(New("test",
		WithRetryWait(5*time.Millisecond, 50*time.Millisecond),
		WithConsistencyWindow(consistencyWindow),
		WithCreateJournal(testJournalPath))())
	return map[string]func() (tfprotov6.ProviderServer, error){
		"immuta": func() (tfprotov6.ProviderServer, error) { return serve(), nil },
	}
}

// testAccPreCheck fails early when the acceptance test environment is
// incomplete. The emulator needs nothing, but Terraform must be found.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		if _, err := exec.LookPath("terraform"); err != nil {
			t.Fatal("acceptance tests need the terraform CLI on PATH or TF_ACC_TERRAFORM_PATH; `make test` installs one")
		}
	}
}

// providerConfig points the provider at an emulator or a target.
func providerConfig(srv endpointer) string {
	return fmt.Sprintf(`
provider "immuta" {
  endpoint = %q
  token    = %q
}
`, srv.Endpoint(), srv.Token())
}

// randomName returns a unique, valid object name for a test, which the
// sweepers recognise.
func randomName(prefix string) string {
	return acctest.RandomWithPrefix(testNamePrefix + prefix)
}

// compareSame asserts two values are equal.
var compareSame = compare.ValuesSame()

// uuidRegexp matches a canonical UUID.
var uuidRegexp = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// errorPattern matches a diagnostic that contains each part, in order.
// Terraform wraps long lines, so any space in a part matches any run of
// white space.
func errorPattern(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(p), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

// requestsTo filters the request log by method and path prefix (after
// the base path).
func requestsTo(reqs []marketplacetest.Request, method, pathPrefix string) []marketplacetest.Request {
	var out []marketplacetest.Request
	for _, r := range reqs {
		if r.Method == method && strings.HasPrefix(r.Path, marketplacetest.BasePath+pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}

// metadataRequests lists the logged requests whose path, after the base
// path, starts with pathPrefix (the metadata endpoints take only GET).
func metadataRequests(srv *marketplacetest.TestServer, pathPrefix string) []marketplacetest.Request {
	var out []marketplacetest.Request
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, marketplacetest.BasePath+pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}

// noRequestMentions fails if any logged request's path or query contains s:
// a value refused at plan time never reaches the API.
func noRequestMentions(t *testing.T, srv *marketplacetest.TestServer, s string) {
	t.Helper()
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, s) || strings.Contains(r.Query, s) {
			t.Errorf("%s %s?%s reached the API", r.Method, r.Path, r.Query)
		}
	}
}

// checkNoWrites checks that the emulator received only reads.
func checkNoWrites(srv *marketplacetest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, r := range srv.Requests() {
			if r.Method != "GET" {
				return fmt.Errorf("adopting the object sent %s %s; an import must only read", r.Method, r.Path)
			}
		}
		return nil
	}
}

// captureID copies a resource's id out of state, for a later step that
// needs it outside Terraform (an out-of-band edit or delete).
func captureID(addr string, into *string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(addr, "id", func(v string) error {
		*into = v
		return nil
	})
}

// seedRequestForm seeds a request form into the emulator: an
// auto-approving one, or with delegates one that defers to the data
// product's review flow.
func seedRequestForm(t *testing.T, srv *marketplacetest.TestServer, delegates bool) string {
	t.Helper()
	policy := marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
		Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "Approved."},
	}}
	if delegates {
		policy.DefaultEvent = marketplacetest.PolicyEvent{Type: marketplacetest.EventDataProductPolicy}
	}
	f, err := srv.SeedRequestForm(marketplacetest.RequestForm{
		Name:   randomName("form"),
		Fields: []marketplacetest.FormField{{Type: marketplacetest.FieldShortAnswer, Label: "Why?", Required: true}},
		Policy: policy,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

// mustSeedAgreement seeds a data use agreement into the emulator.
func mustSeedAgreement(t *testing.T, srv *marketplacetest.TestServer) string {
	t.Helper()
	a, err := srv.SeedDataUseAgreement(randomName("terms"), "Terms.")
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func boolPtr(b bool) *bool { return &b }

// stringSet is a set of exactly these strings.
func stringSet(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.SetExact(checks)
}

// expectPriorValue checks a top-level attribute of the state a resource's
// planned change starts from (the plan's "before").
func expectPriorValue(addr, attr string, want any) plancheck.PlanCheck {
	return priorValueCheck{addr: addr, attr: attr, want: want}
}

type priorValueCheck struct {
	addr, attr string
	want       any
}

func (c priorValueCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr || rc.Change == nil {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before[c.attr]; got != c.want {
			resp.Error = fmt.Errorf("%s: the prior %s is %v, want %v", c.addr, c.attr, got, c.want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}

// checkWebhooksDestroyed is a CheckDestroy for webhooks.
func (a *accTarget) checkWebhooksDestroyed() resource.TestCheckFunc {
	return a.checkDestroyed("immuta_webhook", func(ctx context.Context, id string) error {
		_, err := a.api.GetWebhook(ctx, id)
		return err
	}, nil)
}

// checkAgreementsDestroyed is a CheckDestroy for data use agreements.
func (a *accTarget) checkAgreementsDestroyed() resource.TestCheckFunc {
	return a.checkDestroyed("immuta_data_use_agreement", func(ctx context.Context, id string) error {
		_, err := a.api.GetDataUseAgreement(ctx, id)
		return err
	}, nil)
}

// seedAgreement creates a data use agreement through the API, outside
// Terraform, and deletes it when the test ends.
func (a *accTarget) seedAgreement(t *testing.T, name, body string) *marketplace.DataUseAgreement {
	t.Helper()
	got, err := a.api.CreateDataUseAgreement(context.Background(), marketplace.DataUseAgreementInput{Name: name, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.api.DeleteDataUseAgreement(context.Background(), got.ID); err != nil && !isNotFound(err) {
			t.Errorf("deleting the seeded data use agreement %s: %v", got.ID, err)
		}
	})
	return got
}

// checkAgreementUnchanged checks that the service still holds the
// agreement as seeded.
func (a *accTarget) checkAgreementUnchanged(want *marketplace.DataUseAgreement) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := a.api.GetDataUseAgreement(context.Background(), want.ID)
		if err != nil {
			return fmt.Errorf("reading the seeded agreement %s: %w", want.ID, err)
		}
		if got.Name != want.Name || got.Body != want.Body {
			return fmt.Errorf("the seeded agreement changed: %+v", got)
		}
		return nil
	}
}

// seedDataProduct creates a data product in the tenant facts' domain
// through the API, outside Terraform, and deletes it when the test ends.
func (a *accTarget) seedDataProduct(t *testing.T, name, formID string) *marketplace.DataProduct {
	t.Helper()
	p, err := a.api.CreateDataProduct(context.Background(), marketplace.DataProductInput{
		Name: name, Domains: []string{a.facts.DomainID}, DataAccessRequestFormID: formID,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.api.DeleteDataProduct(context.Background(), p.ID); err != nil && !isNotFound(err) {
			t.Errorf("deleting the seeded data product %s: %v", p.ID, err)
		}
	})
	return p
}
