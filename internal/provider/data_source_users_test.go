package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccUsersDataSource(t *testing.T) {
	srv := requireEmulator(t, "sets the page size, reads the request log, reads the emulator's fixture")
	srv.SetMaxPageSize(2) // the page size of paged lists; users are not paged
	all := len(srv.Fixture().Users)
	user := func(id, username, name string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"global_user_id": knownvalue.StringExact(id), "username": knownvalue.StringExact(username), "name": knownvalue.StringExact(name),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config: providerConfig(srv) + `
data "immuta_users" "all" {}

# Display names need not be unique.
data "immuta_users" "jordan_lee" {
  name = "Jordan Lee"
}

data "immuta_users" "eu_addresses" {
  search_text = "@EXAMPLE.EU"
}

data "immuta_users" "ldap" {
  iam_id = "ldap"
}

data "immuta_users" "nobody" {
  name = "Nobody Here"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.immuta_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(all)),
				statecheck.ExpectKnownValue("data.immuta_users.all", tfjsonpath.New("global_user_ids"), knownvalue.SetSizeExact(all)),
				statecheck.ExpectKnownValue("data.immuta_users.jordan_lee", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"global_user_id": knownvalue.StringExact(jordanLeeBimID),
						"user_id":        knownvalue.Int64Exact(13),
						"iam_id":         knownvalue.StringExact("bim"),
						"username":       knownvalue.StringExact("jlee"),
						"name":           knownvalue.StringExact("Jordan Lee"),
						"email":          knownvalue.StringExact("jordan.lee@example.com"),
					}),
					user(jordanLeeOktaID, "jordan.lee@example.com", "Jordan Lee"),
				})),
				statecheck.ExpectKnownValue("data.immuta_users.eu_addresses", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					user("bc028e9f-96f1-5a0a-932e-969cde7a3198", "hannah.schulz@example.com", "Hannah Schulz"),
					user("c84a8695-f362-57eb-8e2f-f1db0dd35f62", "steward.eu", "Lukas Schmidt"),
					user("8a428d56-1174-5374-b69e-9b64e33b03f9", "sofia.rossi@example.com", "Sofia Rossi"),
				})),
				statecheck.ExpectKnownValue("data.immuta_users.ldap", tfjsonpath.New("global_user_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(jamieLeeID)})),
				statecheck.ExpectKnownValue("data.immuta_users.nobody", tfjsonpath.New("users"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.immuta_users.nobody", tfjsonpath.New("global_user_ids"), knownvalue.SetSizeExact(0)),
			},
			Check: func(*terraform.State) error {
				// One request per data source and read: the list is not
				// paged, and every request asks for the large limit with
				// the contract's parameters.
				for _, r := range metadataRequests(srv, "/api/metadata/users") {
					q, _ := url.ParseQuery(r.Query)
					if q.Get("limit") != "10000" || q.Has("offset") || q.Has("searchText") {
						return fmt.Errorf("user request with query %q", r.Query)
					}
				}
				return nil
			},
		}},
	})
}

// A list of exactly the limit may be cut short, and there are no pages to
// read on: the data sources warn, and still list what they got. One item
// fewer is complete, without a warning.
func TestUsersAndGroupsDataSources_truncationWarning(t *testing.T) {
	for _, n := range []int{marketplace.MetadataListLimit, marketplace.MetadataListLimit - 1} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			items := make([]string, n)
			for i := range items {
				items[i] = fmt.Sprintf(`{"id":%d,"iamId":"bim","globalUserId":"%s","username":"u%d","name":"U %d","email":null}`,
					i+1, uuid.NewSHA1(uuid.NameSpaceOID, []byte(strconv.Itoa(i))), i, i)
			}
			field := "users"
			if strings.HasSuffix(r.URL.Path, "/groups") {
				field = "groups"
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{%q:[%s]}`, field, strings.Join(items, ","))
		}))
		t.Cleanup(srv.Close)
		client, err := marketplace.New(marketplace.Config{BaseURL: srv.URL + marketplacetest.BasePath, Token: "t"})
		if err != nil {
			t.Fatal(err)
		}
		for kind, ds := range map[string]datasource.DataSource{
			"users":  &usersDataSource{client: client},
			"groups": &groupsDataSource{client: client},
		} {
			diags := readDataSourceWithNullConfig(t, ds)
			if diags.HasError() {
				t.Fatalf("%s: %v", kind, diags)
			}
			warnings := diags.Warnings()
			if n < marketplace.MetadataListLimit {
				if len(warnings) != 0 {
					t.Errorf("%d %s: unexpected warnings %v", n, kind, warnings)
				}
				continue
			}
			if len(warnings) != 1 || warnings[0].Summary() != "The List of "+titleCase(kind)+" May Be Incomplete" ||
				!strings.Contains(warnings[0].Detail(), "10000 "+kind) || !strings.Contains(warnings[0].Detail(), "not paged") {
				t.Errorf("%s: warnings %v", kind, warnings)
			}
		}
	}
}

// readDataSourceWithNullConfig reads a data source whose arguments are all
// unset, and returns the diagnostics.
func readDataSourceWithNullConfig(t *testing.T, ds datasource.DataSource) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	var sresp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	objType, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	attrs := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		attrs[name] = tftypes.NewValue(typ, nil)
	}
	raw := tftypes.NewValue(objType, attrs)
	req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: raw}}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: raw}}
	ds.Read(ctx, req, &resp)
	return resp.Diagnostics
}
