package marketplace

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// levelLogger is a recordingLogger that says whether debug is on.
type levelLogger struct {
	recordingLogger
	debug bool
}

func (l *levelLogger) DebugEnabled(context.Context) bool { return l.debug }

func TestClientBuildsNoDebugLinesWhenDebugIsOff(t *testing.T) {
	for _, debug := range []bool{false, true} {
		logger := &levelLogger{debug: debug}
		c := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"id":"x","name":"n","body":"b"}`)
		}, func(cfg *Config) { cfg.Logger = logger })
		got, err := c.UpdateDataUseAgreement(context.Background(), "x", DataUseAgreementInput{Name: "n", Body: "b"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "n" {
			t.Errorf("debug %v: the response did not reach the caller: %+v", debug, got)
		}
		all := strings.Join(logger.lines, "\n")
		if logged := strings.Contains(all, "Marketplace API response"); logged != debug {
			t.Errorf("debug %v: logged the response: %v\n%s", debug, logged, all)
		}
	}
}

func TestDefaultTransportKeepsIdleConnections(t *testing.T) {
	tr, ok := newDefaultTransport().(*http.Transport)
	if !ok {
		t.Fatalf("the default transport is a %T", newDefaultTransport())
	}
	if tr.MaxIdleConnsPerHost != DefaultMaxIdleConnsPerHost || tr.MaxIdleConns < DefaultMaxIdleConnsPerHost {
		t.Errorf("idle connections: %d per host, %d in all", tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
	if tr == http.DefaultTransport {
		t.Error("the default transport is http.DefaultTransport itself")
	}
}
