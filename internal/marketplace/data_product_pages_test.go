package marketplace

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

func TestListDataProductsPage(t *testing.T) {
	c, srv := newEmulatorClient(t)
	srv.SetMaxPageSize(3)
	form := testRequestForm(t, srv)
	for i := range 7 {
		if _, err := srv.SeedDataProduct(marketplacetest.DataProduct{Name: fmt.Sprintf("P%d", i), Domains: []string{testSalesDomain}, DataAccessRequestFormID: form}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	token, pages := "", 0
	for {
		page, err := c.ListDataProductsPage(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, p := range page.Products {
			names = append(names, p.Name)
		}
		if page.NextToken == "" || pages > 10 {
			break
		}
		token = page.NextToken
	}
	if want := []string{"P0", "P1", "P2", "P3", "P4", "P5", "P6"}; !slices.Equal(names, want) || pages != 3 {
		t.Errorf("%d pages listed %v, want 3 pages of %v", pages, names, want)
	}
}

func TestListRequestFormDataProducts(t *testing.T) {
	c, srv := newEmulatorClient(t)
	form := testRequestForm(t, srv)
	p, err := srv.SeedDataProduct(marketplacetest.DataProduct{Name: "Linked", Domains: []string{testSalesDomain}, DataAccessRequestFormID: form})
	if err != nil {
		t.Fatal(err)
	}
	linked, err := c.ListRequestFormDataProducts(context.Background(), form)
	if err != nil {
		t.Fatal(err)
	}
	if len(linked) != 1 || linked[0].ID != p.ID || !slices.Equal(linked[0].RequestTypes, []string{RequestTypeDataAccess}) {
		t.Errorf("linked %+v, want %s for %s", linked, p.ID, RequestTypeDataAccess)
	}
}
