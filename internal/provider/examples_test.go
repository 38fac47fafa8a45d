package provider

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// docsRepoRoot is the repository root, seen from this package's directory
// (where go test runs).
var docsRepoRoot = filepath.Join("..", "..")

// registeredTypes returns the type names of the provider's resources and
// data sources, sorted.
func registeredTypes(t *testing.T) (resources, dataSources []string) {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	for _, newResource := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		newResource().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "immuta"}, &resp)
		resources = append(resources, resp.TypeName)
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		newDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "immuta"}, &resp)
		dataSources = append(dataSources, resp.TypeName)
	}
	sort.Strings(resources)
	sort.Strings(dataSources)
	if len(resources) == 0 || len(dataSources) == 0 {
		t.Fatalf("the provider registers %d resources and %d data sources; expected some of each", len(resources), len(dataSources))
	}
	return resources, dataSources
}

// exampleFile is one file the documentation needs, and what it must say.
type exampleFile struct {
	path string
	// mustMatch are patterns the file must contain, with why.
	mustMatch map[string]*regexp.Regexp
}

// importLookupPrefix is how each type is imported by something other than
// its id: by name, or by URL for webhooks, which have no name.
func importLookupPrefix(typeName string) string {
	if typeName == "immuta_webhook" {
		return "url:"
	}
	return "name:"
}

func resourceExampleFiles(typeName string) []exampleFile {
	dir := filepath.Join("examples", "resources", typeName)
	q := regexp.QuoteMeta(typeName)
	lookup := importLookupPrefix(typeName)
	return []exampleFile{
		{filepath.Join(dir, "resource.tf"), map[string]*regexp.Regexp{
			"a resource block of this type": regexp.MustCompile(`(?m)^resource\s+"` + q + `"\s+"`),
		}},
		{filepath.Join(dir, "import.sh"), map[string]*regexp.Regexp{
			"an import by id":               regexp.MustCompile(`terraform import ` + q + `\.\S+ [0-9a-f]{8}-[0-9a-f]{4}-`),
			`an import by "` + lookup + `"`: regexp.MustCompile(`terraform import ` + q + `\.\S+ "` + regexp.QuoteMeta(lookup)),
		}},
		{filepath.Join(dir, "import-by-string-id.tf"), map[string]*regexp.Regexp{
			"an import block for this type": regexp.MustCompile(`(?s)import\s*\{.*to\s*=\s*` + q + `\.`),
		}},
	}
}

func dataSourceExampleFiles(typeName string) []exampleFile {
	return []exampleFile{
		{filepath.Join("examples", "data-sources", typeName, "data-source.tf"), map[string]*regexp.Regexp{
			"a data block of this type": regexp.MustCompile(`(?m)^data\s+"` + regexp.QuoteMeta(typeName) + `"\s+"`),
		}},
	}
}

// Every registered resource and data source has the example files the
// documentation is generated from, and they show what they should.
func TestExamplesForEveryResourceAndDataSource(t *testing.T) {
	resources, dataSources := registeredTypes(t)
	var files []exampleFile
	for _, r := range resources {
		files = append(files, resourceExampleFiles(r)...)
	}
	for _, d := range dataSources {
		files = append(files, dataSourceExampleFiles(d)...)
	}
	files = append(files, exampleFile{path: filepath.Join("examples", "provider", "provider.tf")})

	for _, f := range files {
		content, err := os.ReadFile(filepath.Join(docsRepoRoot, f.path))
		if err != nil {
			t.Errorf("missing %s: every registered resource needs resource.tf, import.sh and import-by-string-id.tf, "+
				"every data source data-source.tf (%v)", f.path, err)
			continue
		}
		for what, pattern := range f.mustMatch {
			if !pattern.Match(content) {
				t.Errorf("%s does not show %s (no match for %s)", f.path, what, pattern)
			}
		}
	}
}

// Every example directory belongs to a registered resource or data
// source, so that no example outlives its type or misspells it.
func TestExamplesNameRegisteredTypes(t *testing.T) {
	resources, dataSources := registeredTypes(t)
	for kind, registered := range map[string][]string{"resources": resources, "data-sources": dataSources} {
		entries, err := os.ReadDir(filepath.Join(docsRepoRoot, "examples", kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !slices.Contains(registered, e.Name()) {
				t.Errorf("examples/%s/%s is not a registered %s type (registered: %s)",
					kind, e.Name(), strings.TrimSuffix(kind, "s"), strings.Join(registered, ", "))
			}
		}
	}
}

// importBlockExample is a Terraform example that is an import block,
// after comment lines.
var importBlockExample = regexp.MustCompile("```terraform\n(?:#[^\n]*\n)*import \\{")

// Every page of the generated documentation shows an example, and every
// resource page says how to import.
func TestDocsPagesHaveExamples(t *testing.T) {
	docs := filepath.Join(docsRepoRoot, "docs")
	pages := 0
	err := filepath.WalkDir(docs, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		pages++
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(docsRepoRoot, path)
		if !strings.Contains(string(content), "```terraform") {
			t.Errorf("%s has no Terraform example: add one under examples/ and run `make docs`", rel)
		}
		if filepath.Base(filepath.Dir(path)) == "resources" {
			for _, want := range []string{"## Import", "terraform import "} {
				if !strings.Contains(string(content), want) {
					t.Errorf("%s lacks %q: add import.sh and import-by-string-id.tf and run `make docs`", rel, want)
				}
			}
			if !importBlockExample.Match(content) {
				t.Errorf("%s has no import block example: add import-by-string-id.tf and run `make docs`", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages == 0 {
		t.Fatal("docs/ holds no pages: run `make docs`")
	}
}

// exampleSeed is what the data source examples read: objects made in the
// Marketplace app, in the admin API's seed format, so that a user can
// load them into an emulator too (examples/emulator/README.md).
var exampleSeed = filepath.Join("examples", "emulator", "seed.json")

// exampleWebhookURL is the webhook the webhook data source example reads.
// The admin seed takes no webhooks, so the test makes it directly.
const exampleWebhookURL = "https://hooks.example.com/immuta/marketplace"

// exampleAppAdmin is the emulator's application admin (the sample data's
// app.admin), the only kind of user who may configure webhooks.
const exampleAppAdmin = "a311c349-f7e8-5233-b135-c40e36ac8a9b"

// appliedExample is one example configuration file and how to run it.
type appliedExample struct {
	dir, file string
	// readsExisting: the example reads objects made in the Marketplace
	// app, which the test seeds first.
	readsExisting bool
	// minTerraform is the oldest Terraform the example runs on.
	minTerraform string
	// expectError, when set, is an error the apply must fail with.
	expectError *regexp.Regexp
	// validateOnly: the example configures the provider for a real
	// tenant, so it is validated, not applied.
	validateOnly bool
}

// appliedExamples lists every example file the documentation shows for a
// resource or data source: each resource example (all but the import
// block, which needs an object made elsewhere and whose adoption
// TestAccImportGuide and TestAccAdoptWithGeneratedConfig run) and each
// data source example.
func appliedExamples(t *testing.T) []appliedExample {
	t.Helper()
	resources, dataSources := registeredTypes(t)
	var examples []appliedExample
	for _, r := range resources {
		dir := filepath.Join("examples", "resources", r)
		files, err := filepath.Glob(filepath.Join(docsRepoRoot, dir, "*.tf"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if filepath.Base(f) == "import-by-string-id.tf" {
				continue
			}
			ex := appliedExample{dir: dir, file: filepath.Base(f)}
			if r == "immuta_webhook" {
				// signing_key_wo is write-only, which needs Terraform 1.11.
				ex.minTerraform = "1.11.0"
			}
			examples = append(examples, ex)
		}
	}
	for _, d := range dataSources {
		ex := appliedExample{dir: filepath.Join("examples", "data-sources", d), file: "data-source.tf", readsExisting: true}
		if d == "immuta_domain_stewards" {
			// Deprecated: the published API has no stewards endpoint, and
			// the example says that reading it is then an error.
			ex.expectError = regexp.MustCompile(`Domain Stewards Endpoint Not Available`)
		}
		examples = append(examples, ex)
	}
	providerExamples, err := filepath.Glob(filepath.Join(docsRepoRoot, "examples", "provider", "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range providerExamples {
		examples = append(examples, appliedExample{dir: filepath.Join("examples", "provider"), file: filepath.Base(f), validateOnly: true})
	}
	return examples
}

// TestAccExamplesApply runs every resource and data source example as a
// user who copies it with its folder would: the example file alone (each
// is a configuration of its own), with the folder's other files (such as
// the agreement example's terms/), in an empty directory, against an
// emulator of its own serving the built-in sample data. It applies, checks
// that a second plan is empty, and destroys.
//
//   - The test adds only what a user's root module has beside it, in a
//     file of its own: the provider's source (required_providers) and a
//     provider block with the emulator's endpoint and token. (The provider
//     runs in the test's process, so the environment variables a user
//     would set cannot reach it.)
//   - Ids: an example that needs one gets it from a data source, or from a
//     variable whose name says what it is and whose default is that
//     object's id in the emulator's sample data (or in the example seed);
//     the test sets no variable but the webhook's signing key, which no
//     example should default.
//   - Data source examples read objects made in the Marketplace app: the
//     emulator gets examples/emulator/seed.json first, and the webhook the
//     webhook example reads.
//   - Data products are protected from deletion by default: before the
//     destroy, an override file sets deletion_protection = false and is
//     applied, as the resource's page tells a user to.
//   - Webhook examples run as an application admin, the only user who may
//     configure webhooks, and need Terraform 1.11 (write-only arguments).
//   - The provider's examples (examples/provider) are validated, not
//     applied: provider.tf and provider-two-regions.tf name real regions,
//     and provider-emulator.tf a fixed port. The guides' examples, and the
//     list resources', are run by `make guides-check`.
func TestAccExamplesApply(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make examples-check and make test do)")
	}
	testAccPreCheck(t)
	terraformVersion := terraformCLIVersion(t)
	for _, ex := range appliedExamples(t) {
		t.Run(filepath.ToSlash(filepath.Join(filepath.Base(ex.dir), ex.file)), func(t *testing.T) {
			t.Parallel()
			if ex.minTerraform != "" && versionLess(terraformVersion, ex.minTerraform) {
				t.Skipf("needs Terraform %s or later; this is %s", ex.minTerraform, terraformVersion)
			}
			runExample(t, ex)
		})
	}
}

// runExample applies one example, checks the plan after it is empty, and
// destroys what it made.
func runExample(t *testing.T, ex appliedExample) {
	t.Helper()
	opts := marketplacetest.Options{StrictContractRequests: true}
	if strings.Contains(ex.dir, "immuta_webhook") {
		opts.CallerGlobalUserID = exampleAppAdmin
	}
	srv := marketplacetest.NewTestServer(t, opts)
	if ex.readsExisting {
		seedExampleObjects(t, srv)
	}
	r := newCLIRunner(t, testAccProtoV6ProviderFactories["immuta"])
	r.env = append(r.env, "TF_VAR_catalog_signing_key=example-signing-key-0123456789")
	copyExample(t, ex, r.dir)
	if ex.validateOnly {
		validateExample(t, r, ex)
		return
	}
	if err := os.WriteFile(filepath.Join(r.dir, "terraform.tf"), []byte(requiredProviders+providerConfig(srv)), 0o600); err != nil {
		t.Fatal(err)
	}

	r.mustRun("init", "-input=false", "-no-color")
	if ex.expectError != nil {
		out, code := r.run("apply", "-auto-approve", "-input=false", "-no-color")
		if code == 0 || !ex.expectError.MatchString(out) {
			t.Fatalf("apply exited %d; want a failure matching %s:\n%s", code, ex.expectError, out)
		}
		return
	}
	// A warning would mean the example misleads: a review flow that has
	// no effect, a deprecated argument.
	if out := r.mustRun("apply", "-auto-approve", "-input=false", "-no-color"); strings.Contains(out, "Warning:") {
		t.Errorf("the apply warns:\n%s", out)
	}
	if out, code := r.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the plan after apply is not empty (exit %d):\n%s", code, out)
	}
	if products := dataProductBlocks(t, filepath.Join(r.dir, ex.file)); len(products) > 0 {
		var override strings.Builder
		for _, name := range products {
			override.WriteString("resource \"immuta_data_product\" \"" + name + "\" {\n  deletion_protection = false\n}\n")
		}
		if err := os.WriteFile(filepath.Join(r.dir, "test_override.tf"), []byte(override.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		r.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	}
	r.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	// RequestForms holds the built-in Standard Request Form too.
	if n := len(srv.DataUseAgreements()) + len(srv.RequestForms()) - 1 + len(srv.DataProducts()) + len(srv.Webhooks()); n != seededObjects(ex) {
		t.Errorf("%d objects are left after destroy; want %d (the seeded ones)", n, seededObjects(ex))
	}
}

// validateExample runs terraform validate on an example that configures
// the provider itself, adding the provider's source where it lacks one.
func validateExample(t *testing.T, r *cliRunner, ex appliedExample) {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(r.dir, ex.file))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(content), "required_providers") {
		if err := os.WriteFile(filepath.Join(r.dir, "terraform.tf"), []byte(requiredProviders), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r.mustRun("init", "-input=false", "-no-color")
	r.mustRun("validate", "-no-color")
}

// seededObjects is how many objects the emulator holds before the example
// runs.
func seededObjects(ex appliedExample) int {
	if ex.readsExisting {
		return 4 // seed.json's agreement, form and product, and the webhook
	}
	return 0
}

// seedExampleObjects loads the objects the data source examples read.
func seedExampleObjects(t *testing.T, srv *marketplacetest.TestServer) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(docsRepoRoot, exampleSeed))
	if err != nil {
		t.Fatal(err)
	}
	var objs marketplacetest.MarketplaceObjects
	if err := json.Unmarshal(raw, &objs); err != nil {
		t.Fatalf("%s: %v", exampleSeed, err)
	}
	if _, err := srv.SeedObjects(objs); err != nil {
		t.Fatalf("%s: %v", exampleSeed, err)
	}
	if _, err := srv.SeedWebhook(marketplacetest.Webhook{URL: exampleWebhookURL, VerifyTLS: true, SigningKey: "seeded"}); err != nil {
		t.Fatal(err)
	}
}

// copyExample copies the example file and every other file of its folder
// but the other examples (*.tf) and the import commands (import.sh).
func copyExample(t *testing.T, ex appliedExample, to string) {
	t.Helper()
	from := filepath.Join(docsRepoRoot, ex.dir)
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o750)
		}
		if rel != ex.file && (filepath.Dir(rel) == "." && (filepath.Ext(rel) == ".tf" || rel == "import.sh")) {
			return nil
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), content, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

var dataProductBlock = regexp.MustCompile(`(?m)^resource\s+"immuta_data_product"\s+"([^"]+)"`)

// dataProductBlocks returns the names of a file's immuta_data_product
// resources.
func dataProductBlocks(t *testing.T, path string) []string {
	t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range dataProductBlock.FindAllSubmatch(content, -1) {
		names = append(names, string(m[1]))
	}
	return names
}

// terraformCLIVersion is the version of the Terraform the tests run.
func terraformCLIVersion(t *testing.T) string {
	t.Helper()
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no terraform CLI on PATH or in TF_ACC_TERRAFORM_PATH")
		}
	}
	out, err := exec.CommandContext(context.Background(), terraform, "version", "-json").Output()
	if err != nil {
		t.Fatalf("terraform version: %v", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("terraform version -json: %v", err)
	}
	return v.Version
}

// versionLess reports whether version a is older than b (both x.y.z).
func versionLess(a, b string) bool {
	pa, pb := strings.SplitN(a, ".", 3), strings.SplitN(b, ".", 3)
	for i := range 3 {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(strings.SplitN(pa[i], "-", 2)[0])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(strings.SplitN(pb[i], "-", 2)[0])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// minimumVersionClaims are the ways the documentation states the oldest
// Terraform the provider supports (not the newer ones single features
// need, which say what needs them).
var minimumVersionClaims = []*regexp.Regexp{
	regexp.MustCompile(`(?i)provider needs Terraform (\d+\.\d+)`),
	regexp.MustCompile(`(?i)you need [^.]*?Terraform (\d+\.\d+) or later`),
	regexp.MustCompile(`(?i)minimum of (\d+\.\d+)`),
	regexp.MustCompile(`(?i)(\d+\.\d+) is the minimum`),
	regexp.MustCompile(`required_version\s*=\s*">=\s*(\d+\.\d+)"`),
}

// featureVersions are the configurations that need a newer Terraform
// than the minimum for a feature they use, and the version they state.
var featureVersions = map[string]string{
	// terraform test (1.6).
	filepath.Join("examples", "guides", "testing-with-the-emulator", "main.tf"): "1.6",
}

// The README, the guides, the provider page and the examples state one
// minimum Terraform version: the one the Makefile installs when there is
// none, and the oldest the GitHub workflow tests with.
func TestDocsOneMinimumTerraformVersion(t *testing.T) {
	makefile, err := os.ReadFile(filepath.Join(docsRepoRoot, "GNUmakefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^TF_VERSION\s*:=\s*(\d+\.\d+)\.\d+`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("GNUmakefile sets no TF_VERSION x.y.z")
	}
	minimum := string(m[1])
	workflow, err := os.ReadFile(filepath.Join(docsRepoRoot, ".github", "workflows", "test.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if matrix := regexp.MustCompile(`terraform:\s*\["~(\d+\.\d+)\.0"`).FindSubmatch(workflow); matrix == nil || string(matrix[1]) != minimum {
		t.Errorf(".github/workflows/test.yml: the Terraform matrix must start with \"~%s.0\", the minimum (GNUmakefile's TF_VERSION)", minimum)
	}

	claims := 0
	for _, root := range []string{"README.md", "templates", "examples"} {
		err := filepath.WalkDir(filepath.Join(docsRepoRoot, root), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch filepath.Ext(path) {
			case ".md", ".tmpl", ".tf", ".hcl":
			default:
				return nil
			}
			content, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(docsRepoRoot, path)
			want, ok := featureVersions[rel]
			if !ok {
				want = minimum
			}
			// Line breaks inside a sentence do not hide a claim.
			text := strings.Join(strings.Fields(string(content)), " ")
			for _, claim := range minimumVersionClaims {
				for _, c := range claim.FindAllStringSubmatch(text, -1) {
					claims++
					if c[1] != want {
						t.Errorf("%s: %q states Terraform %s; the minimum is %s (GNUmakefile's TF_VERSION)", rel, c[0], c[1], want)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if claims == 0 {
		t.Fatal("no statement of the minimum Terraform version found; update minimumVersionClaims")
	}
}

// The data product page shows every example file of its folder: its
// template names each, so that a new one is not left out.
func TestDataProductPageShowsEveryExample(t *testing.T) {
	template, err := os.ReadFile(filepath.Join(docsRepoRoot, "templates", "resources", "data_product.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(docsRepoRoot, "examples", "resources", "immuta_data_product", "resource*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(docsRepoRoot, f)
		if !strings.Contains(string(template), `{{ tffile "`+filepath.ToSlash(rel)+`" }}`) {
			t.Errorf("templates/resources/data_product.md.tmpl does not show %s: add a {{ tffile }} for it", rel)
		}
	}
}
