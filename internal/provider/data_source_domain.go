package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource                     = &domainDataSource{}
	_ datasource.DataSourceWithConfigure        = &domainDataSource{}
	_ datasource.DataSourceWithConfigValidators = &domainDataSource{}
)

// NewDomainDataSource returns the immuta_domain data source.
func NewDomainDataSource() datasource.DataSource {
	return &domainDataSource{}
}

type domainDataSource struct {
	client *marketplace.Client
}

func (d *domainDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domain"
}

func (d *domainDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an Immuta **domain** by `id` or by exact `name`. Domains are made in the Immuta governance " +
			"app; a data product belongs to one or more (`immuta_data_product.domain_ids`) and its data sources come from them " +
			"(see `immuta_domain_data_sources`).\n\n" +
			"A name that matches no domain, or several, is an error that says so.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The domain's id, a UUID. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{uuidValidator()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The domain's exact name (case-sensitive: `Sales` does not match `Sales EU` or `sales`). " +
					"Exactly one of `id` and `name` must be set.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{notBlankValidator()},
			},
			"description": schema.StringAttribute{MarkdownDescription: "The domain's description.", Computed: true},
		},
	}
}

func (d *domainDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *domainDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *domainDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg domainModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Looked up by name, the id is known only from the answer.
	ctx = logObject(ctx, kindDomain, cfg.ID.ValueString())
	if id := cfg.ID.ValueString(); id != "" {
		found, err := d.client.GetDomain(ctx, id)
		if errors.Is(err, marketplace.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Domain Not Found",
				fmt.Sprintf("No domain has id %s. List the domains with the immuta_domains data source, or look one up by name.", id))
			return
		}
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to Read Domain", fmt.Sprintf("Reading domain %s", id), err)
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, domainFromAPI(*found))...)
		return
	}

	name := cfg.Name.ValueString()
	all, err := d.client.ListDomains(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to List Domains", fmt.Sprintf("Looking up the domain named %q", name), err)
		return
	}
	found := filterDomains(all, name, "")
	switch len(found) {
	case 1:
		resp.Diagnostics.Append(resp.State.Set(ctx, domainFromAPI(found[0]))...)
	case 0:
		hint := ""
		if similar := filterDomains(all, "", name); len(similar) > 0 {
			sortDomains(similar)
			hint = " Domains whose names contain it: " + describeDomains(similar) + "."
		}
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Domain Not Found",
			fmt.Sprintf("No domain is named exactly %q (names are case-sensitive); %d domains were searched.%s", name, len(all), hint))
	default:
		sortDomains(found)
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Several Domains Match",
			fmt.Sprintf("%d domains are named %q: %s. Look the domain up by id instead.", len(found), name, describeDomains(found)))
	}
}
