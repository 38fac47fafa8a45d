// Package ctxrelease wraps a framework provider server so that a
// request's context is released when the request returns. terraform-plugin-framework
// (proto6server.registerContext) keeps the cancel function of every
// request's context until StopProvider, which Terraform does not call on
// a normal exit; each function holds its context and through it the whole
// request context tree (the logger options of terraform-plugin-log, the
// gRPC stream), so the live heap grows by some kilobytes per request. The
// wrapper hands the framework a context that forwards to the request's
// only while the request runs.
package ctxrelease

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ListServer is a provider server with list resources, which tf6server
// finds by a type assertion: the wrapper must keep them.
type ListServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// Server wraps s; the resource and data source calls, which Terraform
// makes once per object, get a released context; the others, made once
// per run, pass through.
func Server(s ListServer) ListServer {
	return &server{ListServer: s}
}

// ProviderServer is providerserver.NewProtocol6 served through Server.
func ProviderServer(p provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		inner, ok := providerserver.NewProtocol6(p)().(ListServer)
		if !ok {
			// Not reached with the framework this module pins; serve
			// unwrapped rather than lose the list resources.
			return providerserver.NewProtocol6(p)()
		}
		return Server(inner)
	}
}

type server struct {
	ListServer
}

// call runs fn with a context that forwards to ctx until fn returns.
func call[Req, Resp any](ctx context.Context, req Req, fn func(context.Context, Req) (Resp, error)) (Resp, error) {
	d := &ctxRef{parent: ctx}
	defer d.release()
	return fn(d, req)
}

func (s *server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(ctx, req, s.ListServer.ValidateResourceConfig)
}

func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(ctx, req, s.ListServer.UpgradeResourceState)
}

func (s *server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(ctx, req, s.ListServer.ReadResource)
}

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(ctx, req, s.ListServer.PlanResourceChange)
}

func (s *server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(ctx, req, s.ListServer.ApplyResourceChange)
}

func (s *server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(ctx, req, s.ListServer.ImportResourceState)
}

func (s *server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return call(ctx, req, s.ListServer.UpgradeResourceIdentity)
}

func (s *server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return call(ctx, req, s.ListServer.GenerateResourceConfig)
}

func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(ctx, req, s.ListServer.ValidateDataResourceConfig)
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(ctx, req, s.ListServer.ReadDataSource)
}

// ctxRef is a context that forwards to parent until released; after that
// it is done (canceled) and carries no values, and holds nothing.
type ctxRef struct {
	mu     sync.RWMutex
	parent context.Context
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *ctxRef) get() context.Context {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.parent
}

func (c *ctxRef) release() {
	c.mu.Lock()
	c.parent = nil
	c.mu.Unlock()
}

func (c *ctxRef) Deadline() (time.Time, bool) {
	if p := c.get(); p != nil {
		return p.Deadline()
	}
	return time.Time{}, false
}

func (c *ctxRef) Done() <-chan struct{} {
	if p := c.get(); p != nil {
		return p.Done()
	}
	return closed
}

func (c *ctxRef) Err() error {
	if p := c.get(); p != nil {
		return p.Err()
	}
	return context.Canceled
}

func (c *ctxRef) Value(key any) any {
	if p := c.get(); p != nil {
		return p.Value(key)
	}
	return nil
}
