package main

import (
	"context"
	"fmt"
	"math/big"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// floorProvider has the real provider's name, schema, resources and data
// sources, and configures nothing.
type floorProvider struct {
	real provider.Provider
}

var _ provider.Provider = (*floorProvider)(nil)

func newFloor(newReal func() provider.Provider) func() provider.Provider {
	return func() provider.Provider { return &floorProvider{real: newReal()} }
}

func (p *floorProvider) Metadata(ctx context.Context, req provider.MetadataRequest, resp *provider.MetadataResponse) {
	p.real.Metadata(ctx, req, resp)
}

func (p *floorProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

// Configure reads nothing: the floor has no client to build.
func (p *floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

// Resources wraps each real resource: the framework calls the constructor
// for every request, as it does the real provider's.
func (p *floorProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, newReal := range p.real.Resources(ctx) {
		out = append(out, func() resource.Resource {
			r := newReal()
			if ri, ok := r.(resource.ResourceWithIdentity); ok {
				return &floorIdentityResource{floorResource{real: r}, ri}
			}
			return &floorResource{real: r}
		})
	}
	return out
}

func (p *floorProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, newReal := range p.real.DataSources(ctx) {
		out = append(out, func() datasource.DataSource { return &floorDataSource{real: newReal()} })
	}
	return out
}

// floorResource has the real resource's type name and schema; its
// operations copy the plan to the state and call nothing.
type floorResource struct {
	real resource.Resource
}

func (r *floorResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.real.Metadata(ctx, req, resp)
}

func (r *floorResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

func (r *floorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = known(req.Plan.Raw, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, resp.State.Raw, &resp.Diagnostics)
}

// Read keeps the state as it is (the framework starts the response
// from it): nothing ever drifts. It sets the identity, as the real Read
// does, since Terraform before 1.12 sends none.
func (r *floorResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	setIdentity(ctx, resp.Identity, req.State.Raw, &resp.Diagnostics)
}

func (r *floorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw, &resp.Diagnostics)
	setIdentity(ctx, resp.Identity, resp.State.Raw, &resp.Diagnostics)
}

// Delete has nothing to delete; the framework removes the state.
func (r *floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// floorIdentityResource is a floorResource whose real resource has an
// identity schema (Terraform 1.12 and later ask for it).
type floorIdentityResource struct {
	floorResource
	identity resource.ResourceWithIdentity
}

func (r *floorIdentityResource) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identity.IdentitySchema(ctx, req, resp)
}

// floorDataSource has the real data source's type name and schema and
// reads back its configuration.
type floorDataSource struct {
	real datasource.DataSource
}

func (d *floorDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	d.real.Metadata(ctx, req, resp)
}

func (d *floorDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.real.Schema(ctx, req, resp)
}

func (d *floorDataSource) Read(_ context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	resp.State.Raw = known(req.Config.Raw, &resp.Diagnostics)
}

// nextID numbers the ids the floor makes up; starting from the clock
// keeps those of successive provider processes apart.
var nextID atomic.Uint64

func init() { nextID.Store(uint64(time.Now().UnixNano()) & 0xffffffffffff) }

// known replaces every unknown value in v with a fixed one of its type:
// a fresh lower-case UUID for a string (ids are UUIDs and validators
// check the ids other resources refer to), zero, false, an empty
// collection, or null for an object.
func known(v tftypes.Value, diags *diag.Diagnostics) tftypes.Value {
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		return fixed(v.Type()), nil
	})
	if err != nil {
		diags.AddError("Floor Provider Error", err.Error())
		return v
	}
	return out
}

func fixed(t tftypes.Type) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, fmt.Sprintf("00000000-0000-4000-8000-%012x", nextID.Add(1)&0xffffffffffff))
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(0))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	}
	return tftypes.NewValue(t, nil)
}

// setIdentity sets each identity attribute to the state's attribute of
// the same name. identity is nil when Terraform does not ask for one.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, state tftypes.Value, diags *diag.Diagnostics) {
	if identity == nil || identity.Schema == nil {
		return
	}
	typ, ok := identity.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return
	}
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		diags.AddError("Floor Provider Error", err.Error())
		return
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok && v.Type().Equal(at) {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	identity.Raw = tftypes.NewValue(typ, vals)
}
