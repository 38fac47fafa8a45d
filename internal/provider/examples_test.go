package provider

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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
