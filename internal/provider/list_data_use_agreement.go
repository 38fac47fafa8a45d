package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

var (
	_ list.ListResource              = &dataUseAgreementListResource{}
	_ list.ListResourceWithConfigure = &dataUseAgreementListResource{}
)

// NewDataUseAgreementListResource returns the immuta_data_use_agreement
// list resource, for terraform query.
func NewDataUseAgreementListResource() list.ListResource {
	return &dataUseAgreementListResource{}
}

type dataUseAgreementListResource struct {
	client *marketplace.Client
}

// nameListModel is the configuration of the agreement and request form
// list blocks.
type nameListModel struct {
	Name      types.String `tfsdk:"name"`
	ExactName types.String `tfsdk:"exact_name"`
}

// nameListSchema filters by a substring of the name or by the exact name.
func nameListSchema(kinds string) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Lists the Marketplace's " + kinds + ", all of them unless filtered, for `terraform query` " +
			"(Terraform 1.14 and later). Each result's identity is its `id`.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only the " + kinds + " whose name contains this text (case-insensitive).",
				Optional:            true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.ConflictsWith(path.MatchRoot("exact_name")),
				},
			},
			"exact_name": schema.StringAttribute{
				MarkdownDescription: "Only the one named exactly this (case-sensitive). Conflicts with `name`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

// filter returns the service's name filter and whether it is exact.
func (m nameListModel) filter() (string, bool) {
	if exact := m.ExactName.ValueString(); exact != "" {
		return exact, true
	}
	return m.Name.ValueString(), false
}

// keeps reports whether name passes the filter: the service filters, and
// the exact name is checked here too, as its match ignores case.
func (m nameListModel) keeps(name string) bool {
	exact := m.ExactName.ValueString()
	return exact == "" || name == exact
}

func (l *dataUseAgreementListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_data_use_agreement"
}

func (l *dataUseAgreementListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = nameListSchema("data use agreements")
}

func (l *dataUseAgreementListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = clientFromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *dataUseAgreementListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := configuredList[nameListModel](ctx, req, stream)
	if !ok {
		return
	}
	name, exact := cfg.filter()
	found, err := l.client.ListDataUseAgreements(ctx, marketplace.ListDataUseAgreementsOptions{NameFilter: name, ExactMatch: exact})
	if err != nil {
		listFailed(stream, "Unable to List Data Use Agreements", "Listing data use agreements", err)
		return
	}
	var objects []listedObject
	for _, a := range found {
		if cfg.keeps(a.Name) {
			objects = append(objects, listedObject{ID: a.ID, Name: a.Name})
		}
	}
	res := &dataUseAgreementResource{client: l.client}
	streamListed(ctx, req, stream, objects, res.Read)
}
