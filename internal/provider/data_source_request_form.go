package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource                     = &requestFormDataSource{}
	_ datasource.DataSourceWithConfigure        = &requestFormDataSource{}
	_ datasource.DataSourceWithConfigValidators = &requestFormDataSource{}
)

// NewRequestFormDataSource returns the immuta_request_form data source.
func NewRequestFormDataSource() datasource.DataSource {
	return &requestFormDataSource{}
}

type requestFormDataSource struct {
	client *marketplace.Client
}

func (d *requestFormDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_request_form"
}

func (d *requestFormDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing request form by `id` or by exact `name`, for example one made in the " +
			"Marketplace app or the built-in \"Standard Request Form\", so that a data product can use it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The form's id, a UUID. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{lowerUUIDValidator()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The form's exact name (case-sensitive). Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"field": schema.ListNestedAttribute{
				MarkdownDescription: "The questions, in the order shown.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":       computed("The question's id."),
					"type":     computed("The answer format: `TEXT`, `DROPDOWN`, `CHECKBOX` or `ACCESS_DURATION`."),
					"label":    computed("The question."),
					"required": schema.BoolAttribute{MarkdownDescription: "Whether the requester must answer.", Computed: true},
					"options": schema.ListAttribute{
						MarkdownDescription: "The choices, in order (empty for `TEXT`; set by the Marketplace for `ACCESS_DURATION`).",
						Computed:            true, ElementType: types.StringType,
					},
				}},
			},
			"review_flow": reviewFlowDataSourceAttribute(reviewFlowOptions{RequestForm: true, JSONAttribute: "policy_json"}),
			"policy_json": schema.StringAttribute{
				MarkdownDescription: "The review-flow policy document as JSON, always set.",
				Computed:            true,
				CustomType:          jsontypes.NormalizedType{},
			},
			"data_use_agreement_ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the data use agreements a requester must accept.",
				Computed:            true, ElementType: types.StringType,
			},
			"version":    computed("The form's current version."),
			"created_at": computed("When the form was created (RFC 3339)."),
			"created_by": computed("The global user id of the user who created the form."),
			"updated_at": computed("When the form was last changed (RFC 3339)."),
			"updated_by": computed("The global user id of the user who last changed the form."),
		},
	}
}

func (d *requestFormDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *requestFormDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *requestFormDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg requestFormFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Looked up by name, the id is known only from the answer.
	ctx = logObject(ctx, kindRequestForm, cfg.ID.ValueString())
	id := cfg.ID.ValueString()
	if id == "" {
		name := cfg.Name.ValueString()
		found, err := findRequestFormsByName(ctx, d.client, name)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Unable to Find Request Form", fmt.Sprintf("Looking up the request form named %q", name), err)
			return
		}
		var diags diag.Diagnostics
		id, diags = pickRequestFormByName(found, name)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	f, err := d.client.GetRequestForm(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Read Request Form", fmt.Sprintf("Reading request form %s", id), err)
		return
	}
	resp.Diagnostics.Append(cfg.fromAPI(f, requestFormReadMode{dataSource: true})...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// pickRequestFormByName returns the id of the one form a lookup by exact
// name found, or an error on "name" that says none or several.
func pickRequestFormByName(found []marketplace.ObjectRef, name string) (string, diag.Diagnostics) {
	const kind = "request form"
	var diags diag.Diagnostics
	switch len(found) {
	case 1:
		return found[0].ID, nil
	case 0:
		diags.AddAttributeError(path.Root("name"), titleCase(kind)+" Not Found",
			fmt.Sprintf("No %s is named exactly %q (names are case-sensitive).", kind, name))
	default:
		diags.AddAttributeError(path.Root("name"), "Several Objects Match",
			fmt.Sprintf("%d objects of kind %s are named %q: %s. Look one up by id.", len(found), kind, name, describeRefs(found)))
	}
	return "", diags
}
