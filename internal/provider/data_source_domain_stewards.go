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
		MarkdownDescription: "**Deprecated: the published Marketplace API has no stewards endpoint.** Lists the users eligible " +
			"as **data stewards** of a domain, from `GET /api/metadata/domain/{id}/stewards`, which older Marketplace " +
			"deployments served and the published API no longer offers. Where the endpoint is missing (the service answers " +
			"404 \"Cannot GET ...\" or 405), reading this data source is an error that says so.\n\n" +
			"Instead, name the reviewers where they act: the `review_flow` approvers (users, groups, permissions, domain " +
			"permissions, attributes) of `immuta_request_form` and `immuta_data_product`, and look people up with the " +
			"`immuta_user`, `immuta_users` and `immuta_groups` data sources. An unknown domain is an error.",
		DeprecationMessage: "The published Marketplace API has no domain stewards endpoint. Name reviewers in the review_flow " +
			"approvers of request forms and data products, and look people up with immuta_user, immuta_users or immuta_groups.",
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
	if apiErr := (*marketplace.APIError)(nil); errors.As(err, &apiErr) && apiErr.IsRouteMissing() {
		resp.Diagnostics.AddError("Domain Stewards Endpoint Not Available", stewardsUnavailable(apiErr))
		return
	}
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

// stewardsUnavailable says what happened when the service has no stewards
// endpoint, and what to use instead.
func stewardsUnavailable(err error) string {
	return "This Marketplace does not offer GET /api/metadata/domain/{id}/stewards (" + err.Error() + "): the endpoint " +
		"was removed from the published Marketplace API, so the immuta_domain_stewards data source cannot list a " +
		"domain's stewards.\n\n" +
		"Instead, name the people who review requests as the review_flow approvers of immuta_request_form and " +
		"immuta_data_product (users, groups, permissions, domain permissions or attributes), and look users and " +
		"groups up with the immuta_user, immuta_users and immuta_groups data sources. Then remove this data source " +
		"from the configuration."
}
