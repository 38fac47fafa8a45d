package marketplace

import (
	"context"
	"net/url"
)

// DataProductPage is one page of the data product list.
type DataProductPage struct {
	Products []DataProduct
	// NextToken asks for the next page; empty on the last.
	NextToken string
}

// ListDataProductsPage returns one page of every data product, sorted
// by name: the first for an empty token, else the one the token names.
// A caller that needs only some of many products can stop paging when
// it has them.
func (c *Client) ListDataProductsPage(ctx context.Context, token string) (DataProductPage, error) {
	q := url.Values{}
	q.Set("sortBy", "name")
	q.Set("sortOrder", "asc")
	page, err := getTokenPage[DataProduct](ctx, c, apiPath("data-product"), q, token)
	if err != nil {
		return DataProductPage{}, err
	}
	next := page.Meta.NextToken
	if len(page.Data) == 0 || next == token {
		next = "" // a page that moves nothing forward ends the list
	}
	return DataProductPage{Products: page.Data, NextToken: next}, nil
}

// LinkedDataProduct is a data product as a request form lists it: the
// request types for which the product uses the form.
type LinkedDataProduct struct {
	ObjectRef
	RequestTypes []string `json:"requestTypes"`
}

// ListRequestFormDataProducts returns the data products that use a
// request form, each with the request types it uses the form for.
func (c *Client) ListRequestFormDataProducts(ctx context.Context, id string) ([]LinkedDataProduct, error) {
	var out []LinkedDataProduct
	if err := c.do(ctx, "GET", apiPath("request-form", id, "data-products"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
