package main

import (
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// routeCounter counts the API calls of each route, ids collapsed.
type routeCounter struct {
	next   http.Handler
	mu     sync.Mutex
	total  int64
	routes map[string]int64
}

var idSegment = regexp.MustCompile(`/(?:[0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+|c[a-z0-9]{20,})(/|$)`)

func (c *routeCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + idSegment.ReplaceAllString(strings.TrimPrefix(r.URL.Path, marketplacetest.BasePath), "/{id}$1")
	c.mu.Lock()
	c.total++
	c.routes[route]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *routeCounter) reset() {
	c.mu.Lock()
	c.total, c.routes = 0, map[string]int64{}
	c.mu.Unlock()
}

func (c *routeCounter) snapshot() (int64, map[string]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, c.routes
}
