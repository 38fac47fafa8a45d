package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ list.ListResource              = &requestFormListResource{}
	_ list.ListResourceWithConfigure = &requestFormListResource{}
)

// NewRequestFormListResource returns the immuta_request_form list
// resource, for terraform query.
func NewRequestFormListResource() list.ListResource {
	return &requestFormListResource{}
}

type requestFormListResource struct {
	client *marketplace.Client
}

func (l *requestFormListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_request_form"
}

func (l *requestFormListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = nameListSchema("request forms")
	resp.Schema.MarkdownDescription += " The built-in " + marketplace.StandardRequestFormName + " is not listed: " +
		"no one can change or delete it, so it cannot be managed (refer to it with the `immuta_request_form` data source)."
}

func (l *requestFormListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *requestFormListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := configuredList[nameListModel](ctx, req, stream)
	if !ok {
		return
	}
	name, exact := cfg.filter()
	found, err := l.client.ListRequestForms(ctx, marketplace.ListRequestFormsOptions{Name: name, ExactMatch: exact})
	if err != nil {
		listFailed(stream, "Unable to List Request Forms", "Listing request forms", err)
		return
	}
	var objects []listedObject
	for _, f := range found {
		// The Standard Request Form cannot be imported (see ImportState).
		if cfg.keeps(f.Name) && f.Name != marketplace.StandardRequestFormName {
			objects = append(objects, listedObject{ID: f.ID, Name: f.Name})
		}
	}
	res := &requestFormResource{client: l.client}
	streamListed(ctx, req, stream, objects, res.Read)
}
