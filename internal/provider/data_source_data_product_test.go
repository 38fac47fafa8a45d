package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestAccDataProductDataSource(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	agreement, err := srv.SeedDataUseAgreement("Analytics terms", "Analytics only.")
	if err != nil {
		t.Fatal(err)
	}
	form, err := srv.SeedRequestForm(marketplacetest.RequestForm{
		Name:   "Sales form",
		Fields: []marketplacetest.FormField{{Type: marketplacetest.FieldShortAnswer, Label: "Why?", Required: true}},
		Policy: marketplacetest.Policy{Version: "1", DefaultEvent: marketplacetest.PolicyEvent{
			Type: marketplacetest.EventApprove, Params: &marketplacetest.EventParams{Comment: "ok"},
		}},
		DataUseAgreementIDs: []string{agreement.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	description := "Published in the app"
	product, err := srv.SeedDataProduct(marketplacetest.DataProduct{
		Name: "Sales / North America", Description: &description, Domains: []string{nasDomainID},
		DataSourceIDs: []int{104, 101}, DataAccessRequestFormID: form.ID, SubjectMatterExpert: stewardSalesID, Suspended: true,
		MaskingExceptionReviewFlow: json.RawMessage(`{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"Unmask freely."}}}`),
		Requests:                   marketplacetest.AccessRequestCounts{Pending: 1, Approved: 2, Revoked: 3, Canceled: 4, Denied: 5},
	})
	if err != nil {
		t.Fatal(err)
	}
	checks := func(addr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(product.ID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact("Sales / North America")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("description"), knownvalue.StringExact(description)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("domain_ids"), stringSet(nasDomainID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("data_source_ids"), stringSet("101", "104")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("data_access_request_form_id"), knownvalue.StringExact(form.ID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("subject_matter_expert_id"), knownvalue.StringExact(stewardSalesID)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("suspended"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("NONE")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_types"), stringSet("Databricks", "Snowflake")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("masking_exception_request_form_id"), knownvalue.StringExact(marketplacetest.StandardRequestFormID)),
			// The data source shows the service's flows, the default included.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("data_access_review_flow").AtMapKey("review").AtMapKey("stages"), knownvalue.ListSizeExact(1)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("data_access_review_flow_json"), jsonEquivalent(marketplacetest.DefaultProductReviewFlow)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("masking_exception_review_flow").AtMapKey("auto_approve").AtMapKey("reason"), knownvalue.StringExact("Unmask freely.")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("masking_exception_review_flow_json"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("stats"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"data_source_count":      knownvalue.Int64Exact(2),
				"pending_request_count":  knownvalue.Int64Exact(1),
				"approved_request_count": knownvalue.Int64Exact(2),
				"revoked_request_count":  knownvalue.Int64Exact(3),
				"canceled_request_count": knownvalue.Int64Exact(4),
				"denied_request_count":   knownvalue.Int64Exact(5),
				"total_request_count":    knownvalue.Int64Exact(15),
			})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("data_use_agreements"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact(agreement.ID), "name": knownvalue.StringExact("Analytics terms"),
				}),
			})),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv) + `
data "immuta_data_product" "x" {
  name = "sales / north america"
}
`,
				ExpectError: errorPattern(`No data product is named exactly "sales / north america"`),
			},
			{
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_data_product" "x" {
  id = %q
}
`, unknownUUID),
				ExpectError: errorPattern("Data Product Not Found", "No data product has the id "+unknownUUID),
			},
			{
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_data_product" "x" {
  id   = %q
  name = "Sales / North America"
}
`, product.ID),
				PlanOnly:    true,
				ExpectError: errorPattern("Invalid Attribute Combination"),
			},
			{
				Config: providerConfig(srv) + fmt.Sprintf(`
data "immuta_data_product" "by_id" {
  id = %q
}

data "immuta_data_product" "by_name" {
  name = "Sales / North America"
}
`, product.ID),
				ConfigStateChecks: append(checks("data.immuta_data_product.by_id"), checks("data.immuta_data_product.by_name")...),
			},
		},
	})
}

// jsonEquivalent checks a JSON string attribute by meaning.
func jsonEquivalent(want string) knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		if !policiesEquivalent([]byte(got), []byte(want), false) {
			return fmt.Errorf("got %s, want the equivalent of %s", got, want)
		}
		return nil
	})
}

// The data source's documentation example runs as it is and finds what
// it says.
func TestAccDataProductDataSourceExample(t *testing.T) {
	srv := requireEmulator(t, "seeds objects")
	form := seedRequestForm(t, srv, false)
	if _, err := srv.SeedDataProduct(marketplacetest.DataProduct{
		Name: "North American Sales", Domains: []string{nasDomainID}, DataSourceIDs: []int{101, 102}, DataAccessRequestFormID: form,
	}); err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile(filepath.Join("..", "..", "examples", "data-sources", "immuta_data_product", "data-source.tf"))
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerConfig(srv) + string(config),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("sales_data_source_ids", stringSet("101", "102")),
				statecheck.ExpectKnownOutputValue("sales_pending_requests", knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownOutputValue("sales_request_forms", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"data_access": knownvalue.StringExact(form), "masking_exception": knownvalue.StringExact(marketplacetest.StandardRequestFormID),
				})),
				statecheck.ExpectKnownOutputValue("sales_masking_exception_review_flow", knownvalue.MapPartial(map[string]knownvalue.Check{
					"rules": knownvalue.ListSizeExact(0),
				})),
			},
		}},
	})
}
