package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource                     = &userDataSource{}
	_ datasource.DataSourceWithConfigure        = &userDataSource{}
	_ datasource.DataSourceWithConfigValidators = &userDataSource{}
)

// NewUserDataSource returns the immuta_user data source.
func NewUserDataSource() datasource.DataSource {
	return &userDataSource{}
}

type userDataSource struct {
	client *marketplace.Client
}

type userDataSourceModel struct {
	Username     types.String `tfsdk:"username"`
	Email        types.String `tfsdk:"email"`
	GlobalUserID types.String `tfsdk:"global_user_id"`
	IAMID        types.String `tfsdk:"iam_id"`
	UserID       types.Int64  `tfsdk:"user_id"`
	Name         types.String `tfsdk:"name"`
}

// emailPattern is a loose check that a value is an email address.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one Immuta **user** by exactly one of `username`, `email` or `global_user_id`, for " +
			"example to name a data product's subject matter expert or a request form's approver.\n\n" +
			"The same person can exist in several identity managers (say Immuta's built-in `bim` and `okta`) with the same " +
			"username or email; set `iam_id` to pick one. A lookup that matches no user, or several, is an error that says " +
			"which users matched.",
		Attributes: map[string]schema.Attribute{
			"username": schema.StringAttribute{
				MarkdownDescription: "The user's exact username in its identity manager (case-sensitive).",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The user's email address; case is ignored.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(emailPattern, "must be an email address")},
			},
			"global_user_id": schema.StringAttribute{
				MarkdownDescription: globalUserIDDescription,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{uuidValidator()},
			},
			"iam_id": schema.StringAttribute{
				MarkdownDescription: userIAMDescription + " Optional: set it to choose between users of several identity " +
					"managers that share a username or email.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{notBlankValidator()},
			},
			"user_id": schema.Int64Attribute{MarkdownDescription: userIDDescription, Computed: true},
			"name":    schema.StringAttribute{MarkdownDescription: userNameDescription, Computed: true},
		},
	}
}

func (d *userDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("username"), path.MatchRoot("email"), path.MatchRoot("global_user_id")),
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := userFilter{IAMID: cfg.IAMID.ValueString()}
	var key path.Path
	var searched, search string
	switch {
	case cfg.Username.ValueString() != "":
		filter.Username = cfg.Username.ValueString()
		key, searched, search = path.Root("username"), fmt.Sprintf("username %q (case-sensitive)", filter.Username), filter.Username
	case cfg.Email.ValueString() != "":
		filter.Email = cfg.Email.ValueString()
		key, searched, search = path.Root("email"), fmt.Sprintf("email %q (ignoring case)", filter.Email), filter.Email
	default:
		filter.GlobalUserID = cfg.GlobalUserID.ValueString()
		key, searched = path.Root("global_user_id"), "global user id "+filter.GlobalUserID
	}
	if filter.IAMID != "" {
		searched += fmt.Sprintf(" in identity manager %q", filter.IAMID)
	}

	found, truncated, err := d.findUsers(ctx, search, filter)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to List Users", "Looking up the user with "+searched, err)
		return
	}
	if truncated && len(found) != 1 {
		addTruncationWarning(&resp.Diagnostics, "users", "The user may be among those not listed; look the user up by global_user_id.")
	}
	switch len(found) {
	case 1:
		u := found[0]
		resp.Diagnostics.Append(resp.State.Set(ctx, &userDataSourceModel{
			Username:     types.StringValue(u.Username),
			Email:        types.StringValue(u.Email),
			GlobalUserID: types.StringValue(strings.ToLower(u.GlobalUserID)),
			IAMID:        types.StringValue(u.IAMID),
			UserID:       types.Int64Value(u.ID),
			Name:         types.StringValue(u.Name),
		})...)
	case 0:
		resp.Diagnostics.AddAttributeError(key, "User Not Found", fmt.Sprintf("No user has %s.", searched))
	default:
		hint := "Set iam_id to the identity manager of the user you mean, or look the user up by global_user_id."
		if filter.IAMID != "" {
			hint = "Look the user up by global_user_id."
		}
		resp.Diagnostics.AddAttributeError(key, "Several Users Match",
			fmt.Sprintf("%d users have %s: %s. %s", len(found), searched, describeUsers(found), hint))
	}
}

// findUsers lists the users that match. A global user id is asked for
// directly (globalUserId). Otherwise it asks the service to search for
// the username or email first; should that find no exact match (the
// service's search may cover other fields than assumed), it filters the
// full list before concluding that none exists. truncated reports that
// the list read last may have been cut short.
func (d *userDataSource) findUsers(ctx context.Context, search string, filter userFilter) ([]marketplace.User, bool, error) {
	if filter.GlobalUserID != "" {
		users, truncated, err := d.client.ListUsers(ctx, marketplace.ListUsersOptions{GlobalUserIDs: []string{strings.ToLower(filter.GlobalUserID)}})
		if err != nil {
			return nil, false, err
		}
		return filterUsers(users, filter), truncated, nil
	}
	if search != "" {
		candidates, truncated, err := d.client.ListUsers(ctx, marketplace.ListUsersOptions{Filter: search})
		if err != nil {
			return nil, false, err
		}
		if found := filterUsers(candidates, filter); len(found) > 0 {
			return found, truncated, nil
		}
	}
	all, truncated, err := d.client.ListUsers(ctx, marketplace.ListUsersOptions{})
	if err != nil {
		return nil, false, err
	}
	return filterUsers(all, filter), truncated, nil
}
