package marketplacetest

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// requestLogLine is one line of the JSON-lines request log. It has no
// header but the User-Agent and no body, so that no token or payload is
// ever written out.
type requestLogLine struct {
	Time       string  `json:"time"`
	Method     string  `json:"method"`
	Path       string  `json:"path"`
	Query      string  `json:"query"`
	Status     int     `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	UserAgent  string  `json:"user_agent"`
}

// LogRequests returns a handler that serves h and writes one JSON line per
// request to w, once it is answered: {"time", "method", "path" (escaped),
// "query" (raw), "status" (0 for a dropped connection), "duration_ms",
// "user_agent"}. Lines are written whole, one at a time; a failed write
// is ignored, so that logging never fails a request.
func LogRequests(h http.Handler, w io.Writer) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &logRecorder{ResponseWriter: rw, status: http.StatusOK}
		write := func() {
			line, err := json.Marshal(requestLogLine{
				Time:   start.UTC().Format(timestampLayout),
				Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Status: rec.status,
				DurationMS: float64(time.Since(start).Microseconds()) / 1000, UserAgent: r.UserAgent(),
			})
			if err != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			_, _ = w.Write(append(line, '\n'))
		}
		rec.beforeHijack = write
		h.ServeHTTP(rec, r)
		if !rec.hijacked {
			write()
		}
	})
}

type logRecorder struct {
	http.ResponseWriter
	status       int
	wroteHeader  bool
	hijacked     bool
	beforeHijack func()
}

func (l *logRecorder) WriteHeader(code int) {
	if !l.wroteHeader {
		l.status, l.wroteHeader = code, true
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.wroteHeader = true
	return l.ResponseWriter.Write(p)
}

// Hijack lets a fault drop the connection; the line says status 0.
func (l *logRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := l.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the connection cannot be hijacked")
	}
	l.status, l.hijacked = 0, true
	l.beforeHijack()
	return hj.Hijack()
}
