package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// The sweepers delete what acceptance tests left at
// IMMUTA_MARKETPLACE_ENDPOINT (after a failed or interrupted run): every
// object whose name starts with testNamePrefix, and every webhook whose
// URL path holds it. Run them with
//
//	go test ./internal/provider -sweep=any
//
// The region argument is not used: the endpoint says where. Products go
// first (they use forms), then forms (they use agreements).
func init() {
	resource.AddTestSweepers("immuta_data_product", &resource.Sweeper{Name: "immuta_data_product", F: sweepWith(sweepDataProducts)})
	resource.AddTestSweepers("immuta_request_form", &resource.Sweeper{
		Name: "immuta_request_form", F: sweepWith(sweepRequestForms), Dependencies: []string{"immuta_data_product"},
	})
	resource.AddTestSweepers("immuta_data_use_agreement", &resource.Sweeper{
		Name: "immuta_data_use_agreement", F: sweepWith(sweepDataUseAgreements), Dependencies: []string{"immuta_request_form"},
	})
	resource.AddTestSweepers("immuta_webhook", &resource.Sweeper{Name: "immuta_webhook", F: sweepWith(sweepWebhooks)})
}

// sweepWith gives a sweep a client for the environment's endpoint.
func sweepWith(sweep func(context.Context, *marketplace.Client) error) resource.SweeperFunc {
	return func(string) error {
		endpoint, token := os.Getenv(EnvEndpoint), os.Getenv(EnvToken)
		if endpoint == "" || token == "" {
			return fmt.Errorf("sweeping needs %s and %s", EnvEndpoint, EnvToken)
		}
		c, err := newSweepClient(endpoint, token)
		if err != nil {
			return err
		}
		return sweep(context.Background(), c)
	}
}

// isTestName reports whether a test made the object of this name.
func isTestName(name string) bool { return strings.HasPrefix(name, testNamePrefix) }

// isTestWebhook reports whether a test made the webhook of this URL: its
// path holds a test name.
func isTestWebhook(url string) bool { return strings.Contains(url, "/"+testNamePrefix) }

// sweepEach deletes each listed object a test made, and reports every
// failure; an object already gone counts as deleted.
func sweepEach(kind string, ids, names []string, del func(string) error) error {
	var errs []error
	for i, id := range ids {
		if err := del(id); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("deleting %s %q (%s): %w", kind, names[i], id, err))
			continue
		}
		fmt.Printf("swept %s %q (%s)\n", kind, names[i], id)
	}
	return errors.Join(errs...)
}

func sweepDataProducts(ctx context.Context, c *marketplace.Client) error {
	all, err := c.ListDataProducts(ctx, marketplace.ListDataProductsOptions{NameFilter: testNamePrefix})
	if err != nil {
		return err
	}
	var ids, names []string
	for _, p := range all {
		if isTestName(p.Name) {
			ids, names = append(ids, p.ID), append(names, p.Name)
		}
	}
	return sweepEach("data product", ids, names, func(id string) error { return c.DeleteDataProduct(ctx, id) })
}

func sweepRequestForms(ctx context.Context, c *marketplace.Client) error {
	all, err := c.ListRequestForms(ctx, marketplace.ListRequestFormsOptions{Name: testNamePrefix})
	if err != nil {
		return err
	}
	var ids, names []string
	for _, f := range all {
		if isTestName(f.Name) {
			ids, names = append(ids, f.ID), append(names, f.Name)
		}
	}
	return sweepEach("request form", ids, names, func(id string) error { return c.DeleteRequestForm(ctx, id) })
}

func sweepDataUseAgreements(ctx context.Context, c *marketplace.Client) error {
	all, err := c.ListDataUseAgreements(ctx, marketplace.ListDataUseAgreementsOptions{NameFilter: testNamePrefix})
	if err != nil {
		return err
	}
	var ids, names []string
	for _, a := range all {
		if isTestName(a.Name) {
			ids, names = append(ids, a.ID), append(names, a.Name)
		}
	}
	return sweepEach("data use agreement", ids, names, func(id string) error { return c.DeleteDataUseAgreement(ctx, id) })
}

func sweepWebhooks(ctx context.Context, c *marketplace.Client) error {
	all, err := c.ListWebhooks(ctx)
	if apiErr := (*marketplace.APIError)(nil); errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden {
		// Only an application admin may list webhooks, and only one can
		// have made them.
		fmt.Printf("webhooks not swept: %v\n", err)
		return nil
	}
	if err != nil {
		return err
	}
	var ids, urls []string
	for _, h := range all {
		if isTestWebhook(h.URL) {
			ids, urls = append(ids, h.ID), append(urls, h.URL)
		}
	}
	return sweepEach("webhook", ids, urls, func(id string) error { return c.DeleteWebhook(ctx, id) })
}

// leftovers lists what the sweepers would delete, for the check after a
// sweep.
func leftovers(ctx context.Context, c *marketplace.Client, webhooks bool) ([]string, error) {
	var out []string
	products, err := c.ListDataProducts(ctx, marketplace.ListDataProductsOptions{NameFilter: testNamePrefix})
	if err != nil {
		return nil, err
	}
	for _, p := range products {
		if isTestName(p.Name) {
			out = append(out, "data product "+p.Name)
		}
	}
	forms, err := c.ListRequestForms(ctx, marketplace.ListRequestFormsOptions{Name: testNamePrefix})
	if err != nil {
		return nil, err
	}
	for _, f := range forms {
		if isTestName(f.Name) {
			out = append(out, "request form "+f.Name)
		}
	}
	agreements, err := c.ListDataUseAgreements(ctx, marketplace.ListDataUseAgreementsOptions{NameFilter: testNamePrefix})
	if err != nil {
		return nil, err
	}
	for _, a := range agreements {
		if isTestName(a.Name) {
			out = append(out, "data use agreement "+a.Name)
		}
	}
	if webhooks {
		hooks, err := c.ListWebhooks(ctx)
		if err != nil {
			return nil, err
		}
		for _, h := range hooks {
			if isTestWebhook(h.URL) {
				out = append(out, "webhook "+h.URL)
			}
		}
	}
	return out, nil
}

// sweepTargetClient is a client for the external mode's endpoint; the
// sweeper tests skip without one.
func sweepTargetClient(t *testing.T) *marketplace.Client {
	t.Helper()
	if !externalMode() {
		t.Skipf("runs against the endpoint that -sweep cleans: set %s=1", envAccExternal)
	}
	return testClient(t, os.Getenv(EnvEndpoint), os.Getenv(EnvToken))
}

// TestSweepLeftover_plant leaves one object of each kind with the test
// prefix behind, as a failed run would, for `-sweep` to remove (see
// TestSweepLeftover_none). It runs only when asked for by name.
func TestSweepLeftover_plant(t *testing.T) {
	if os.Getenv("IMMUTA_MARKETPLACE_ACC_PLANT_LEFTOVERS") != "1" {
		t.Skip("plants objects for the sweepers to remove: set IMMUTA_MARKETPLACE_ACC_PLANT_LEFTOVERS=1")
	}
	c := sweepTargetClient(t)
	ctx := context.Background()
	facts, err := externalFacts()
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateDataUseAgreement(ctx, marketplace.DataUseAgreementInput{Name: randomName("leftover"), Body: "Left by a failed run."})
	if err != nil {
		t.Fatal(err)
	}
	target := &accTarget{api: c}
	form := target.seedRequestFormKept(t, []string{a.ID})
	p, err := c.CreateDataProduct(ctx, marketplace.DataProductInput{
		Name: randomName("leftover"), Domains: []string{facts.DomainID}, DataAccessRequestFormID: form,
	})
	if err != nil {
		t.Fatal(err)
	}
	planted := []string{"data use agreement " + a.Name, "request form (id " + form + ")", "data product " + p.Name}
	if os.Getenv(envAccAppAdmin) == "1" {
		h, err := c.CreateWebhook(ctx, marketplace.WebhookInput{URL: "https://hooks.example.com/" + randomName("leftover")})
		if err != nil {
			t.Fatal(err)
		}
		planted = append(planted, "webhook "+h.URL)
	}
	t.Logf("planted: %s", strings.Join(planted, "; "))
}

// TestSweepLeftover_none fails when anything with the test prefix is
// left: run after `-sweep`, it shows the sweepers removed it all.
func TestSweepLeftover_none(t *testing.T) {
	if os.Getenv("IMMUTA_MARKETPLACE_ACC_CHECK_SWEPT") != "1" {
		t.Skip("checks a sweep left nothing: set IMMUTA_MARKETPLACE_ACC_CHECK_SWEPT=1")
	}
	c := sweepTargetClient(t)
	left, err := leftovers(context.Background(), c, os.Getenv(envAccAppAdmin) == "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("the sweep left %d objects with the prefix %q:\n%s", len(left), testNamePrefix, strings.Join(left, "\n"))
	}
}
