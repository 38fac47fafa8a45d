package marketplace

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// maxPages guards every pagination loop against a service that never
// signals the end.
const maxPages = 10000

// DefaultPageSize is the page size list calls ask for. The service may
// answer with smaller pages; the loops below follow whatever it returns.
const DefaultPageSize = 100

// OffsetMeta is the pagination block of offset-paged list responses.
type OffsetMeta struct {
	Offset      int `json:"offset"`
	Limit       int `json:"limit"`
	TotalCount  int `json:"totalCount"`
	PageCount   int `json:"pageCount"`
	CurrentPage int `json:"currentPage"`
	TotalPages  int `json:"totalPages"`
}

type offsetPage[T any] struct {
	Data []T        `json:"data"`
	Meta OffsetMeta `json:"meta"`
}

// TokenMeta is the pagination block of token-paged list responses.
type TokenMeta struct {
	NextToken string `json:"nextToken"`
	Limit     int    `json:"limit"`
}

type tokenPage[T any] struct {
	Data []T       `json:"data"`
	Meta TokenMeta `json:"meta"`
}

// listOffset fetches every page of an offset-paged list.
func listOffset[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var all []T
	offset := 0
	for range maxPages {
		q := cloneValues(query)
		q.Set("offset", strconv.Itoa(offset))
		q.Set("limit", strconv.Itoa(DefaultPageSize))
		var page offsetPage[T]
		if err := c.do(ctx, "GET", path, q, nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Data...)
		offset += len(page.Data)
		switch {
		case len(page.Data) == 0:
			return all, nil
		case page.Meta.TotalCount > 0 && offset >= page.Meta.TotalCount:
			return all, nil
		case page.Meta.TotalCount == 0 && page.Meta.Limit > 0 && len(page.Data) < page.Meta.Limit:
			return all, nil
		}
	}
	return nil, fmt.Errorf("GET %s: pagination did not end after %d pages", path, maxPages)
}

// listToken fetches every page of a token-paged list.
func listToken[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var all []T
	token := ""
	seen := map[string]bool{}
	for range maxPages {
		page, err := getTokenPage[T](ctx, c, path, query, token)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Data...)
		token = page.Meta.NextToken
		if token == "" || len(page.Data) == 0 {
			return all, nil
		}
		if seen[token] {
			return nil, fmt.Errorf("GET %s: the service returned the page token %q twice", path, token)
		}
		seen[token] = true
	}
	return nil, fmt.Errorf("GET %s: pagination did not end after %d pages", path, maxPages)
}

// getTokenPage fetches the page of a token-paged list that token names,
// the first for "".
func getTokenPage[T any](ctx context.Context, c *Client, path string, query url.Values, token string) (tokenPage[T], error) {
	q := cloneValues(query)
	q.Set("limit", strconv.Itoa(DefaultPageSize))
	if token != "" {
		q.Set("nextToken", token)
	}
	var page tokenPage[T]
	err := c.do(ctx, "GET", path, q, nil, &page)
	return page, err
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
