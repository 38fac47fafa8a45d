package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ list.ListResource              = &dataProductListResource{}
	_ list.ListResourceWithConfigure = &dataProductListResource{}
)

// NewDataProductListResource returns the immuta_data_product list
// resource, for terraform query.
func NewDataProductListResource() list.ListResource {
	return &dataProductListResource{}
}

type dataProductListResource struct {
	client *marketplace.Client
}

type dataProductListModel struct {
	Name     types.String `tfsdk:"name"`
	DomainID types.String `tfsdk:"domain_id"`
}

func (l *dataProductListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_product"
}

func (l *dataProductListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Marketplace's data products, all of them unless filtered, for `terraform query` " +
			"(Terraform 1.14 and later). Each result's identity is its `id`. Imported products get `deletion_protection = true`.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the products whose name contains this text (case-insensitive).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"domain_id": schema.StringAttribute{
				MarkdownDescription: "Only the products in this domain (its id; see the `immuta_domains` data source).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (l *dataProductListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *dataProductListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := configuredList[dataProductListModel](ctx, req, stream)
	if !ok {
		return
	}
	found, err := l.client.ListDataProducts(ctx, marketplace.ListDataProductsOptions{NameFilter: cfg.Name.ValueString()})
	if err != nil {
		listFailed(stream, "Unable to List Data Products", "Listing data products", err)
		return
	}
	domain := cfg.DomainID.ValueString()
	var objects []listedObject
	for _, p := range found {
		// The service has no domain filter: it is applied here.
		if domain == "" || slices.Contains(p.Domains, domain) {
			objects = append(objects, listedObject{ID: p.ID, Name: p.Name})
		}
	}
	res := &dataProductResource{client: l.client}
	streamListed(ctx, req, stream, objects, res.Read)
}
