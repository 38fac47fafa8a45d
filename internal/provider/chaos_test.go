package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// chaosFaultRate is the share of requests the chaos test faults.
const chaosFaultRate = 0.20

// chaosFaults returns faults that together hit about chaosFaultRate of
// all requests: rate limits, gateway and server errors, writes whose
// answer is lost or replaced by an error, and latency.
func chaosFaults() []marketplacetest.Fault {
	failures := []marketplacetest.Fault{
		{Status: 429, RetryAfter: "0"},
		{Status: 503},
		{Status: 502, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"},
		{Status: 500},
		{DropAfterCommit: true},
		{FailAfterCommit: true, Status: 504},
	}
	// The first fault that fires wins, so each gets the share that makes
	// the chance that none fires 1 - chaosFaultRate.
	p := 1 - math.Pow(1-chaosFaultRate, 1/float64(len(failures)))
	for i := range failures {
		failures[i].Probability = p
	}
	// Some requests are also slow, which is no failure.
	return append(failures, marketplacetest.Fault{Probability: 0.1, Latency: marketplacetest.Duration(20 * time.Millisecond)})
}

// chaosSeed is the fault seed: CHAOS_SEED to repeat a run, else random.
func chaosSeed(t *testing.T) uint64 {
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("CHAOS_SEED=%q: %v", s, err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

// The chaos test's review flows, as the configuration names them.
const (
	chaosAutoApprove     = "auto_approve"
	chaosRequireApproval = "review"
	chaosDelegate        = "delegate"
)

// chaosDomains are fixture domains the chaos test's products are built
// from; the configuration looks them up by name.
var chaosDomains = []string{"North American Sales", "Marketing", "Finance", "Sales", "Sales EU", "Supply Chain"}

// chaosForm is a request form of the chaos configuration.
type chaosForm struct {
	Name string
	// Flow is the form's review flow (chaosAutoApprove, ...).
	Flow string
	// Agreements are indexes into chaosObjects.Agreements.
	Agreements     []int
	AccessDuration bool
}

// chaosProduct is a data product of the chaos configuration.
type chaosProduct struct {
	Name string
	// Form is an index into chaosObjects.Forms.
	Form int
	// Domains are domain names; the product has every data source of each.
	Domains []string
	Expert  bool
	// OwnFlow is the product's own review flow, set exactly when its form
	// delegates.
	OwnFlow string
}

// chaosObjects are the objects the chaos configuration declares.
type chaosObjects struct {
	Agreements []string
	Forms      []chaosForm
	Products   []chaosProduct
}

func (o chaosObjects) count() int { return len(o.Agreements) + len(o.Forms) + len(o.Products) }

// newChaosObjects declares a mix: forms of every review flow with none,
// one or two agreements; products sharing a form or using one alone, over
// one or two domains; some forms used by no product.
func newChaosObjects(agreements, forms, products int) chaosObjects {
	var o chaosObjects
	for i := range agreements {
		o.Agreements = append(o.Agreements, fmt.Sprintf("Chaos agreement %02d", i))
	}
	flows := []string{chaosAutoApprove, chaosRequireApproval, chaosDelegate}
	for i := range forms {
		f := chaosForm{Name: fmt.Sprintf("Chaos form %02d", i), Flow: flows[i%len(flows)], AccessDuration: i%2 == 0}
		switch i % 4 {
		case 0:
		case 1:
			f.Agreements = []int{i % agreements}
		default:
			f.Agreements = []int{i % agreements}
			if other := (i*7 + 3) % agreements; other != i%agreements {
				f.Agreements = append(f.Agreements, other)
			}
		}
		o.Forms = append(o.Forms, f)
	}
	// A few forms serve two products; the last ones serve none.
	formsUsed := max(1, forms*4/5)
	for i := range products {
		p := chaosProduct{
			Name:    fmt.Sprintf("Chaos product %02d", i),
			Form:    i % formsUsed,
			Domains: []string{chaosDomains[i%len(chaosDomains)]},
			Expert:  i%2 == 1,
		}
		if i%4 == 3 {
			p.Domains = append(p.Domains, chaosDomains[(i+1)%len(chaosDomains)])
		}
		if o.Forms[p.Form].Flow == chaosDelegate {
			p.OwnFlow = flows[i%2]
		}
		o.Products = append(o.Products, p)
	}
	return o
}

func chaosKey(i int) string { return fmt.Sprintf("%02d", i) }

// config renders the objects as locals that for_each resources read,
// with a provider that retries a failed request maxRetries times.
func (o chaosObjects) config(srv *marketplacetest.TestServer, maxRetries int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"immuta\" {\n  endpoint    = %q\n  token       = %q\n  max_retries = %d\n}\n", srv.Endpoint(), srv.Token(), maxRetries)
	b.WriteString("\nlocals {\n  agreements = {\n")
	for i, name := range o.Agreements {
		fmt.Fprintf(&b, "    %q = %q\n", chaosKey(i), name)
	}
	b.WriteString("  }\n  forms = {\n")
	for i, f := range o.Forms {
		keys := make([]string, len(f.Agreements))
		for j, a := range f.Agreements {
			keys[j] = chaosKey(a)
		}
		fmt.Fprintf(&b, "    %q = { name = %q, flow = %q, agreements = %s, access_duration = %t }\n",
			chaosKey(i), f.Name, f.Flow, hclStrings(keys), f.AccessDuration)
	}
	b.WriteString("  }\n  products = {\n")
	for i, p := range o.Products {
		fmt.Fprintf(&b, "    %q = { name = %q, form = %q, domains = %s, expert = %t, own_flow = %q }\n",
			chaosKey(i), p.Name, chaosKey(p.Form), hclStrings(p.Domains), p.Expert, p.OwnFlow)
	}
	b.WriteString("  }\n}\n")
	fmt.Fprintf(&b, chaosResources, governorID, stewardSalesID)
	return b.String()
}

// chaosResources declares the objects of the locals; the verbs are an
// approver's and a subject matter expert's global user ids.
const chaosResources = `
resource "immuta_data_use_agreement" "chaos" {
  for_each = local.agreements
  name     = each.value
  body     = "Terms of ${each.value}."
}

resource "immuta_request_form" "chaos" {
  for_each = local.forms
  name     = each.value.name

  field {
    type     = "SHORT_ANSWER"
    label    = "Purpose"
    required = true
  }
  field {
    type    = "DROPDOWN"
    label   = "Team"
    options = ["Sales", "Marketing", "Finance"]
  }
  dynamic "field" {
    for_each = each.value.access_duration ? ["How long do you need access to this data?"] : []
    content {
      type  = "ACCESS_DURATION"
      label = field.value
    }
  }

  review_flow = {
    auto_approve             = each.value.flow == "auto_approve" ? { reason = "Open to every employee.", duration = 30, duration_unit = "DAYS" } : null
    review                   = each.value.flow == "review" ? { stages = [{ approval_mode = "any", user_ids = [%[1]q], groups = [{ name = "Data Stewards", id = 1 }] }] } : null
    delegate_to_data_product = each.value.flow == "delegate" ? true : null
  }
  data_use_agreement_ids = [for a in each.value.agreements : immuta_data_use_agreement.chaos[a].id]
}

data "immuta_domain" "chaos" {
  for_each = toset(flatten([for p in local.products : p.domains]))
  name     = each.key
}

data "immuta_domain_data_sources" "chaos" {
  for_each  = data.immuta_domain.chaos
  domain_id = each.value.id
}

resource "immuta_data_product" "chaos" {
  for_each                 = local.products
  name                     = each.value.name
  description              = "Data product ${each.key} of the chaos test."
  domain_ids               = [for d in each.value.domains : data.immuta_domain.chaos[d].id]
  data_source_ids          = setunion([for d in each.value.domains : data.immuta_domain_data_sources.chaos[d].ids]...)
  data_access_request_form_id = immuta_request_form.chaos[each.value.form].id
  subject_matter_expert_id    = each.value.expert ? %[2]q : null
  data_access_review_flow = each.value.own_flow == "" ? null : {
    auto_approve     = each.value.own_flow == "auto_approve" ? { reason = "Approved for ${each.value.name}." } : null
    review           = each.value.own_flow == "review" ? { stages = [{ approval_mode = "all", user_ids = [%[2]q], permissions = ["GOVERNANCE"] }] } : null
  }
  deletion_protection = false
}
`

// converge runs a command until it succeeds, at most maxRuns times, and
// returns how many runs it took.
func converge(t *testing.T, r *cliRunner, maxRuns int, args ...string) int {
	t.Helper()
	for run := 1; run <= maxRuns; run++ {
		start := time.Now()
		out, code := r.run(args...)
		if code == 0 {
			t.Logf("%s: terraform %s run %d succeeded in %s", t.Name(), args[0], run, time.Since(start).Round(time.Millisecond))
			return run
		}
		t.Logf("%s: terraform %s run %d failed in %s (expected under faults); errors:\n%s",
			t.Name(), args[0], run, time.Since(start).Round(time.Millisecond), errorLines(out))
	}
	t.Fatalf("terraform %s did not converge in %d runs", args[0], maxRuns)
	return maxRuns
}

// errorLines keeps the "Error:" lines of Terraform's output and the
// request each error names, with the line after it, where Terraform's
// wrapping may have put the status.
func errorLines(out string) string {
	lines := strings.Split(out, "\n")
	var keep []string
	for i, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case strings.Contains(line, "Error:"):
			keep = append(keep, line)
		case strings.HasPrefix(line, "GET /"), strings.HasPrefix(line, "POST /"), strings.HasPrefix(line, "PUT /"), strings.HasPrefix(line, "DELETE /"):
			if i+1 < len(lines) {
				line += " " + strings.TrimSpace(lines[i+1])
			}
			keep = append(keep, "  "+line)
		}
	}
	return strings.Join(keep, "\n")
}

// faultFigures counts the requests the emulator answered with a fault
// (status 0 is a dropped connection).
func faultFigures(reqs []marketplacetest.Request) (total, faulted int) {
	for _, r := range reqs {
		total++
		switch r.Status {
		case 0, 429, 500, 502, 503, 504:
			faulted++
		}
	}
	return total, faulted
}

// chaosManagedTypes are the resource types the chaos test manages.
var chaosManagedTypes = []string{"immuta_data_use_agreement", "immuta_request_form", "immuta_data_product"}

// stateIDs reads the ids of the managed resources in the working
// directory's state, by resource type.
func stateIDs(t *testing.T, r *cliRunner) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(r.dir, "terraform.tfstate"))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]string{}
	}
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatalf("reading the state: %v", err)
	}
	ids := map[string][]string{}
	for _, res := range state.Resources {
		if res.Mode != "managed" {
			continue
		}
		for _, in := range res.Instances {
			ids[res.Type] = append(ids[res.Type], in.Attributes.ID)
		}
	}
	return ids
}

// emulatorIDs lists the ids of the objects the emulator holds of each
// managed type, leaving out the built-in Standard Request Form.
func emulatorIDs(srv *marketplacetest.TestServer) map[string][]string {
	ids := map[string][]string{}
	for _, a := range srv.DataUseAgreements() {
		ids["immuta_data_use_agreement"] = append(ids["immuta_data_use_agreement"], a.ID)
	}
	for _, f := range srv.RequestForms() {
		if f.ID != marketplacetest.StandardRequestFormID {
			ids["immuta_request_form"] = append(ids["immuta_request_form"], f.ID)
		}
	}
	for _, p := range srv.DataProducts() {
		ids["immuta_data_product"] = append(ids["immuta_data_product"], p.ID)
	}
	return ids
}

// compareIDs reports, for each managed type, the objects the emulator
// holds that state does not know (orphans) and the ids in state the
// emulator does not hold (lost objects).
func compareIDs(inState, inEmulator map[string][]string) []string {
	var problems []string
	for _, typ := range chaosManagedTypes {
		state, held := map[string]bool{}, map[string]bool{}
		for _, id := range inState[typ] {
			if state[id] {
				problems = append(problems, fmt.Sprintf("%s %s is in state twice", typ, id))
			}
			state[id] = true
		}
		for _, id := range inEmulator[typ] {
			held[id] = true
			if !state[id] {
				problems = append(problems, fmt.Sprintf("the emulator holds %s %s, which is not in state (an orphan)", typ, id))
			}
		}
		for id := range state {
			if !held[id] {
				problems = append(problems, fmt.Sprintf("state holds %s %s, which the emulator does not", typ, id))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// uniqueNames maps names to what is named and reports any name used
// twice.
func uniqueNames[T any](kind string, items []T, name func(T) string, problems *[]string) map[string]T {
	out := map[string]T{}
	for _, it := range items {
		n := name(it)
		if _, dup := out[n]; dup {
			*problems = append(*problems, fmt.Sprintf("the emulator holds two %ss named %q", kind, n))
		}
		out[n] = it
	}
	return out
}

// sameNames reports the names that are configured but not held, or held
// but not configured.
func sameNames[T any](kind string, held map[string]T, want []string, problems *[]string) {
	wanted := map[string]bool{}
	for _, n := range want {
		wanted[n] = true
		if _, ok := held[n]; !ok {
			*problems = append(*problems, fmt.Sprintf("the emulator holds no %s named %q", kind, n))
		}
	}
	for n := range held {
		if !wanted[n] {
			*problems = append(*problems, fmt.Sprintf("the emulator holds a %s named %q that is not configured", kind, n))
		}
	}
}

// checkChaosObjects compares what the emulator holds with the objects
// the configuration declares: the same names, each exactly once, and the
// same references between them.
func checkChaosObjects(srv *marketplacetest.TestServer, o chaosObjects) []string {
	var problems []string

	agreementList := srv.DataUseAgreements()
	agreements := uniqueNames("data use agreement", agreementList, func(a marketplacetest.DataUseAgreement) string { return a.Name }, &problems)
	sameNames("data use agreement", agreements, o.Agreements, &problems)
	agreementName := map[string]string{}
	for _, a := range agreementList {
		agreementName[a.ID] = a.Name
		if want := "Terms of " + a.Name + "."; a.Body != want {
			problems = append(problems, fmt.Sprintf("agreement %q has body %q, want %q", a.Name, a.Body, want))
		}
	}

	var formList []marketplacetest.RequestForm
	for _, f := range srv.RequestForms() {
		if f.ID != marketplacetest.StandardRequestFormID {
			formList = append(formList, f)
		}
	}
	forms := uniqueNames("request form", formList, func(f marketplacetest.RequestForm) string { return f.Name }, &problems)
	formNames := make([]string, len(o.Forms))
	for i, want := range o.Forms {
		formNames[i] = want.Name
		got, ok := forms[want.Name]
		if !ok {
			continue
		}
		event := map[string]string{
			chaosAutoApprove: marketplacetest.EventApprove, chaosRequireApproval: marketplacetest.EventReview, chaosDelegate: marketplacetest.EventDataProductPolicy,
		}[want.Flow]
		if got.Policy.DefaultEvent.Type != event {
			problems = append(problems, fmt.Sprintf("form %q decides by %q, want %q", want.Name, got.Policy.DefaultEvent.Type, event))
		}
		var gotAgreements, wantAgreements []string
		for _, id := range got.DataUseAgreementIDs {
			gotAgreements = append(gotAgreements, agreementName[id])
		}
		for _, a := range want.Agreements {
			wantAgreements = append(wantAgreements, o.Agreements[a])
		}
		sort.Strings(gotAgreements)
		sort.Strings(wantAgreements)
		if !slices.Equal(gotAgreements, wantAgreements) {
			problems = append(problems, fmt.Sprintf("form %q has agreements %q, want %q", want.Name, gotAgreements, wantAgreements))
		}
		wantFields := 2
		if want.AccessDuration {
			wantFields++
		}
		if len(got.Fields) != wantFields {
			problems = append(problems, fmt.Sprintf("form %q has %d questions, want %d", want.Name, len(got.Fields), wantFields))
		}
	}
	sameNames("request form", forms, formNames, &problems)
	formName := map[string]string{}
	for _, f := range formList {
		formName[f.ID] = f.Name
	}

	fixture := srv.Fixture()
	domainName, domainSources := map[string]string{}, map[string][]int{}
	for _, d := range fixture.Domains {
		domainName[d.ID] = d.Name
	}
	for _, ds := range fixture.DataSources {
		domainSources[domainName[ds.DomainID]] = append(domainSources[domainName[ds.DomainID]], ds.DataSourceID)
	}
	products := uniqueNames("data product", srv.DataProducts(), func(p marketplacetest.DataProduct) string { return p.Name }, &problems)
	productNames := make([]string, len(o.Products))
	for i, want := range o.Products {
		productNames[i] = want.Name
		got, ok := products[want.Name]
		if !ok {
			continue
		}
		if f := formName[got.DataAccessRequestFormID]; f != o.Forms[want.Form].Name {
			problems = append(problems, fmt.Sprintf("product %q uses form %q (%s), want %q", want.Name, f, got.DataAccessRequestFormID, o.Forms[want.Form].Name))
		}
		var gotDomains []string
		for _, id := range got.Domains {
			gotDomains = append(gotDomains, domainName[id])
		}
		wantDomains := slices.Clone(want.Domains)
		var wantSources []int
		for _, d := range want.Domains {
			wantSources = append(wantSources, domainSources[d]...)
		}
		sort.Strings(gotDomains)
		sort.Strings(wantDomains)
		slices.Sort(wantSources)
		if !slices.Equal(gotDomains, wantDomains) {
			problems = append(problems, fmt.Sprintf("product %q is in domains %q, want %q", want.Name, gotDomains, wantDomains))
		}
		if !slices.Equal(got.DataSourceIDs, wantSources) {
			problems = append(problems, fmt.Sprintf("product %q has data sources %v, want %v", want.Name, got.DataSourceIDs, wantSources))
		}
		if (got.SubjectMatterExpert != "") != want.Expert {
			problems = append(problems, fmt.Sprintf("product %q has subject matter expert %q, want one: %t", want.Name, got.SubjectMatterExpert, want.Expert))
		}
		if (got.DataAccessReviewFlow != nil) != (want.OwnFlow != "") {
			problems = append(problems, fmt.Sprintf("product %q has its own review flow %s, want %q", want.Name, got.DataAccessReviewFlow, want.OwnFlow))
		}
	}
	sameNames("data product", products, productNames, &problems)
	sort.Strings(problems)
	return problems
}

// chaosMaxRuns bounds the applies, the destroys and the plans the chaos
// test allows in each phase. Most phases need one or two runs; each run
// fails only when a request fails after every retry.
const chaosMaxRuns = 10

// planUntilAnswered runs terraform plan until it answers (exit 0 or 2),
// at most chaosMaxRuns times: under faults a plan may fail, but it may
// never propose a change. It returns the exit code and output.
func planUntilAnswered(t *testing.T, r *cliRunner) (string, int) {
	t.Helper()
	for run := 1; ; run++ {
		out, code := r.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
		if code != 1 || run == chaosMaxRuns {
			t.Logf("%s: terraform plan run %d exited %d", t.Name(), run, code)
			return out, code
		}
		t.Logf("%s: terraform plan run %d failed (expected under faults); errors:\n%s", t.Name(), run, errorLines(out))
	}
}

// logFaultFigures logs how many runs and requests a phase took and how
// many requests the emulator faulted.
func logFaultFigures(t *testing.T, phase string, runs int, reqs []marketplacetest.Request) {
	t.Helper()
	total, faulted := faultFigures(reqs)
	byStatus := map[int]int{}
	for _, r := range reqs {
		byStatus[r.Status]++
	}
	t.Logf("%s: %s converged after %d run(s) of at most %d; %d requests, %d faulted (%.1f%%): %d dropped, %d 429, %d 500, %d 502, %d 503, %d 504; %d answered 404",
		t.Name(), phase, runs, chaosMaxRuns, total, faulted, 100*float64(faulted)/float64(max(total, 1)),
		byStatus[0], byStatus[429], byStatus[500], byStatus[502], byStatus[503], byStatus[504], byStatus[404])
}

// checkFaultShare fails the test if too few of all its requests were
// faulted for it to exercise failures.
func checkFaultShare(t *testing.T, reqs []marketplacetest.Request) {
	t.Helper()
	total, faulted := faultFigures(reqs)
	t.Logf("%s: in all, %d requests, %d faulted (%.1f%%)", t.Name(), total, faulted, 100*float64(faulted)/float64(max(total, 1)))
	if float64(faulted) < 0.1*float64(total) {
		t.Errorf("only %d of %d requests were faulted; the test is not exercising failures", faulted, total)
	}
}

// chaosLag is how long the chaos test's emulator hides a new object.
const chaosLag = 300 * time.Millisecond

// injectChaos turns on the faults and the read-after-write lag.
func injectChaos(t *testing.T, srv *marketplacetest.TestServer) {
	t.Helper()
	for _, f := range chaosFaults() {
		if _, err := srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetReadAfterWriteLag(chaosLag)
}

// TestAccChaos applies and destroys a configuration of agreements, forms
// that use them and products that use the forms, while a fifth of all
// requests fail, and checks that the Marketplace ends up holding exactly
// the configured objects: no duplicates, no orphans, nothing lost. With
// the client's default retries nearly every fault is absorbed; with two
// retries some reach Terraform (0.8% of requests fail for good), so that
// applies and destroys often fail part-way and have to be run again.
// (With one, nearly every refresh of the 50 objects meets a failure and
// few runs get past the plan.)
func TestAccChaos(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	seed := chaosSeed(t)
	t.Logf("fault seed %d (set CHAOS_SEED to repeat this run)", seed)
	for i, maxRetries := range []int{marketplace.DefaultMaxRetries, 2} {
		t.Run(fmt.Sprintf("max_retries=%d", maxRetries), func(t *testing.T) {
			t.Parallel()
			t.Logf("%s: fault seed %d", t.Name(), seed+uint64(i))
			runChaos(t, seed+uint64(i), maxRetries)
		})
	}
}

func runChaos(t *testing.T, seed uint64, maxRetries int) {
	objects := newChaosObjects(20, 15, 15)
	srv := requireEmulatorWith(t, "injects faults, reads the request log, reads the emulator's objects", marketplacetest.Options{FaultSeed: seed})
	// The provider waits for new objects ten times as long as the
	// emulator's lag hides them.
	r := newCLIRunner(t, providerFactories(10 * chaosLag)["immuta"])
	r.writeConfig(objects.config(srv, maxRetries))
	r.mustRun("init", "-input=false", "-no-color")

	injectChaos(t, srv)
	applies := converge(t, r, chaosMaxRuns, "apply", "-auto-approve", "-input=false", "-no-color")
	all := srv.Requests()
	logFaultFigures(t, "apply", applies, all)
	// Still under faults, the configuration plans clean.
	srv.ResetRequests()
	out, code := planUntilAnswered(t, r)
	all = append(all, srv.Requests()...)
	if code != 0 {
		t.Fatalf("the plan after converging exited %d:\n%s", code, out)
	}
	srv.ClearFaults()
	if problems := checkChaosObjects(srv, objects); len(problems) > 0 {
		t.Fatalf("after apply:\n%s", strings.Join(problems, "\n"))
	}
	if problems := compareIDs(stateIDs(t, r), emulatorIDs(srv)); len(problems) > 0 {
		t.Fatalf("after apply:\n%s", strings.Join(problems, "\n"))
	}
	t.Logf("%s: after apply the emulator holds exactly the %d configured objects, each once and all in state; the plan under faults is empty",
		t.Name(), objects.count())

	srv.ResetRequests()
	injectChaos(t, srv)
	destroys := converge(t, r, chaosMaxRuns, "destroy", "-auto-approve", "-input=false", "-no-color")
	logFaultFigures(t, "destroy", destroys, srv.Requests())
	checkFaultShare(t, append(all, srv.Requests()...))
	srv.ClearFaults()
	held := emulatorIDs(srv)
	for _, typ := range chaosManagedTypes {
		if n := len(held[typ]); n != 0 {
			t.Errorf("the emulator still holds %d %s after destroy: %v", n, typ, held[typ])
		}
	}
	if left := stateIDs(t, r); len(left) != 0 {
		t.Errorf("state still holds %v after destroy", left)
	}
	if !t.Failed() {
		t.Logf("%s: after destroy the emulator holds none of the objects and state is empty", t.Name())
	}
}
