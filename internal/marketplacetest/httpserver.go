package marketplacetest

import (
	"net/http"
	"time"
)

// ServerTimeouts bound how long one connection may hold the emulator, so
// that a slow or stalled client (a body sent a byte at a time, an idle
// keep-alive connection) cannot tie it up for ever.
type ServerTimeouts struct {
	// ReadHeader bounds reading the request line and headers.
	ReadHeader time.Duration
	// Read bounds reading the whole request, body included.
	Read time.Duration
	// Write bounds the time from the end of the request headers to the
	// end of the response; it must exceed any latency fault injected.
	Write time.Duration
	// Idle bounds how long a keep-alive connection waits for its next
	// request.
	Idle time.Duration
}

// DefaultServerTimeouts are the command's defaults.
var DefaultServerTimeouts = ServerTimeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      2 * time.Minute,
	Idle:       time.Minute,
}

// NewHTTPServer returns an http.Server for h with the given timeouts.
func NewHTTPServer(h http.Handler, t ServerTimeouts) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
	}
}
