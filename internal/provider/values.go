package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// Value helpers shared by the models, resources and data sources: between
// Terraform values and Go values, and between the API's references and
// ids.

// refIDs returns the ids of refs, passing an error through.
func refIDs(refs []marketplace.ObjectRef, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(refs))
	for i, ref := range refs {
		ids[i] = ref.ID
	}
	return ids, nil
}

// describeRefs renders objects as `"name" (id)`, joined with commas.
func describeRefs(refs []marketplace.ObjectRef) string {
	parts := make([]string, len(refs))
	for i, ref := range refs {
		parts[i] = fmt.Sprintf("%q (%s)", ref.Name, ref.ID)
	}
	return strings.Join(parts, ", ")
}

// setStrings stores strings as a set value (empty, not null, when there
// are none).
func setStrings(ctx context.Context, dst *types.Set, values []string) diag.Diagnostics {
	set, diags := types.SetValueFrom(ctx, types.StringType, values)
	*dst = set
	return diags
}

// titleCase capitalises each word, for diagnostic summaries.
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// stringOrNull maps a missing or empty API string to null.
func stringOrNull(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// stringPointer maps null (or unknown) to nil.
func stringPointer(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

// setElements returns a known set's strings, sorted; nil for null or
// unknown.
func setElements(ctx context.Context, set types.Set) ([]string, diag.Diagnostics) {
	if set.IsNull() || set.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := set.ElementsAs(ctx, &out, false)
	slices.Sort(out)
	return out, diags
}

// knownString is a known value, or "" for null or unknown.
func knownString(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

// union returns the sorted union of two sorted string lists.
func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// known reports whether a value is neither null nor unknown.
func known(v attr.Value) bool { return v != nil && !v.IsNull() && !v.IsUnknown() }

// stringSetOrNull renders a list as a set, or null when it is empty (the
// schema does not admit empty sets, so that a value round-trips).
func stringSetOrNull(values []string, diags *diag.Diagnostics) types.Set {
	if len(values) == 0 {
		return types.SetNull(types.StringType)
	}
	set, d := types.SetValueFrom(context.Background(), types.StringType, values)
	diags.Append(d...)
	return set
}
