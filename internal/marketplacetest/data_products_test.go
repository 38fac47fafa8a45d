package marketplacetest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// Fixture ids the data product tests use.
const (
	salesDomain     = "1aebd69e-0ac6-51d7-94e0-6580689d4380" // data sources 101-105
	marketingDomain = "d4140859-4616-5a2e-a3c9-606e8147bc53" // data sources 106-108
	stewardUser     = "fa925e85-757e-54c1-8486-9bfa3cbcd758"
)

const productApprovePolicy = `{"rules":[],"defaultEvent":{"type":"approve","params":{"comment":"ok","duration":30,"durationUnit":"DAYS"}}}`

// productReviewPolicy sends requests to one stage of review by a user.
const productReviewPolicy = `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"all":[{"type":"USER","id":"` + stewardUser + `"}]}]}}}`

func productBodyJSON(id, name, formID, extra string) string {
	body := fmt.Sprintf(`"name":%q,"metadata":null,"domains":[%q],"dataSources":[],"dataAccessRequestFormId":%q`, name, salesDomain, formID)
	if id != "" {
		body = fmt.Sprintf(`"id":%q,`, id) + body
	}
	if extra != "" {
		body += "," + extra
	}
	return "{" + body + "}"
}

func TestCreateProductValidation(t *testing.T) {
	s := New(Options{})
	form := seedTestForm(t, s, false)
	cases := []struct {
		body, want string
	}{
		{`{}`, "name should not be empty|name must be a string|metadata must be an object or null|domains should not be empty|domains must be an array|dataSources must be an array"},
		{productBodyJSON("", "bad.name", form, ""), "name must match /^[\\p{L}\\p{M}\\p{N})(\\-_/\\\\\\s]*$/ regular expression"},
		{productBodyJSON("", "emoji 🙂", form, ""), "name must match"},
		{productBodyJSON("", strings.Repeat("n", 256), form, ""), "name must be shorter than or equal to 255 characters"},
		{productBodyJSON("", "   ", form, ""), "name should not be empty"},
		{productBodyJSON("nope", "p", form, ""), "id must be a UUID"},
		{productBodyJSON("", "p", "not-an-id", ""), "dataAccessRequestFormId must be a UUID or a cuid"},
		{productBodyJSON("", "p", form, `"maskingExceptionRequestFormId":null`), "maskingExceptionRequestFormId must be a UUID or a cuid"},
		{productBodyJSON("", "p", form, `"requestFormId":"x"`), "requestFormId must be a UUID or a cuid"},
		{productBodyJSON("", "p", form, `"maskingExceptionRequestFormId":"`+unknownFormUUID+`"`), "Request form " + unknownFormUUID + " not found."},
		{productBodyJSON("", "p", form, `"dataUsageAgreements":[]`), "property dataUsageAgreements should not exist"},
		{productBodyJSON("", "p", form, `"dataSources":null`), "dataSources must be an array"},
		{productBodyJSON("", "p", form, `"status":"NONE"`), "property status should not exist"},
		{productBodyJSON("", "p", form, `"stats":{}`), "property stats should not exist"},
		{productBodyJSON("", "p", form, `"sourceTypes":[]`), "property sourceTypes should not exist"},
		{productBodyJSON("", "p", form, `"suspended":true`), "property suspended should not exist"},
		{productBodyJSON("", "p", form, `"description":3`), "description must be a string"},
		{fmt.Sprintf(`{"name":"p","metadata":null,"domains":[],"dataSources":[],"requestFormId":%q}`, form), "domains should not be empty"},
		{fmt.Sprintf(`{"name":"p","metadata":null,"domains":[%q,%q],"dataSources":[],"requestFormId":%q}`, salesDomain, strings.ToUpper(salesDomain), form), "domains must not contain duplicates (" + salesDomain},
		{fmt.Sprintf(`{"name":"p","metadata":null,"domains":["123e4567-e89b-12d3-a456-426614174000"],"dataSources":[],"requestFormId":%q}`, form), "Domain 123e4567-e89b-12d3-a456-426614174000 not found."},
		{productBodyJSON("", "p", form, `"dataSources":[{"sourceId":"999"}]`), "Data source 999 not found."},
		{productBodyJSON("", "p", form, `"dataSources":[{"sourceId":"abc"}]`), `dataSources.0.sourceId must be a data source id (a positive integer as a string), not "abc"`},
		{productBodyJSON("", "p", form, `"dataSources":[{"sourceId":"106"}]`), `Data source 106 ("Campaign Performance") belongs to domain "Marketing" (` + marketingDomain + `), which is not one of the data product's domains.`},
		{productBodyJSON("", "p", form, `"dataSources":[{"sourceId":"101"},{"sourceId":"101"}]`), "dataSources must not contain duplicates (101 appears more than once)"},
		{strings.Replace(productBodyJSON("", "p", form, ""), `"metadata":null`, `"metadata":{"subjectMatterExpert":{"id":"123e4567-e89b-12d3-a456-426614174000"}}`, 1), "User 123e4567-e89b-12d3-a456-426614174000 not found"},
		{strings.Replace(productBodyJSON("", "p", form, ""), `"metadata":null`, `"metadata":{"subjectMatterExpert":{"id":"x"}}`, 1), "metadata.subjectMatterExpert.id must be a UUID"},
		{strings.Replace(productBodyJSON("", "p", form, ""), `"metadata":null`, `"metadata":{"other":1}`, 1), "metadata.property other should not exist"},
		{productBodyJSON("", "p", form, `"dataAccessReviewFlow":null`), "dataAccessReviewFlow must be an object"},
		{productBodyJSON("", "p", form, `"dataAccessReviewFlow":{"rules":[],"defaultEvent":{"type":"deny","params":{"comment":"no"}}}`), "dataAccessReviewFlow.defaultEvent.type must be one of the following values: approve, review"},
		{productBodyJSON("", "p", form, `"maskingExceptionReviewFlow":{"rules":[],"defaultEvent":{"type":"dataProductPolicy"}}`), "maskingExceptionReviewFlow.defaultEvent"},
		{productBodyJSON("", "p", form, `"dataAccessReviewFlow":`+productApprovePolicy+`,"dataAccessPolicy":`+productApprovePolicy), "dataAccessReviewFlow and dataAccessPolicy (its deprecated name) must not both be given"},
		{productBodyJSON("", "p", unknownFormUUID, ""), "Request form " + unknownFormUUID + " not found."},
		{productBodyJSON("", "p", unknownFormCUID, ""), "Request form " + unknownFormCUID + " not found."},
	}
	for _, c := range cases {
		code, out, raw := call(t, s, "POST", "/api/data-product", DefaultToken, c.body)
		if code != 400 || !strings.Contains(messages(out), c.want) || out["error"] != "Bad Request" {
			t.Errorf("POST %s:\n got %d %s\nwant 400 with %q", c.body, code, raw, c.want)
		}
	}
	if n := len(s.DataProducts()); n != 0 {
		t.Errorf("invalid creates stored %d products", n)
	}
}

// Well-formed ids of request forms that do not exist.
const (
	unknownFormUUID = "123e4567-e89b-12d3-a456-426614174000"
	unknownFormCUID = "cl9x0unknownform000000001"
)

// A PUT is checked against what it refers to, as a POST is, and a
// refused PUT changes nothing.
func TestUpdateProductReferences(t *testing.T) {
	s := New(Options{})
	form := seedTestForm(t, s, false)
	p, err := s.SeedDataProduct(DataProduct{Name: "Sales", Domains: []string{salesDomain}, DataAccessRequestFormID: form, SubjectMatterExpert: stewardUser})
	if err != nil {
		t.Fatal(err)
	}
	unknownUser := "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
	cases := []struct {
		body, want string
	}{
		{fmt.Sprintf(`{"requestFormId":%q}`, unknownFormUUID), "Request form " + unknownFormUUID + " not found."},
		{fmt.Sprintf(`{"requestFormId":%q}`, strings.ToUpper(unknownFormUUID)), "Request form " + unknownFormUUID + " not found."},
		{fmt.Sprintf(`{"requestFormId":%q}`, unknownFormCUID), "Request form " + unknownFormCUID + " not found."},
		{fmt.Sprintf(`{"maskingExceptionRequestFormId":%q}`, unknownFormUUID), "Request form " + unknownFormUUID + " not found."},
		{`{"dataSources":[]}`, "property dataSources should not exist"},
		{`{"dataAccessReviewFlow":null}`, "dataAccessReviewFlow must be an object"},
		{fmt.Sprintf(`{"metadata":{"subjectMatterExpert":{"id":%q}}}`, unknownUser), "User " + unknownUser + " not found"},
		// Together with a valid change, the whole PUT is refused.
		{fmt.Sprintf(`{"name":"Renamed","requestFormId":%q}`, unknownFormUUID), "Request form " + unknownFormUUID + " not found."},
		{fmt.Sprintf(`{"name":"Renamed","metadata":{"subjectMatterExpert":{"id":%q}}}`, unknownUser), "User " + unknownUser + " not found"},
	}
	for _, c := range cases {
		code, out, raw := call(t, s, "PUT", "/api/data-product/"+p.ID, DefaultToken, c.body)
		if code != 400 || !strings.Contains(messages(out), c.want) || out["error"] != "Bad Request" {
			t.Errorf("PUT %s:\n got %d %s\nwant 400 with %q", c.body, code, raw, c.want)
		}
	}
	got, _ := s.DataProduct(p.ID)
	if got.Name != "Sales" || got.DataAccessRequestFormID != form || got.MaskingExceptionRequestFormID != StandardRequestFormID || got.SubjectMatterExpert != stewardUser || got.UpdatedAt != p.UpdatedAt {
		t.Errorf("refused PUTs changed the product: %+v, was %+v", got, p)
	}
}

func TestProductLifecycle(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	s := New(Options{Now: func() time.Time { return now }})
	form := seedTestForm(t, s, false)
	id := "0B6C3F52-8F0E-4A57-9A53-4F2F1E7B2C11"
	lower := strings.ToLower(id)
	body := fmt.Sprintf(`{"id":%q,"name":"Sales / EU (2024)","description":"All sales","metadata":{"subjectMatterExpert":{"id":%q,"username":"ignored"}},
		"domains":[%q],"dataSources":[{"sourceId":"104"},{"sourceId":"101"}],"dataAccessRequestFormId":%q}`, id, stewardUser, salesDomain, form)
	code, out, raw := call(t, s, "POST", "/api/data-product", DefaultToken, body)
	if code != 201 {
		t.Fatalf("create: %d %s", code, raw)
	}
	want := map[string]any{"id": lower, "status": "NONE", "createdAt": "2026-01-02T03:04:05.006Z", "suspended": false,
		"createdBy": DefaultFixture().Users[0].GlobalUserID, "expiration": nil}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("create answered %s = %v, want %v", k, out[k], v)
		}
	}
	for _, k := range []string{"requestFormId", "dataUsageAgreements", "requestId", "dataAccessReviewFlow"} {
		if _, present := out[k]; present {
			t.Errorf("create answered %s, which a DataProduct does not have", k)
		}
	}
	// Flows never set read as the default, never as null.
	for _, k := range []string{"dataAccessPolicy", "maskingExceptionPolicy"} {
		if got, _ := json.Marshal(out[k]); !jsonEqual(string(got), DefaultProductReviewFlow) {
			t.Errorf("%s = %s, want the default %s", k, got, DefaultProductReviewFlow)
		}
	}
	if got := fmt.Sprint(out["sourceTypes"]); got != "[Databricks Snowflake]" {
		t.Errorf("sourceTypes %s", got)
	}
	if stats, _ := out["stats"].(map[string]any); stats["dataSourceCount"] != float64(2) || stats["totalRequestCount"] != float64(0) {
		t.Errorf("stats %v", out["stats"])
	}
	if md := fmt.Sprint(out["metadata"]); !strings.Contains(md, "username:steward.sales") {
		t.Errorf("metadata %s", md)
	}
	if _, present := out["dataSources"]; present {
		t.Error("the product carries its data sources; GET does not")
	}

	// Conflicts: the same id, the same name (case-sensitive).
	if code, out, _ := call(t, s, "POST", "/api/data-product", DefaultToken, productBodyJSON(lower, "Other", form, "")); code != 409 || out["message"] != "Data product with id already exists." {
		t.Errorf("repeated id: %d %v", code, out)
	}
	if code, out, _ := call(t, s, "POST", "/api/data-product", DefaultToken, productBodyJSON("", "Sales / EU (2024)", form, "")); code != 409 || out["message"] != "Data Product name in use." {
		t.Errorf("repeated name: %d %v", code, out)
	}
	if code, _, raw := call(t, s, "POST", "/api/data-product", DefaultToken, productBodyJSON("", "sales / eu (2024)", form, "")); code != 201 {
		t.Errorf("a name differing in case: %d %s", code, raw)
	}

	// Reads: by id, by escaped name, the data sources.
	if code, out, _ := call(t, s, "GET", "/api/data-product/"+lower, DefaultToken, ""); code != 200 || out["name"] != "Sales / EU (2024)" {
		t.Errorf("get: %d %v", code, out)
	}
	if code, out, _ := call(t, s, "GET", "/api/data-product/"+url.PathEscape("Sales / EU (2024)")+"/byName", DefaultToken, ""); code != 200 || out["id"] != lower {
		t.Errorf("byName: %d %v", code, out)
	}
	if code, _, _ := call(t, s, "GET", "/api/data-product/"+url.PathEscape("Sales / EU")+"/byName", DefaultToken, ""); code != 404 {
		t.Errorf("byName of a prefix: %d", code)
	}
	if code, _, raw := call(t, s, "GET", "/api/data-product/"+lower+"/datasources/all", DefaultToken, ""); code != 200 || string(raw) != `{"dataSources":[{"sourceId":"101"},{"sourceId":"104"}]}`+"\n" {
		t.Errorf("datasources/all: %d %s", code, raw)
	}
	if code, _, _ := call(t, s, "GET", "/api/data-product/not-a-uuid", DefaultToken, ""); code != 400 {
		t.Errorf("malformed id: %d", code)
	}
	if code, _, _ := call(t, s, "GET", "/api/data-product/123e4567-e89b-12d3-a456-426614174000", DefaultToken, ""); code != 404 {
		t.Errorf("unknown id: %d", code)
	}

	// Partial update: description cleared, renamed, suspended; the rest stays.
	now = now.Add(time.Minute)
	code, out, raw = call(t, s, "PUT", "/api/data-product/"+lower, DefaultToken, `{"name":"Sales","description":null,"suspended":true}`)
	if code != 200 || out["name"] != "Sales" || out["description"] != nil || out["suspended"] != true ||
		out["updatedAt"] != "2026-01-02T03:05:05.006Z" || out["createdAt"] != "2026-01-02T03:04:05.006Z" || fmt.Sprint(out["domains"]) != "["+salesDomain+"]" {
		t.Errorf("update: %d %s", code, raw)
	}
	if p, _ := s.DataProduct(lower); p.SubjectMatterExpert != stewardUser || len(p.DataSourceIDs) != 2 {
		t.Errorf("update lost fields: %+v", p)
	}
	for body, want := range map[string]string{
		`{"name":null}`:      "name must be a string",
		`{"suspended":null}`: "suspended must be a boolean value",
		`{"id":"123e4567-e89b-12d3-a456-426614174000"}`: "id must be the data product's own id",
		// Moving to another domain would leave 101 and 104 outside it.
		fmt.Sprintf(`{"domains":[%q]}`, marketingDomain): "Data source 101 (\"Web Sales 2024\") belongs to domain \"North American Sales\"",
		`{"status":"NONE"}`: "property status should not exist",
	} {
		if code, out, raw := call(t, s, "PUT", "/api/data-product/"+lower, DefaultToken, body); code != 400 || !strings.Contains(messages(out), want) {
			t.Errorf("PUT %s: %d %s, want %q", body, code, raw, want)
		}
	}
	if code, out, _ := call(t, s, "PUT", "/api/data-product/"+lower, DefaultToken, `{"name":"sales / eu (2024)"}`); code != 409 || out["message"] != "Data Product name in use." {
		t.Errorf("rename onto another: %d %v", code, out)
	}

	// Domains grow, data sources move, domains shrink.
	if code, _, raw := call(t, s, "PUT", "/api/data-product/"+lower, DefaultToken, fmt.Sprintf(`{"domains":[%q,%q]}`, salesDomain, marketingDomain)); code != 200 {
		t.Fatalf("add domain: %d %s", code, raw)
	}
	code, out, raw = call(t, s, "PUT", "/api/data-product/"+lower+"/datasources", DefaultToken, `{"dataSources":[{"sourceId":"106"},{"sourceId":"107"}]}`)
	if code != 200 || fmt.Sprint(out["sourceTypes"]) != "[Databricks]" {
		t.Fatalf("set data sources: %d %s", code, raw)
	}
	if code, out, _ := call(t, s, "PUT", "/api/data-product/"+lower+"/datasources", DefaultToken, `{"dataSources":[{"sourceId":"109"}]}`); code != 400 || !strings.Contains(messages(out), "Data source 109") {
		t.Errorf("data source of another domain: %d %v", code, out)
	}
	if code, _, raw := call(t, s, "PUT", "/api/data-product/"+lower, DefaultToken, fmt.Sprintf(`{"domains":[%q]}`, marketingDomain)); code != 200 {
		t.Fatalf("drop domain: %d %s", code, raw)
	}

	if code, _, raw := call(t, s, "PUT", "/api/data-product/"+lower+"/datasources", DefaultToken, `{"dataSources":[]}`); code != 200 {
		t.Errorf("empty the data sources: %d %s", code, raw)
	}
	if p, _ := s.DataProduct(lower); len(p.DataSourceIDs) != 0 {
		t.Errorf("data sources after emptying: %v", p.DataSourceIDs)
	}

	// Delete: 200 with no body; then 404.
	code, _, raw = call(t, s, "DELETE", "/api/data-product/"+lower, DefaultToken, "")
	if code != 200 || len(raw) != 0 {
		t.Errorf("delete: %d %q", code, raw)
	}
	if code, _, _ := call(t, s, "DELETE", "/api/data-product/"+lower, DefaultToken, ""); code != 404 {
		t.Errorf("second delete: %d", code)
	}
}

func TestProductTokenPagination(t *testing.T) {
	s := New(Options{})
	form := seedTestForm(t, s, false)
	for i := range 25 {
		if _, err := s.SeedDataProduct(DataProduct{Name: fmt.Sprintf("Product %02d", i), Domains: []string{salesDomain}, DataAccessRequestFormID: form}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	token := ""
	for range 10 {
		path := "/api/data-product?limit=10"
		if token != "" {
			path += "&nextToken=" + url.QueryEscape(token)
		}
		code, _, raw := call(t, s, "GET", path, DefaultToken, "")
		if code != 200 {
			t.Fatalf("list: %d %s", code, raw)
		}
		page := decodeTokenPage(t, raw)
		names = append(names, page.names()...)
		if token = page.Meta.NextToken; token == "" {
			break
		}
	}
	if len(names) != 25 || names[0] != "Product 00" || names[24] != "Product 24" {
		t.Errorf("listed %v", names)
	}
	if code, out, _ := call(t, s, "GET", "/api/data-product?nextToken=bogus", DefaultToken, ""); code != 400 || !strings.Contains(messages(out), "nextToken") {
		t.Errorf("bad token: %d %v", code, out)
	}
	code, _, raw := call(t, s, "GET", "/api/data-product?nameFilter=product+0&sortBy=name&sortOrder=desc&statusFilter=NONE&roleFilter=manager", DefaultToken, "")
	if got := decodeTokenPage(t, raw).names(); code != 200 || len(got) != 10 || got[0] != "Product 09" {
		t.Errorf("filtered: %d %v", code, got)
	}
	for _, q := range []string{"expiration=true", "statusFilter=APPROVED"} {
		if code, _, raw := call(t, s, "GET", "/api/data-product?"+q, DefaultToken, ""); code != 200 || len(decodeTokenPage(t, raw).Data) != 0 {
			t.Errorf("%s: %d %s, want nothing", q, code, raw)
		}
	}
	for _, q := range []string{"bogus=1", "name=Product", "limit=101", "sortBy=createdAt", "statusFilter=NOPE", "roleFilter=owner", "expiration=maybe"} {
		if code, _, _ := call(t, s, "GET", "/api/data-product?"+q, DefaultToken, ""); code != 400 {
			t.Errorf("%s: %d, want 400", q, code)
		}
	}
}

func TestProductDataSourceDetails(t *testing.T) {
	s := New(Options{})
	s.SetMaxPageSize(2)
	form := seedTestForm(t, s, false)
	p, err := s.SeedDataProduct(DataProduct{Name: "Sales", Domains: []string{salesDomain}, DataAccessRequestFormID: form, DataSourceIDs: []int{105, 101, 103}})
	if err != nil {
		t.Fatal(err)
	}
	code, _, raw := call(t, s, "GET", "/api/data-product/"+p.ID+"/datasources?limit=50", DefaultToken, "")
	page := decodeTokenPage(t, raw)
	if code != 200 || len(page.Data) != 2 || page.Meta.NextToken == "" {
		t.Fatalf("first page: %d %s", code, raw)
	}
	if first := page.Data[0]; first["sourceId"] != "103" || !isCUID(fmt.Sprint(first["id"])) || first["name"] != "Customer Accounts" || first["type"] != "Snowflake" || first["status"] != "NONE" {
		t.Errorf("first item %v", first)
	}
	code, _, raw = call(t, s, "GET", "/api/data-product/"+p.ID+"/datasources?nextToken="+url.QueryEscape(page.Meta.NextToken), DefaultToken, "")
	if page := decodeTokenPage(t, raw); code != 200 || len(page.Data) != 1 || page.Meta.NextToken != "" {
		t.Errorf("last page: %d %s", code, raw)
	}
	code, _, raw = call(t, s, "GET", "/api/data-product/"+p.ID+"/datasources?nameFilter=customer&user="+stewardUser, DefaultToken, "")
	if got := decodeTokenPage(t, raw).names(); code != 200 || fmt.Sprint(got) != "[Customer Accounts]" {
		t.Errorf("filtered: %d %s", code, raw)
	}
}

// tokenPageJSON is a token-paged answer.
type tokenPageJSON struct {
	Data []map[string]any `json:"data"`
	Meta tokenMeta        `json:"meta"`
}

func (p tokenPageJSON) names() []string {
	out := make([]string, len(p.Data))
	for i, item := range p.Data {
		out[i] = fmt.Sprint(item["name"])
	}
	return out
}

func decodeTokenPage(t *testing.T, raw []byte) tokenPageJSON {
	t.Helper()
	var page tokenPageJSON
	if err := json.Unmarshal(raw, &page); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return page
}

func TestProductGoAPI(t *testing.T) {
	s := New(Options{})
	form := seedTestForm(t, s, false)
	p, err := s.SeedDataProduct(DataProduct{Name: "Sales", Domains: []string{salesDomain}, DataAccessRequestFormID: form})
	if err != nil {
		t.Fatal(err)
	}
	if p.MaskingExceptionRequestFormID != StandardRequestFormID || p.DataAccessReviewFlow != nil {
		t.Errorf("seeded %+v, want the Standard Request Form and the default flow", p)
	}
	if _, err := s.SeedDataProduct(DataProduct{Name: "Sales", Domains: []string{salesDomain}, DataAccessRequestFormID: form}); err == nil {
		t.Error("a duplicate name was seeded")
	}
	if _, err := s.SeedDataProduct(DataProduct{Name: "Bad flow", Domains: []string{salesDomain},
		MaskingExceptionReviewFlow: json.RawMessage(`{"rules":[],"defaultEvent":{"type":"deny","params":{}}}`)}); err == nil ||
		!strings.Contains(err.Error(), "MaskingExceptionReviewFlow.defaultEvent.type") {
		t.Errorf("a flow denying by default: %v", err)
	}
	if err := s.UpdateDataProduct(p.ID, func(p *DataProduct) { p.DataAccessReviewFlow = json.RawMessage(productReviewPolicy) }); err != nil {
		t.Fatal(err)
	}
	if code, out, raw := call(t, s, "GET", "/api/data-product/"+p.ID, DefaultToken, ""); code != 200 || fmt.Sprint(out["dataAccessPolicy"]) != fmt.Sprint(decodeJSON(t, productReviewPolicy)) {
		t.Errorf("a flow set out of band: %d %s", code, raw)
	}
	if err := s.SetDataProductDataSources(p.ID, []int{102, 101}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDataProductDataSources(p.ID, []int{109}); err == nil || !strings.Contains(err.Error(), "Data source 109") {
		t.Errorf("a data source outside the domains: %v", err)
	}
	if err := s.UpdateDataProduct(p.ID, func(p *DataProduct) { p.Suspended, p.DataAccessReviewFlow = true, nil }); err != nil {
		t.Fatal(err)
	}
	got, ok := s.DataProduct(p.ID)
	if !ok || !got.Suspended || fmt.Sprint(got.DataSourceIDs) != "[101 102]" || got.DataAccessReviewFlow != nil {
		t.Errorf("stored %+v", got)
	}
	if err := s.DeleteDataProduct(p.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.DataProduct(p.ID); ok || s.DeleteDataProduct(p.ID) == nil {
		t.Error("the product survived its delete")
	}
}

func TestProductReadAfterWriteLag(t *testing.T) {
	s := New(Options{})
	s.SetReadAfterWriteLag(time.Hour)
	form := seedTestForm(t, s, false)
	id := uuid.NewString()
	if code, _, raw := call(t, s, "POST", "/api/data-product", DefaultToken, productBodyJSON(id, "Lagging", form, "")); code != 201 {
		t.Fatalf("create: %d %s", code, raw)
	}
	if code, _, _ := call(t, s, "GET", "/api/data-product/"+id, DefaultToken, ""); code != 404 {
		t.Errorf("GET inside the lag: %d", code)
	}
	if code, _, _ := call(t, s, "PUT", "/api/data-product/"+id, DefaultToken, `{"suspended":true}`); code != 200 {
		t.Errorf("PUT inside the lag: %d", code)
	}
	s.SetReadAfterWriteLag(0)
	if code, _, _ := call(t, s, "GET", "/api/data-product/"+id, DefaultToken, ""); code != 200 {
		t.Errorf("GET after the lag: %d", code)
	}
}

// seedTestForm returns the id of a request form for products to use;
// delegates makes its policy delegate the review flow to the product.
func seedTestForm(t *testing.T, s *Server, delegates bool) string {
	t.Helper()
	policy := Policy{Version: "1", DefaultEvent: PolicyEvent{Type: EventApprove, Params: &EventParams{Comment: "Approved."}}}
	if delegates {
		policy.DefaultEvent = PolicyEvent{Type: EventDataProductPolicy}
	}
	f, err := s.SeedRequestForm(RequestForm{
		Name:   "Form " + uuid.NewString()[:8],
		Fields: []FormField{{Type: FieldShortAnswer, Label: "Why?", Required: true}},
		Policy: policy,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

// A product's own flows are stored whatever its forms do (inactive while
// a form decides itself), kept across form changes, and never cleared:
// the default comes back only when sent.
func TestProductReviewFlows(t *testing.T) {
	s := New(Options{})
	delegating := seedTestForm(t, s, true)
	plain := seedTestForm(t, s, false)
	id := uuid.NewString()
	code, out, raw := call(t, s, "POST", "/api/data-product", DefaultToken,
		productBodyJSON(id, "Delegated", delegating, `"dataAccessReviewFlow":`+productApprovePolicy+`,"maskingExceptionReviewFlow":`+productReviewPolicy))
	if code != 201 {
		t.Fatalf("create: %d %s", code, raw)
	}
	if fmt.Sprint(out["dataAccessPolicy"]) != fmt.Sprint(decodeJSON(t, productApprovePolicy)) ||
		fmt.Sprint(out["maskingExceptionPolicy"]) != fmt.Sprint(decodeJSON(t, productReviewPolicy)) {
		t.Errorf("flows answered %v, %v", out["dataAccessPolicy"], out["maskingExceptionPolicy"])
	}
	// A form that decides itself keeps the flows, inactive.
	code, out, raw = call(t, s, "PUT", "/api/data-product/"+id, DefaultToken, fmt.Sprintf(`{"dataAccessRequestFormId":%q}`, plain))
	if code != 200 || fmt.Sprint(out["dataAccessPolicy"]) != fmt.Sprint(decodeJSON(t, productApprovePolicy)) {
		t.Errorf("to a plain form: %d %s", code, raw)
	}
	// The deprecated names still set the flows; the default is sent back.
	code, out, raw = call(t, s, "PUT", "/api/data-product/"+id, DefaultToken, `{"dataAccessPolicy":`+DefaultProductReviewFlow+`,"maskingExceptionReviewFlow":`+DefaultProductReviewFlow+`}`)
	if code != 200 || fmt.Sprint(out["dataAccessPolicy"]) != fmt.Sprint(decodeJSON(t, DefaultProductReviewFlow)) ||
		fmt.Sprint(out["maskingExceptionPolicy"]) != fmt.Sprint(decodeJSON(t, DefaultProductReviewFlow)) {
		t.Errorf("back to the default: %d %s", code, raw)
	}
	// Rules may decide anything; only the default event is restricted.
	withRule := `{"rules":[{"conditions":{"all":[]},"event":{"type":"deny","params":{"comment":"no"}}}],"defaultEvent":{"type":"approve","params":{}}}`
	if code, _, raw := call(t, s, "PUT", "/api/data-product/"+id, DefaultToken, `{"dataAccessReviewFlow":`+withRule+`}`); code != 200 {
		t.Errorf("a rule that denies: %d %s", code, raw)
	}
}

// requestFormId, deprecated, sets both forms; the specific ids win over
// it; GET {id}/request-forms lists the forms by request type.
func TestProductRequestForms(t *testing.T) {
	s := New(Options{})
	a := seedTestForm(t, s, false)
	b := seedTestForm(t, s, true)
	id := uuid.NewString()
	body := fmt.Sprintf(`{"id":%q,"name":"Two forms","metadata":null,"domains":[%q],"dataSources":[],"requestFormId":%q,"maskingExceptionRequestFormId":%q}`, id, salesDomain, a, b)
	if code, _, raw := call(t, s, "POST", "/api/data-product", DefaultToken, body); code != 201 {
		t.Fatalf("create: %d %s", code, raw)
	}
	forms := func() map[string]string {
		code, _, raw := call(t, s, "GET", "/api/data-product/"+id+"/request-forms", DefaultToken, "")
		var list []map[string]any
		if code != 200 || json.Unmarshal(raw, &list) != nil {
			t.Fatalf("request-forms: %d %s", code, raw)
		}
		out := map[string]string{}
		for _, f := range list {
			for _, k := range []string{"name", "fields", "policy", "createdBy", "createdAt", "updatedBy", "updatedAt", "version"} {
				if _, ok := f[k]; !ok {
					t.Errorf("request form without %s: %v", k, f)
				}
			}
			out[fmt.Sprint(f["requestType"])] = fmt.Sprint(f["id"])
		}
		return out
	}
	if got := forms(); got[RequestTypeDataAccess] != a || got[RequestTypeMaskingException] != b || len(got) != 2 {
		t.Errorf("forms %v, want %s and %s", got, a, b)
	}
	if code, _, raw := call(t, s, "PUT", "/api/data-product/"+id, DefaultToken, fmt.Sprintf(`{"requestFormId":%q}`, b)); code != 200 {
		t.Fatalf("requestFormId: %d %s", code, raw)
	}
	if got := forms(); got[RequestTypeDataAccess] != b || got[RequestTypeMaskingException] != b {
		t.Errorf("after requestFormId: %v", got)
	}
	// Left out on create: the Standard Request Form for both.
	other := uuid.NewString()
	if code, _, raw := call(t, s, "POST", "/api/data-product", DefaultToken, fmt.Sprintf(`{"id":%q,"name":"Standard","metadata":null,"domains":[%q],"dataSources":[]}`, other, salesDomain)); code != 201 {
		t.Fatalf("create without forms: %d %s", code, raw)
	}
	id = other
	if got := forms(); got[RequestTypeDataAccess] != StandardRequestFormID || got[RequestTypeMaskingException] != StandardRequestFormID {
		t.Errorf("default forms %v", got)
	}
	if code, _, _ := call(t, s, "GET", "/api/data-product/"+uuid.NewString()+"/request-forms", DefaultToken, ""); code != 404 {
		t.Errorf("request-forms of an unknown product: %d", code)
	}
}

func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func jsonEqual(a, b string) bool {
	var x, y any
	return json.Unmarshal([]byte(a), &x) == nil && json.Unmarshal([]byte(b), &y) == nil && fmt.Sprint(x) == fmt.Sprint(y)
}

func TestProductIsFormReferrer(t *testing.T) {
	s := New(Options{})
	a, err := s.SeedDataUseAgreement("Terms", "Be nice.")
	if err != nil {
		t.Fatal(err)
	}
	form, err := s.SeedRequestForm(RequestForm{
		Name: "With terms", Fields: []FormField{{Type: FieldShortAnswer, Label: "Why?", Required: true}},
		Policy:              Policy{Version: "1", DefaultEvent: PolicyEvent{Type: EventApprove, Params: &EventParams{Comment: "ok"}}},
		DataUseAgreementIDs: []string{a.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The form serves masking exception requests only: a referrer still.
	p, err := s.SeedDataProduct(DataProduct{Name: "Sales", Domains: []string{salesDomain}, MaskingExceptionRequestFormID: form.ID})
	if err != nil {
		t.Fatal(err)
	}
	code, _, raw := call(t, s, "GET", "/api/data-product/"+p.ID+"/request-forms", DefaultToken, "")
	if code != 200 || !strings.Contains(string(raw), `"dataUseAgreements":[{"id":"`+a.ID+`","name":"Terms","body":"Be nice."}]`) {
		t.Errorf("the form's agreements: %d %s", code, raw)
	}
	if code, _, raw := call(t, s, "GET", "/api/request-form/"+form.ID+"/data-products", DefaultToken, ""); code != 200 || !strings.Contains(string(raw), `"name":"Sales","requestTypes":["MASKING_EXCEPTION"]`) {
		t.Errorf("form's products: %d %s", code, raw)
	}
	if code, _, raw := call(t, s, "GET", "/api/request-form?name=With+terms", DefaultToken, ""); code != 200 || !strings.Contains(string(raw), `"associatedDomains":["`+salesDomain+`"]`) {
		t.Errorf("associatedDomains: %d %s", code, raw)
	}
	if code, out, _ := call(t, s, "DELETE", "/api/request-form/"+form.ID, DefaultToken, ""); code != 409 || !strings.Contains(messages(out), "in use by 1 data product") {
		t.Errorf("deleting a form in use: %d %v", code, out)
	}
	if err := s.DeleteDataProduct(p.ID); err != nil {
		t.Fatal(err)
	}
	if code, _, raw := call(t, s, "DELETE", "/api/request-form/"+form.ID, DefaultToken, ""); code != 204 {
		t.Errorf("deleting a form no longer used: %d %s", code, raw)
	}
	// The Standard Request Form, a cuid, serves products too.
	if _, err := s.SeedDataProduct(DataProduct{Name: "Standard", Domains: []string{salesDomain}, DataAccessRequestFormID: StandardRequestFormID}); err != nil {
		t.Errorf("a product with the Standard Request Form: %v", err)
	}
}

// The request counts a test sets are served as stats, with their total,
// and an edit through the API keeps them.
func TestProductRequestStats(t *testing.T) {
	s := New(Options{})
	form := seedTestForm(t, s, false)
	if _, err := s.SeedDataProduct(DataProduct{Name: "Bad", Domains: []string{salesDomain}, DataAccessRequestFormID: form,
		Requests: AccessRequestCounts{Denied: -1}}); err == nil || !strings.Contains(err.Error(), "must not be negative") {
		t.Errorf("negative counts seeded: %v", err)
	}
	p, err := s.SeedDataProduct(DataProduct{Name: "Sales", Domains: []string{salesDomain}, DataAccessRequestFormID: form, DataSourceIDs: []int{101},
		Requests: AccessRequestCounts{Pending: 1, Approved: 2, Revoked: 3, Canceled: 4, Denied: 5}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"approvedRequestCount":2,"canceledRequestCount":4,"dataSourceCount":1,"deniedRequestCount":5,` +
		`"pendingRequestCount":1,"revokedRequestCount":3,"totalRequestCount":15}`
	for _, c := range []struct{ method, body string }{{"GET", ""}, {"PUT", `{"name":"Sales renamed"}`}, {"GET", ""}} {
		code, out, raw := call(t, s, c.method, "/api/data-product/"+p.ID, DefaultToken, c.body)
		stats, _ := json.Marshal(out["stats"])
		if code != 200 || string(stats) != want {
			t.Errorf("%s: %d %s\nwant stats %s", c.method, code, raw, want)
		}
	}
}
