package provider

// Bulk refresh of data products. A product's refresh needs three answers:
// the product, its data sources and its request forms. With many products
// in one configuration, two of them can come from lists instead of one
// request per product:
//   - the product from the service's product list (100 a page, the same
//     object GET by id returns);
//   - its forms from each form's list of the products that use it (GET
//     request-form/{id}/data-products, with the request types), which
//     confirms the forms in state, since a product has one form per
//     request type.
// Its data sources have no list across products, so each still costs one
// request. Nothing here ever decides a drift on its own: a product or a
// form that a list does not confirm is read the ordinary way, as is every
// product this process wrote or that a list fetched before its last
// write. A list is only fetched once enough reads have asked for what it
// holds, so that a small configuration reads exactly as before.

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/sync/singleflight"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

const (
	// productReadsPerListPage is how many product reads pay for one page
	// of the product list: the list may hold products the configuration
	// does not manage, so it is fetched no faster than one page per this
	// many reads, which bounds its cost at a tenth of the reads it serves.
	productReadsPerListPage = 10
	// formReadsBeforeList is how many reads must name a form before its
	// list of products is fetched: a form only one product uses is
	// cheaper read with that product.
	formReadsBeforeList = 2
)

// bulkProductReads holds one client's product list and form lists. It is
// safe for concurrent use.
type bulkProductReads struct {
	client *marketplace.Client
	flight singleflight.Group

	mu       sync.Mutex
	reads    int
	pages    int
	next     string
	listDone bool
	paging   bool
	products map[string]listedProduct
	formRefs map[string]int
	forms    map[string]*formProducts
}

// listedProduct is a product as a list page had it, and when that page
// was asked for.
type listedProduct struct {
	product marketplace.DataProduct
	askedAt time.Time
}

// formProducts is a form's list of products: for each product id, the
// request types it uses the form for.
type formProducts struct {
	askedAt  time.Time
	products map[string][]string
}

var bulkReads sync.Map // *marketplace.Client → *bulkProductReads

func bulkReadsFor(c *marketplace.Client) *bulkProductReads {
	if v, ok := bulkReads.Load(c); ok {
		b, _ := v.(*bulkProductReads)
		return b
	}
	v, _ := bulkReads.LoadOrStore(c, &bulkProductReads{
		client:   c,
		products: map[string]listedProduct{},
		formRefs: map[string]int{},
		forms:    map[string]*formProducts{},
	})
	b, _ := v.(*bulkProductReads)
	return b
}

// product returns the product from the list when a page asked for after
// notBefore holds it, fetching the next page when the reads so far pay
// for it.
func (b *bulkProductReads) product(ctx context.Context, id string, notBefore time.Time) (*marketplace.DataProduct, bool) {
	id = strings.ToLower(id)
	b.mu.Lock()
	b.reads++
	if p, ok := b.listed(id, notBefore); ok {
		b.mu.Unlock()
		return p, true
	}
	fetch := !b.listDone && !b.paging && b.pages < b.reads/productReadsPerListPage
	if fetch {
		b.paging = true
	}
	token := b.next
	b.mu.Unlock()
	if !fetch {
		return nil, false
	}

	askedAt := time.Now()
	page, err := b.client.ListDataProductsPage(ctx, token)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.paging = false
	if err != nil {
		// The list is a shortcut: without it, every read asks for its
		// product.
		b.listDone = true
		tflog.Debug(ctx, "Could not list data products; reading each one", map[string]any{"error": err.Error()})
		return nil, false
	}
	b.pages++
	b.next = page.NextToken
	b.listDone = page.NextToken == ""
	for _, p := range page.Products {
		b.products[strings.ToLower(p.ID)] = listedProduct{product: p, askedAt: askedAt}
	}
	return b.listed(id, notBefore)
}

// listed is the listed product, if a page asked for after notBefore had
// it. b.mu must be held.
func (b *bulkProductReads) listed(id string, notBefore time.Time) (*marketplace.DataProduct, bool) {
	e, ok := b.products[id]
	if !ok || !e.askedAt.After(notBefore) {
		return nil, false
	}
	p := e.product
	return &p, true
}

// requestForms returns the product's forms when the lists of the forms
// in state, asked for after notBefore, show the product using each for
// its request type.
func (b *bulkProductReads) requestForms(ctx context.Context, id string, inState map[string]string, notBefore time.Time) ([]marketplace.DataProductRequestForm, bool) {
	id = strings.ToLower(id)
	var out []marketplace.DataProductRequestForm
	for _, requestType := range []string{marketplace.RequestTypeDataAccess, marketplace.RequestTypeMaskingException} {
		form := strings.ToLower(inState[requestType])
		if form == "" {
			return nil, false
		}
		list, ok := b.formList(ctx, form)
		if !ok || !list.askedAt.After(notBefore) || !slices.Contains(list.products[id], requestType) {
			return nil, false
		}
		out = append(out, marketplace.DataProductRequestForm{RequestForm: marketplace.RequestForm{ID: form}, RequestType: requestType})
	}
	return out, true
}

// formList returns the form's list of products, fetching it once enough
// reads have named the form.
func (b *bulkProductReads) formList(ctx context.Context, form string) (*formProducts, bool) {
	b.mu.Lock()
	b.formRefs[form]++
	list, have := b.forms[form]
	due := b.formRefs[form] >= formReadsBeforeList
	b.mu.Unlock()
	if have {
		return list, list != nil
	}
	if !due {
		return nil, false
	}
	v, _, _ := b.flight.Do(form, func() (any, error) {
		// A flight that ended since the check above has stored its list.
		b.mu.Lock()
		list, have := b.forms[form]
		b.mu.Unlock()
		if have {
			return list, nil
		}
		askedAt := time.Now()
		products, err := formProductList(ctx, b.client, form)
		if err == nil {
			list = &formProducts{askedAt: askedAt, products: products}
		} else {
			tflog.Debug(ctx, "Could not list a request form's data products; reading each product's forms",
				map[string]any{"request_form_id": form, "error": err.Error()})
		}
		b.mu.Lock()
		b.forms[form] = list // nil: not asked again in this process
		b.mu.Unlock()
		return list, nil
	})
	list, _ = v.(*formProducts)
	return list, list != nil
}

// refreshDataProduct reads what a refresh of the product in state needs,
// from the lists where they confirm it and one request at a time
// otherwise.
func refreshDataProduct(ctx context.Context, client *marketplace.Client, private privateGetter, state *dataProductResourceModel) (productReads, error) {
	id := state.ID.ValueString()
	writtenAt := writtenTime(ctx, private)
	if lookupsFor(client).createdHere(id) || time.Since(writtenAt) < client.ConsistencyWindow() {
		// Written by this process, or so lately that the lists may not
		// show it yet.
		return readProduct(ctx, client, id, func(ctx context.Context, id string) (*marketplace.DataProduct, error) {
			return readObject(ctx, client, private, id, client.GetDataProduct)
		})
	}
	bulk := bulkReadsFor(client)
	product, listed := bulk.product(ctx, id, writtenAt)
	if listed {
		journalFor(client).settle(ctx, id)
	} else {
		var err error
		if product, err = readObject(ctx, client, private, id, client.GetDataProduct); err != nil {
			return productReads{}, err
		}
	}
	inState := map[string]string{
		marketplace.RequestTypeDataAccess:       knownString(state.DataAccessRequestFormID),
		marketplace.RequestTypeMaskingException: knownString(state.MaskingExceptionRequestFormID),
	}
	forms, confirmed := bulk.requestForms(ctx, id, inState, writtenAt)
	if !confirmed {
		return readProductParts(ctx, client, product)
	}
	sources, err := client.ListDataProductDataSourceIDs(ctx, product.ID)
	return productReads{Product: product, DataSourceIDs: sources, Forms: forms}, err
}
