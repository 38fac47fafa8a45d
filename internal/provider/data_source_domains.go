package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource              = &domainsDataSource{}
	_ datasource.DataSourceWithConfigure = &domainsDataSource{}
)

// NewDomainsDataSource returns the immuta_domains data source.
func NewDomainsDataSource() datasource.DataSource {
	return &domainsDataSource{}
}

type domainsDataSource struct {
	client *marketplace.Client
}

type domainsDataSourceModel struct {
	Name         types.String  `tfsdk:"name"`
	NameContains types.String  `tfsdk:"name_contains"`
	Domains      []domainModel `tfsdk:"domains"`
	IDs          types.Set     `tfsdk:"ids"`
}

func (d *domainsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domains"
}

func (d *domainsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Immuta **domains** that data products can be built in, optionally filtered by name. " +
			"With no filter it returns every domain. No match is an empty list, not an error.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Keep only the domains named exactly this (case-sensitive): `Sales` matches `Sales` but not " +
					"`Sales EU`.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator()},
			},
			"name_contains": schema.StringAttribute{
				MarkdownDescription: "Keep only the domains whose name contains this, ignoring case: `sales` matches `Sales`, " +
					"`Sales EU` and `North American Sales`. Combines with `name`.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator()},
			},
			"domains": schema.ListNestedAttribute{
				MarkdownDescription: "The matching domains, sorted by name, then id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: domainListAttributes()},
			},
			"ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the matching domains, ready for `immuta_data_product.domain_ids`.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
	}
}

func (d *domainsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *domainsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg domainsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, err := d.client.ListDomains(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to List Domains", "Listing the domains", err)
		return
	}
	found := filterDomains(all, cfg.Name.ValueString(), cfg.NameContains.ValueString())
	sortDomains(found)
	cfg.Domains = make([]domainModel, len(found))
	ids := make([]string, len(found))
	for i, dom := range found {
		cfg.Domains[i] = domainFromAPI(dom)
		ids[i] = strings.ToLower(dom.ID)
	}
	resp.Diagnostics.Append(setStrings(ctx, &cfg.IDs, ids)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
