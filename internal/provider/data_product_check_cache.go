package provider

import (
	"context"
	"sync"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// productCheckCache remembers, for one configured client (one provider
// process), what the data product's plan-time checks learned: which data
// sources are in which domain, which domains exist, and the request forms
// read. A plan of many products that share domains, data sources and
// forms then asks the service once, not once per product. Only what the
// service confirmed is kept: an unknown domain or form, or a failed
// lookup, is asked again, since it may appear (an object created a moment
// ago in the same apply).
type productCheckCache struct {
	mu       sync.Mutex
	domains  map[string]bool
	inDomain map[string]map[int64]bool // domain → data source → in it
	forms    map[string]*marketplace.RequestForm
}

var productChecks sync.Map // *marketplace.Client → *productCheckCache

func productChecksFor(c *marketplace.Client) *productCheckCache {
	if v, ok := productChecks.Load(c); ok {
		return v.(*productCheckCache) //nolint:forcetypeassert // only this file stores
	}
	v, _ := productChecks.LoadOrStore(c, &productCheckCache{
		domains:  map[string]bool{},
		inDomain: map[string]map[int64]bool{},
		forms:    map[string]*marketplace.RequestForm{},
	})
	return v.(*productCheckCache) //nolint:forcetypeassert // only this file stores
}

// domainExists reports whether a lookup already found the domain.
func (c *productCheckCache) domainExists(domain string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.domains[domain]
}

func (c *productCheckCache) addDomain(domain string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.domains[domain] = true
}

// membership splits ids into those whose membership of domain is known
// (found, in domain or not) and those still to ask about.
func (c *productCheckCache) membership(domain string, ids []int64) (found map[int64]bool, unknown []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	known := c.inDomain[domain]
	found = map[int64]bool{}
	for _, id := range ids {
		in, ok := known[id]
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		found[id] = in
	}
	return found, unknown
}

// addMembership records the answer of a lookup of asked in domain: the
// ids it returned are in the domain, the others are not.
func (c *productCheckCache) addMembership(domain string, asked []int64, in map[int64]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.domains[domain] = true
	known := c.inDomain[domain]
	if known == nil {
		known = map[int64]bool{}
		c.inDomain[domain] = known
	}
	for _, id := range asked {
		known[id] = in[id]
	}
}

// form returns the form read earlier, or nil.
func (c *productCheckCache) form(id string) *marketplace.RequestForm {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.forms[id]
}

func (c *productCheckCache) addForm(id string, form *marketplace.RequestForm) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forms[id] = form
}

// forgetForm drops a form this process changed or deleted, so that a
// later check reads it afresh.
func (c *productCheckCache) forgetForm(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.forms, id)
}

// getRequestForm reads a form for a plan-time check, from the cache when
// an earlier check of this process read it.
func (c *productCheckCache) getRequestForm(get func(context.Context, string) (*marketplace.RequestForm, error)) func(context.Context, string) (*marketplace.RequestForm, error) {
	return func(ctx context.Context, id string) (*marketplace.RequestForm, error) {
		if f := c.form(id); f != nil {
			return f, nil
		}
		f, err := get(ctx, id)
		if err == nil && f != nil {
			c.addForm(id, f)
		}
		return f, err
	}
}
