package provider

import (
	"context"
	"errors"
	"testing"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

func TestProductCheckCacheMembership(t *testing.T) {
	c := productChecksFor(&marketplace.Client{})
	const domain = "1aebd69e-0ac6-51d7-94e0-6580689d4380"
	if _, ask := c.membership(domain, []int64{1, 2}); len(ask) != 2 {
		t.Fatalf("a fresh cache knows %v", ask)
	}
	if c.domainExists(domain) {
		t.Fatal("a fresh cache knows the domain")
	}
	c.addMembership(domain, []int64{1, 2}, map[int64]bool{1: true})
	found, ask := c.membership(domain, []int64{1, 2, 3})
	if len(ask) != 1 || ask[0] != 3 {
		t.Errorf("still to ask: %v, want [3]", ask)
	}
	if !found[1] || found[2] || len(found) != 2 {
		t.Errorf("found %v, want 1 in the domain and 2 not", found)
	}
	if !c.domainExists(domain) {
		t.Error("a lookup's answer does not show that the domain exists")
	}
	if _, ask := c.membership("52137b16-6081-5f38-ad3a-8a0e6f2132ba", []int64{1}); len(ask) != 1 {
		t.Error("membership of one domain answers for another")
	}
}

func TestProductCheckCacheForms(t *testing.T) {
	c := productChecksFor(&marketplace.Client{})
	calls := 0
	get := c.getRequestForm(func(_ context.Context, id string) (*marketplace.RequestForm, error) {
		calls++
		if id == "missing" {
			return nil, marketplace.ErrNotFound
		}
		return &marketplace.RequestForm{ID: id, Name: "Form"}, nil
	})
	for range 3 {
		if _, err := get(context.Background(), "f1"); err != nil {
			t.Fatal(err)
		}
		if _, err := get(context.Background(), "missing"); !errors.Is(err, marketplace.ErrNotFound) {
			t.Fatalf("missing form: %v", err)
		}
	}
	if calls != 4 {
		t.Errorf("%d reads, want 4: one of the found form, every one of the missing one", calls)
	}
	c.forgetForm("f1")
	if _, err := get(context.Background(), "f1"); err != nil || calls != 5 {
		t.Errorf("a forgotten form is not read again (%d reads, %v)", calls, err)
	}
}
