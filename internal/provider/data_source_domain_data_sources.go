package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource              = &domainDataSourcesDataSource{}
	_ datasource.DataSourceWithConfigure = &domainDataSourcesDataSource{}
)

// NewDomainDataSourcesDataSource returns the immuta_domain_data_sources data source.
func NewDomainDataSourcesDataSource() datasource.DataSource {
	return &domainDataSourcesDataSource{}
}

type domainDataSourcesDataSource struct {
	client *marketplace.Client
}

type domainDataSourcesModel struct {
	DomainID      types.String            `tfsdk:"domain_id"`
	Name          types.String            `tfsdk:"name"`
	SearchText    types.String            `tfsdk:"search_text"`
	Platform      types.String            `tfsdk:"platform"`
	Database      types.String            `tfsdk:"database"`
	Schema        types.String            `tfsdk:"schema"`
	Table         types.String            `tfsdk:"table"`
	DataSourceIDs types.Set               `tfsdk:"data_source_ids"`
	DataSources   []domainDataSourceModel `tfsdk:"data_sources"`
	IDs           types.Set               `tfsdk:"ids"`
}

func (d *domainDataSourcesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domain_data_sources"
}

func (d *domainDataSourcesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: true, Validators: []validator.String{notBlankValidator()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Immuta **data sources** of a domain: the ones a data product in that domain can include. " +
			"`ids` is ready for `immuta_data_product.data_source_ids`.\n\n" +
			"Every filter is optional and they combine (all must match). No match is an empty list, not an error; an unknown " +
			"domain is an error. Every page of the domain's data sources is read, however many there are.",
		Attributes: map[string]schema.Attribute{
			"domain_id": schema.StringAttribute{
				MarkdownDescription: "The id of the domain, for example `data.immuta_domain.sales.id`.",
				Required:            true,
				Validators:          []validator.String{uuidValidator()},
			},
			"name": filter("Keep only the data source named exactly this (case-sensitive)."),
			"search_text": filter("The Marketplace's own search: keeps data sources whose name contains this text, ignoring case " +
				"(the service may also match other fields, such as the schema or table)."),
			"platform": filter("Keep only data sources on this platform, such as `Snowflake`, `Databricks`, `Redshift`, `BigQuery`, " +
				"`Starburst (Trino)`, `PostgreSQL` or `Amazon S3` (exact, ignoring case)."),
			"database": filter("Keep only data sources in this database, catalog or project (exact, ignoring case)."),
			"schema":   filter("Keep only data sources in this schema or dataset (exact, ignoring case)."),
			"table":    filter("Keep only data sources of this table or view (exact, ignoring case)."),
			"data_source_ids": schema.SetAttribute{
				MarkdownDescription: "Keep only the data sources with these ids (positive integers written as strings, such as " +
					"`\"101\"`, the form `ids` gives). The Marketplace filters by them (its `dataSourceIds`); ids of data " +
					"sources in other domains, or of none, are left out rather than errors.",
				Optional:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.RegexMatches(positiveIntegerPattern,
						"must be a data source id: a positive integer written as a string, such as \"101\"")),
				},
			},
			"data_sources": schema.ListNestedAttribute{
				MarkdownDescription: "The matching data sources, sorted by name, then id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: domainDataSourceListAttributes()},
			},
			"ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the matching data sources, as strings: the form `immuta_data_product.data_source_ids` takes.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
	}
}

func (d *domainDataSourcesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *domainDataSourcesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg domainDataSourcesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	domainID := cfg.DomainID.ValueString()
	filter := dataSourceFilter{
		Name:     cfg.Name.ValueString(),
		Platform: cfg.Platform.ValueString(),
		Database: cfg.Database.ValueString(),
		Schema:   cfg.Schema.ValueString(),
		Table:    cfg.Table.ValueString(),
	}
	// The service's search narrows what is paged through; a name is
	// surely part of what it searches, so it stands in for search_text.
	opts := marketplace.ListDomainDataSourcesOptions{SearchText: cfg.SearchText.ValueString()}
	if opts.SearchText == "" {
		opts.SearchText = filter.Name
	}
	if !cfg.DataSourceIDs.IsNull() && !cfg.DataSourceIDs.IsUnknown() {
		var raw []string
		resp.Diagnostics.Append(cfg.DataSourceIDs.ElementsAs(ctx, &raw, false)...)
		for _, v := range raw {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("data_source_ids"), "Invalid Data Source Id",
					fmt.Sprintf("%q is not a data source id (a positive integer written as a string).", v))
				continue
			}
			opts.IDs = append(opts.IDs, id)
		}
		if resp.Diagnostics.HasError() {
			return
		}
	}
	all, err := d.client.ListDomainDataSources(ctx, domainID, opts)
	if errors.Is(err, marketplace.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("domain_id"), "Domain Not Found",
			fmt.Sprintf("No domain has id %s, so it has no data sources to list. Look the domain up with the immuta_domain data source.", domainID))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to List Data Sources", fmt.Sprintf("Listing the data sources of domain %s", domainID), err)
		return
	}
	found := filterDataSources(all, filter)
	cfg.DataSources = make([]domainDataSourceModel, len(found))
	ids := make([]string, len(found))
	for i, ds := range found {
		cfg.DataSources[i] = domainDataSourceFromAPI(ds)
		ids[i] = dataSourceID(ds.DataSourceID)
	}
	resp.Diagnostics.Append(setStrings(ctx, &cfg.IDs, ids)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
