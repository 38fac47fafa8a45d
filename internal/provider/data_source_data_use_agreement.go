package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource                     = &dataUseAgreementDataSource{}
	_ datasource.DataSourceWithConfigure        = &dataUseAgreementDataSource{}
	_ datasource.DataSourceWithConfigValidators = &dataUseAgreementDataSource{}
)

// NewDataUseAgreementDataSource returns the immuta_data_use_agreement data source.
func NewDataUseAgreementDataSource() datasource.DataSource {
	return &dataUseAgreementDataSource{}
}

type dataUseAgreementDataSource struct {
	client *marketplace.Client
}

func (d *dataUseAgreementDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_use_agreement"
}

func (d *dataUseAgreementDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing data use agreement by `id` or by exact `name`, for example one made in the " +
			"Marketplace app, so that a request form can include it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The agreement's id. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{uuidValidator()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The agreement's exact name (case-sensitive). Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"body":       schema.StringAttribute{MarkdownDescription: "The text the requester must accept.", Computed: true},
			"created_at": schema.StringAttribute{MarkdownDescription: "When the agreement was created (RFC 3339).", Computed: true},
			"created_by": schema.StringAttribute{MarkdownDescription: "The global user id of the user who created the agreement.", Computed: true},
			"updated_at": schema.StringAttribute{MarkdownDescription: "When the agreement was last changed (RFC 3339).", Computed: true},
			"updated_by": schema.StringAttribute{MarkdownDescription: "The global user id of the user who last changed the agreement.", Computed: true},
		},
	}
}

func (d *dataUseAgreementDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *dataUseAgreementDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *dataUseAgreementDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg dataUseAgreementFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Looked up by name, the id is known only from the answer.
	ctx = logObject(ctx, kindDataUseAgreement, cfg.ID.ValueString())
	id := cfg.ID.ValueString()
	if id == "" {
		name := cfg.Name.ValueString()
		found, err := findDataUseAgreementsByName(ctx, d.client, name)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to Find Data Use Agreement", fmt.Sprintf("Looking up the data use agreement named %q", name), err)
			return
		}
		switch len(found) {
		case 1:
			id = found[0].ID
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Data Use Agreement Not Found",
				fmt.Sprintf("No data use agreement is named exactly %q (names are case-sensitive).", name))
			return
		default:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Several Data Use Agreements Match",
				fmt.Sprintf("%d data use agreements are named %q: %s. Look one up by id.", len(found), name, describeRefs(found)))
			return
		}
	}
	a, err := d.client.GetDataUseAgreement(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Read Data Use Agreement", fmt.Sprintf("Reading data use agreement %s", id), err)
		return
	}
	cfg.fromAPI(a)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
