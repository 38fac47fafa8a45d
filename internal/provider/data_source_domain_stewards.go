package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource              = &domainStewardsDataSource{}
	_ datasource.DataSourceWithConfigure = &domainStewardsDataSource{}
)

// NewDomainStewardsDataSource returns the immuta_domain_stewards data source.
func NewDomainStewardsDataSource() datasource.DataSource {
	return &domainStewardsDataSource{}
}

type domainStewardsDataSource struct {
	client *marketplace.Client
}

type domainStewardsModel struct {
	DomainID      types.String `tfsdk:"domain_id"`
	Users         []userModel  `tfsdk:"users"`
	GlobalUserIDs types.Set    `tfsdk:"global_user_ids"`
}

func (d *domainStewardsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_domain_stewards"
}

func (d *domainStewardsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users eligible as **data stewards** of a domain, as the Marketplace computes them: the " +
			"domain's own stewards plus Immuta's governors and admins. Use it to check or pick who may review access " +
			"requests for the domain's data products. An unknown domain is an error.",
		Attributes: map[string]schema.Attribute{
			"domain_id": schema.StringAttribute{
				MarkdownDescription: "The id of the domain, for example `data.immuta_domain.sales.id`.",
				Required:            true,
				Validators:          []validator.String{uuidValidator()},
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The eligible stewards, sorted by name, username, identity manager, then global user id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: userListAttributes()},
			},
			"global_user_ids": schema.SetAttribute{
				MarkdownDescription: "The global user ids of the eligible stewards.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
	}
}

func (d *domainStewardsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *domainStewardsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg domainStewardsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	domainID := cfg.DomainID.ValueString()
	stewards, err := d.client.ListDomainStewards(ctx, domainID)
	if errors.Is(err, marketplace.ErrNotFound) {
		resp.Diagnostics.AddAttributeError(path.Root("domain_id"), "Domain Not Found",
			fmt.Sprintf("No domain has id %s, so it has no stewards to list. Look the domain up with the immuta_domain data source.", domainID))
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to List Domain Stewards", fmt.Sprintf("Listing the eligible stewards of domain %s", domainID), err)
		return
	}
	found := filterUsers(stewards, userFilter{})
	cfg.Users = make([]userModel, len(found))
	ids := make([]string, len(found))
	for i, u := range found {
		cfg.Users[i] = userFromAPI(u)
		ids[i] = strings.ToLower(u.GlobalUserID)
	}
	resp.Diagnostics.Append(setStrings(ctx, &cfg.GlobalUserIDs, ids)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
