package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ datasource.DataSource                     = &dataProductDataSource{}
	_ datasource.DataSourceWithConfigure        = &dataProductDataSource{}
	_ datasource.DataSourceWithConfigValidators = &dataProductDataSource{}
)

// NewDataProductDataSource returns the immuta_data_product data source.
func NewDataProductDataSource() datasource.DataSource {
	return &dataProductDataSource{}
}

type dataProductDataSource struct {
	client *marketplace.Client
}

type dataProductDataSourceModel struct {
	dataProductFields
	dataProductReviewFlowFields
	Stats             types.Object `tfsdk:"stats"`
	DataUseAgreements types.List   `tfsdk:"data_use_agreements"`
}

func (d *dataProductDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_product"
}

func (d *dataProductDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) { //nolint:funlen // schema definition
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	count := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing data product by `id` or by exact `name`, for example one published in the " +
			"Marketplace app, with its data sources and request statistics.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The product's id. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{uuidValidator()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The product's exact name (case-sensitive; names are unique). Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{notBlankValidator()},
			},
			"description": computed("What the product holds; null when it has no description."),
			"domain_ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the domains the product is built from.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"data_source_ids": schema.SetAttribute{
				MarkdownDescription: "The ids of the product's data sources, as strings.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"data_access_request_form_id":       computed("The id of the request form for data access requests."),
			"masking_exception_request_form_id": computed("The id of the request form for masking exception requests."),
			"subject_matter_expert_id":          computed("The global user id of the product's subject matter expert; null when it has none."),
			"suspended": schema.BoolAttribute{
				MarkdownDescription: "Whether access to the product is suspended.",
				Computed:            true,
			},
			"created_at": computed("When the product was published (RFC 3339)."),
			"created_by": computed("The global user id of the user who published the product."),
			"updated_at": computed("When the product was last changed (RFC 3339)."),
			"status":     computed("The status of the Terraform user's own access request for the product (`NONE` without one)."),
			"source_types": schema.SetAttribute{
				MarkdownDescription: "The platforms of the product's data sources.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"data_access_review_flow":            productReviewFlowDataSourceAttribute(productFlowDescriptions[0]),
			"data_access_review_flow_json":       productReviewFlowJSONDataSourceAttribute(productFlowDescriptions[0]),
			"masking_exception_review_flow":      productReviewFlowDataSourceAttribute(productFlowDescriptions[1]),
			"masking_exception_review_flow_json": productReviewFlowJSONDataSourceAttribute(productFlowDescriptions[1]),
			"stats": schema.SingleNestedAttribute{
				MarkdownDescription: "Counts of the product's data sources and access requests.",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"data_source_count":      count("Data sources in the product."),
					"pending_request_count":  count("Access requests waiting for a decision."),
					"approved_request_count": count("Approved access requests."),
					"revoked_request_count":  count("Revoked access requests."),
					"canceled_request_count": count("Access requests their requester canceled."),
					"denied_request_count":   count("Denied access requests."),
					"total_request_count":    count("All access requests."),
				},
			},
			"data_use_agreements": schema.ListNestedAttribute{
				MarkdownDescription: "The data use agreements of the product's request forms (of both request types, each once, " +
					"sorted by name), which requesters accept.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   computed("The agreement's id."),
					"name": computed("The agreement's name."),
				}},
			},
		},
	}
}

// productReviewFlowDataSourceAttribute is a product's typed review flow
// for one request type, read only.
func productReviewFlowDataSourceAttribute(d productFlowDescription) schema.SingleNestedAttribute {
	attr := reviewFlowDataSourceAttribute(reviewFlowOptions{JSONAttribute: d.jsonAttribute})
	attr.MarkdownDescription = fmt.Sprintf("The product's own review flow for %s, when the typed form can say it (otherwise "+
		"null; `%s` always holds it). It decides only while the form of `%s` delegates the review flow to the data product.",
		d.requests, d.jsonAttribute, d.formAttribute)
	return attr
}

// productReviewFlowJSONDataSourceAttribute is a product's review flow for
// one request type as JSON, read only.
func productReviewFlowJSONDataSourceAttribute(d productFlowDescription) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("The product's own review flow for %s as a JSON policy document, the service's "+
			"default (a review by users with the GOVERNANCE permission or the domain's \"Manage Data Products\" permission) "+
			"when none was set. It decides only while the form of `%s` delegates the review flow to the data product.",
			d.requests, d.formAttribute),
		Computed:   true,
		CustomType: jsontypes.NormalizedType{},
	}
}

func (d *dataProductDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *dataProductDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (d *dataProductDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg dataProductDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Looked up by name, the id is known only from the answer.
	ctx = logObject(ctx, kindDataProduct, cfg.ID.ValueString())
	var product *marketplace.DataProduct
	var err error
	if id := cfg.ID.ValueString(); id != "" {
		product, err = d.client.GetDataProduct(ctx, id)
		if errors.Is(err, marketplace.ErrNotFound) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Data Product Not Found", fmt.Sprintf("No data product has the id %s.", id))
			return
		}
	} else {
		name := cfg.Name.ValueString()
		product, err = d.client.GetDataProductByName(ctx, name)
		if errors.Is(err, marketplace.ErrNotFound) || (err == nil && product.Name != name) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Data Product Not Found",
				fmt.Sprintf("No data product is named exactly %q (names are case-sensitive).", name))
			return
		}
	}
	var reads productReads
	if err == nil {
		reads, err = readProductParts(ctx, d.client, product)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Unable to Read Data Product", "Reading the data product", err)
		return
	}
	resp.Diagnostics.Append(cfg.fromAPI(ctx, reads)...)
	stats, diags := dataProductStatsFromAPI(ctx, product.Stats)
	resp.Diagnostics.Append(diags...)
	agreements, diags := objectRefsFromAPI(ctx, formAgreements(reads.Forms))
	resp.Diagnostics.Append(diags...)
	cfg.Stats, cfg.DataUseAgreements = stats, agreements
	resp.Diagnostics.Append(cfg.reviewFlowsFromAPI(product, dataProductReviewFlowFields{}, flowsForDataSource)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
