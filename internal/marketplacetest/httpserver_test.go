package marketplacetest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveWithTimeouts serves an emulator with short timeouts on a loopback
// port and returns its address.
func serveWithTimeouts(t *testing.T, timeouts ServerTimeouts) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(New(Options{}), timeouts)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// closedWithin reports whether the server closes conn within limit; it
// reads (and discards) whatever the server sends first.
func closedWithin(t *testing.T, conn net.Conn, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, conn)
	elapsed := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept the connection open for %s", limit)
	}
	return elapsed
}

func TestHTTPServerClosesSlowBody(t *testing.T) {
	addr := serveWithTimeouts(t, ServerTimeouts{ReadHeader: time.Second, Read: 300 * time.Millisecond, Write: time.Second, Idle: time.Second})
	conn, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Headers in full, then a body that never finishes.
	fmt.Fprintf(conn, "POST %s/api/data-use-agreement HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":", BasePath, DefaultToken)
	if elapsed := closedWithin(t, conn, 3*time.Second); elapsed > 2*time.Second {
		t.Errorf("a slow body held the connection for %s, with a read timeout of 300ms", elapsed)
	}
}

func TestHTTPServerClosesIdleConnection(t *testing.T) {
	addr := serveWithTimeouts(t, ServerTimeouts{ReadHeader: time.Second, Read: time.Second, Write: time.Second, Idle: 300 * time.Millisecond})
	conn, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s/api/metadata/domain HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", BasePath, DefaultToken)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// The connection is kept alive, idle, until the idle timeout.
	if elapsed := closedWithin(t, conn, 3*time.Second); elapsed > 2*time.Second {
		t.Errorf("an idle connection stayed open for %s, with an idle timeout of 300ms", elapsed)
	}
}

func TestHTTPServerClosesSlowHeaders(t *testing.T) {
	addr := serveWithTimeouts(t, ServerTimeouts{ReadHeader: 300 * time.Millisecond, Read: time.Second, Write: time.Second, Idle: time.Second})
	conn, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s/api/metadata/domain HTTP/1.1\r\nHost: x\r\n", BasePath)
	if elapsed := closedWithin(t, conn, 3*time.Second); elapsed > 2*time.Second {
		t.Errorf("unfinished headers held the connection for %s", elapsed)
	}
}

// bodyWatcher records whether a request body was read.
type bodyWatcher struct {
	io.Reader
	read bool
}

func (b *bodyWatcher) Read(p []byte) (int, error) {
	b.read = true
	return b.Reader.Read(p)
}

func TestServerReadsNoBodyWithoutAValidToken(t *testing.T) {
	s := New(Options{})
	for _, auth := range []string{"", "Bearer wrong", "Basic " + DefaultToken} {
		body := &bodyWatcher{Reader: strings.NewReader(strings.Repeat("x", 512<<10))}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://emulator"+BasePath+"/api/data-use-agreement", body)
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := &responseRecorder{header: http.Header{}}
		s.ServeHTTP(rec, req)
		if rec.status != http.StatusUnauthorized {
			t.Errorf("%q: status %d, want 401", auth, rec.status)
		}
		if body.read {
			t.Errorf("%q: the body of an unauthenticated request was read", auth)
		}
	}
	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests logged, want 3", len(reqs))
	}
	for _, r := range reqs {
		if len(r.Body) != 0 {
			t.Errorf("an unauthenticated request's body was logged: %d bytes", len(r.Body))
		}
	}
}

// responseRecorder is a minimal http.ResponseWriter.
type responseRecorder struct {
	header http.Header
	status int
}

func (r *responseRecorder) Header() http.Header         { return r.header }
func (r *responseRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (r *responseRecorder) WriteHeader(status int)      { r.status = status }

func TestRequestLogIsBounded(t *testing.T) {
	s := New(Options{RequestLogLimit: 100})
	body := strings.Repeat("y", 64<<10)
	for i := range 1000 {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPut, fmt.Sprintf("http://emulator%s/api/data-use-agreement/%d", BasePath, i), strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		s.ServeHTTP(&responseRecorder{header: http.Header{}}, req)
	}
	reqs := s.Requests()
	if len(reqs) > 100 || len(reqs) == 0 {
		t.Fatalf("the log holds %d requests, want at most 100", len(reqs))
	}
	total := 0
	for _, r := range reqs {
		total += len(r.Body)
		if len(r.Body) > MaxLoggedBody || !r.BodyTruncated {
			t.Fatalf("a 64 KiB body was logged with %d bytes (truncated %v)", len(r.Body), r.BodyTruncated)
		}
	}
	if total > DefaultRequestLogBytes {
		t.Errorf("the log holds %d bytes of bodies, over its budget of %d", total, DefaultRequestLogBytes)
	}
	if last := reqs[len(reqs)-1]; last.Path != BasePath+"/api/data-use-agreement/999" {
		t.Errorf("the newest request is %s, want the last one sent", last.Path)
	}
}
