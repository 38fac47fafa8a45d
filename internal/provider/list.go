package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// listedObject is one object a list resource found.
type listedObject struct {
	ID   string
	Name string
}

// streamListed sends one result per object: its identity and name and,
// when Terraform asks for the resources too (terraform query
// -generate-config-out), the state the resource's own Read makes from
// the id alone, exactly as after an import, so that the configuration
// generated from it plans clean. An object deleted between the list and
// its read is left out.
func streamListed(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream, objects []listedObject,
	read func(context.Context, resource.ReadRequest, *resource.ReadResponse),
) {
	stream.Results = func(push func(list.ListResult) bool) {
		sent := int64(0)
		for _, obj := range objects {
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = obj.Name
			result.Diagnostics.Append(setIDIdentity(ctx, result.Identity, obj.ID)...)
			if req.IncludeResource && !result.Diagnostics.HasError() {
				state, gone := readListed(ctx, req, obj.ID, result.Identity, read, &result)
				if gone {
					continue
				}
				result.Resource = state
			}
			sent++
			if !push(result) {
				return
			}
		}
	}
}

// readListed runs read on a state holding only id, as Terraform does
// after an import, and reports whether the object has gone.
func readListed(ctx context.Context, req list.ListRequest, id string, identity *tfsdk.ResourceIdentity,
	read func(context.Context, resource.ReadRequest, *resource.ReadResponse), result *list.ListResult,
) (*tfsdk.Resource, bool) {
	state := tfsdk.State{Schema: req.ResourceSchema, Raw: tftypes.NewValue(req.ResourceSchema.Type().TerraformType(ctx), nil)}
	result.Diagnostics.Append(state.SetAttribute(ctx, path.Root("id"), id)...)
	if result.Diagnostics.HasError() {
		return nil, false
	}
	resp := resource.ReadResponse{State: state, Identity: identity}
	read(ctx, resource.ReadRequest{State: state, Identity: identity}, &resp)
	result.Diagnostics.Append(resp.Diagnostics...)
	if resp.State.Raw.IsNull() && !resp.Diagnostics.HasError() {
		return nil, true
	}
	return &tfsdk.Resource{Schema: resp.State.Schema, Raw: resp.State.Raw}, false
}

// listFailed makes the stream a failed list's error.
func listFailed(stream *list.ListResultsStream, summary, attempted string, err error) {
	var diags diag.Diagnostics
	addAPIError(&diags, summary, attempted, err)
	stream.Results = list.ListResultsStreamDiagnostics(diags)
}

// configuredList reads a list block's configuration, or makes the stream
// the error.
func configuredList[T any](ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) (T, bool) {
	var cfg T
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return cfg, false
	}
	return cfg, true
}
