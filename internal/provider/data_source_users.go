package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource              = &usersDataSource{}
	_ datasource.DataSourceWithConfigure = &usersDataSource{}
)

// NewUsersDataSource returns the immuta_users data source.
func NewUsersDataSource() datasource.DataSource {
	return &usersDataSource{}
}

type usersDataSource struct {
	client *marketplace.Client
}

type usersDataSourceModel struct {
	SearchText    types.String `tfsdk:"search_text"`
	Name          types.String `tfsdk:"name"`
	IAMID         types.String `tfsdk:"iam_id"`
	Users         []userModel  `tfsdk:"users"`
	GlobalUserIDs types.Set    `tfsdk:"global_user_ids"`
}

func (d *usersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_users"
}

func (d *usersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists Immuta **users**, optionally filtered. The filters combine (all must match); with none it " +
			"returns every user. No match is an empty list, not an error.\n\n" +
			fmt.Sprintf("The Marketplace's user list is not paged: the provider reads it in one request of up to %d users, and warns ", marketplace.MetadataListLimit) +
			"when the answer holds that many (more users may exist than are listed; narrow with `search_text`).",
		Attributes: map[string]schema.Attribute{
			"search_text": schema.StringAttribute{
				MarkdownDescription: "The Marketplace's own search (its `filter`): keeps users whose username, name or email contains this text, ignoring case.",
				Optional:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Keep only users whose display name is exactly this (case-sensitive). Display names need " +
					"not be unique.",
				Optional:   true,
				Validators: []validator.String{notBlankValidator()},
			},
			"iam_id": schema.StringAttribute{
				MarkdownDescription: "Keep only users of this identity manager, such as `bim` or `okta`.",
				Optional:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The matching users, sorted by name, username, identity manager, then global user id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: userListAttributes()},
			},
			"global_user_ids": schema.SetAttribute{
				MarkdownDescription: "The global user ids of the matching users.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
	}
}

func (d *usersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *usersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg usersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The service's search covers display names, so a name narrows what
	// is paged through when there is no search_text.
	search := cfg.SearchText.ValueString()
	if search == "" {
		search = cfg.Name.ValueString()
	}
	all, truncated, err := d.client.ListUsers(ctx, marketplace.ListUsersOptions{Filter: search})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to List Users", "Listing the users", err)
		return
	}
	if truncated {
		addTruncationWarning(&resp.Diagnostics, "users", "Narrow the list with search_text so that it holds fewer users.")
	}
	found := filterUsers(all, userFilter{Name: cfg.Name.ValueString(), IAMID: cfg.IAMID.ValueString()})
	cfg.Users = make([]userModel, len(found))
	ids := make([]string, len(found))
	for i, u := range found {
		cfg.Users[i] = userFromAPI(u)
		ids[i] = strings.ToLower(u.GlobalUserID)
	}
	resp.Diagnostics.Append(setStrings(ctx, &cfg.GlobalUserIDs, ids)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
