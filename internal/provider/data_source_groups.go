package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource              = &groupsDataSource{}
	_ datasource.DataSourceWithConfigure = &groupsDataSource{}
)

// NewGroupsDataSource returns the immuta_groups data source.
func NewGroupsDataSource() datasource.DataSource {
	return &groupsDataSource{}
}

type groupsDataSource struct {
	client *marketplace.Client
}

type groupsDataSourceModel struct {
	Name         types.String `tfsdk:"name"`
	NameContains types.String `tfsdk:"name_contains"`
	IAMID        types.String `tfsdk:"iam_id"`
	Groups       []groupModel `tfsdk:"groups"`
	IDs          types.Set    `tfsdk:"ids"`
}

func (d *groupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_groups"
}

func (d *groupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Immuta **groups**, optionally filtered by name and identity manager. The filters combine " +
			"(all must match); with none it returns every group. No match is an empty list, not an error.\n\n" +
			fmt.Sprintf("The Marketplace's group list is not paged: the provider reads it in one request of up to %d groups, and ", marketplace.MetadataListLimit) +
			"warns when the answer holds that many (more groups may exist than are listed; narrow with `name_contains`).",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Keep only groups named exactly this (case-sensitive). Groups of different identity " +
					"managers may share a name; narrow with `iam_id`.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator()},
			},
			"name_contains": schema.StringAttribute{
				MarkdownDescription: "Keep only groups whose name contains this, ignoring case.",
				Optional:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"iam_id": schema.StringAttribute{
				MarkdownDescription: "Keep only groups of this identity manager, such as `bim` or `okta`.",
				Optional:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The matching groups, sorted by name, identity manager, then id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: groupListAttributes()},
			},
			"ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the matching groups.",
				Computed:            true,
				ElementType:         types.Int64Type,
			},
		},
	}
}

func (d *groupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *groupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg groupsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := groupFilter{Name: cfg.Name.ValueString(), NameContains: cfg.NameContains.ValueString(), IAMID: cfg.IAMID.ValueString()}
	// The service searches names by substring, so either name filter
	// narrows what is paged through.
	search := filter.NameContains
	if search == "" {
		search = filter.Name
	}
	all, truncated, err := d.client.ListGroups(ctx, marketplace.ListGroupsOptions{Filter: search})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to List Groups", "Listing the groups", err)
		return
	}
	if truncated {
		addTruncationWarning(&resp.Diagnostics, "groups", "Narrow the list with name or name_contains so that it holds fewer groups.")
	}
	found := filterGroups(all, filter)
	cfg.Groups = make([]groupModel, len(found))
	ids := make([]int64, len(found))
	for i, g := range found {
		cfg.Groups[i] = groupFromAPI(g)
		ids[i] = g.ID
	}
	set, diags := types.SetValueFrom(ctx, types.Int64Type, ids)
	resp.Diagnostics.Append(diags...)
	cfg.IDs = set
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
