package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// bulkProducts is how many products the bulk refresh tests manage: enough
// for the product list and the form lists to be fetched.
const bulkProducts = 40

func bulkProductsConfig(srv *marketplacetest.TestServer, formA, formB string) string {
	return providerConfig(srv) + fmt.Sprintf(`
resource "immuta_data_product" "p" {
  count                       = %d
  name                        = "Bulk ${count.index}"
  domain_ids                  = [%q]
  data_source_ids             = ["102"]
  data_access_request_form_id = count.index %% 2 == 0 ? %q : %q
  deletion_protection         = false
}
`, bulkProducts, nasDomainID, formA, formB)
}

// A refresh of many products takes them, and confirms their forms, from
// lists rather than one request each, and still sees every drift: a
// changed description, a changed form and a deleted product.
func TestAccDataProduct_bulkRefresh(t *testing.T) {
	srv := requireEmulator(t, "reads the request log, edits objects out of band")
	formA, formB := seedRequestForm(t, srv, false), seedRequestForm(t, srv, false)
	cfg := bulkProductsConfig(srv, formA, formB)
	drifted := map[int]bool{}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkProductsDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// Refreshes only: an unchanged configuration.
				PreConfig: srv.ResetRequests,
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkBulkReads(t, srv),
			},
			{
				// Half the products drift outside Terraform; one is deleted.
				PreConfig: func() {
					for _, p := range srv.DataProducts() {
						var i int
						if _, err := fmt.Sscanf(p.Name, "Bulk %d", &i); err != nil || i < bulkProducts/2 {
							continue
						}
						drifted[i] = true
						if i == bulkProducts-1 {
							if err := srv.DeleteDataProduct(p.ID); err != nil {
								t.Fatal(err)
							}
							continue
						}
						if err := srv.UpdateDataProduct(p.ID, func(p *marketplacetest.DataProduct) {
							changed := "Changed in the Marketplace app"
							p.Description = &changed
							if i%4 == 0 {
								p.DataAccessRequestFormID = formB
							}
						}); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: bulkDriftPlanChecks(),
				},
				Check: func(*terraform.State) error {
					if len(drifted) != bulkProducts/2 {
						return fmt.Errorf("%d products drifted, want %d", len(drifted), bulkProducts/2)
					}
					for _, p := range srv.DataProducts() {
						if p.Description != nil {
							return fmt.Errorf("%s still has the description %q after the apply", p.Name, *p.Description)
						}
						var i int
						if _, err := fmt.Sscanf(p.Name, "Bulk %d", &i); err == nil && i%2 == 0 && p.DataAccessRequestFormID != formA {
							return fmt.Errorf("%s uses form %s after the apply, want %s", p.Name, p.DataAccessRequestFormID, formA)
						}
					}
					return nil
				},
			},
		},
	})
}

// bulkDriftPlanChecks expects the drifted products updated, the deleted
// one created again and the others left alone.
func bulkDriftPlanChecks() []plancheck.PlanCheck {
	var checks []plancheck.PlanCheck
	for i := range bulkProducts {
		addr := fmt.Sprintf("immuta_data_product.p[%d]", i)
		switch {
		case i == bulkProducts-1:
			checks = append(checks, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate))
		case i >= bulkProducts/2:
			checks = append(checks, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate))
		default:
			checks = append(checks, plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop))
		}
	}
	return checks
}

// checkBulkReads checks that, of the refreshes since the requests were
// reset, at most half asked for their product and at most half for their
// forms one by one, and that the lists were used.
func checkBulkReads(t *testing.T, srv *marketplacetest.TestServer) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var refreshes, productGets, formGets, listPages, formLists int
		for _, r := range srv.Requests() {
			if r.Method != "GET" {
				continue
			}
			path := strings.TrimPrefix(r.Path, marketplacetest.BasePath)
			switch {
			case path == "/api/data-product":
				listPages++
			case strings.HasPrefix(path, "/api/data-product/") && strings.HasSuffix(path, "/datasources/all"):
				refreshes++
			case strings.HasPrefix(path, "/api/data-product/") && strings.HasSuffix(path, "/request-forms"):
				formGets++
			case strings.HasPrefix(path, "/api/data-product/") && strings.Count(path, "/") == 3:
				productGets++
			case strings.HasPrefix(path, "/api/request-form/") && strings.HasSuffix(path, "/data-products"):
				formLists++
			}
		}
		t.Logf("%d refreshes: %d product GETs, %d form GETs, %d product list pages, %d form lists",
			refreshes, productGets, formGets, listPages, formLists)
		if refreshes < bulkProducts {
			return fmt.Errorf("%d product refreshes, want at least %d", refreshes, bulkProducts)
		}
		if listPages == 0 || formLists == 0 {
			return fmt.Errorf("%d product list pages and %d form lists were read, want both above 0", listPages, formLists)
		}
		if 2*productGets > refreshes || 2*formGets > refreshes {
			return fmt.Errorf("of %d refreshes, %d read their product and %d their forms one by one, want at most half each",
				refreshes, productGets, formGets)
		}
		return nil
	}
}
