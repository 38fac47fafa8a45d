package ctxrelease

import (
	"context"
	"errors"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/immuta/terraform-provider-immuta/internal/provider"
)

// keeper stands for the framework's server, which keeps every request's
// context (through its cancel function) until StopProvider.
type keeper struct {
	ListServer
	kept []context.Context
}

func (k *keeper) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	k.kept = append(k.kept, ctx)
	if ctx.Value(requestKey{}) == nil {
		return nil, errors.New("the request's values did not reach the call")
	}
	if ctx.Err() != nil {
		return nil, errors.New("the context was done during the call")
	}
	return &tfprotov6.ReadResourceResponse{}, nil
}

type requestKey struct{}

// While a call runs its context is the request's; once it has returned,
// the context the server kept holds nothing of the request.
func TestServerReleasesContextAfterCall(t *testing.T) {
	inner := &keeper{}
	s := Server(inner)
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), requestKey{}, make([]byte, 1<<20)))
	defer cancel()
	if _, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	kept := inner.kept[0]
	if kept.Value(requestKey{}) != nil {
		t.Error("the kept context still holds the request's values")
	}
	if !errors.Is(kept.Err(), context.Canceled) {
		t.Errorf("the kept context's Err is %v, want context.Canceled", kept.Err())
	}
	select {
	case <-kept.Done():
	default:
		t.Error("the kept context is not done")
	}
}

// A request canceled while it runs is canceled for the call too.
func TestServerForwardsCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d := &ctxRef{parent: ctx}
	cancel()
	select {
	case <-d.Done():
	default:
		t.Fatal("the call's context is not done after the request was canceled")
	}
	if !errors.Is(d.Err(), context.Canceled) {
		t.Errorf("Err is %v", d.Err())
	}
}

// The wrapper keeps the list resources, which tf6server finds by a type
// assertion on the server it is given.
func TestProviderServerKeepsListResources(t *testing.T) {
	var s tfprotov6.ProviderServer = Server(&keeper{})
	if _, ok := s.(ListServer); !ok {
		t.Fatal("the wrapped server lost ListResource")
	}
}

// The framework's server is wrapped, not served bare.
func TestProviderServerWrapsTheFrameworkServer(t *testing.T) {
	if _, ok := ProviderServer(provider.New("test")())().(*server); !ok {
		t.Fatal("ProviderServer served the framework's server unwrapped")
	}
}
