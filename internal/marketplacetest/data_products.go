package marketplacetest

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Limits on data products, from the API documentation.
const (
	MaxDataProductNameLength = 255
	// DataProductNamePattern is the documented pattern of a name: Unicode
	// letters, marks and digits, white space and ( ) - _ / \.
	DataProductNamePattern = `^[\p{L}\p{M}\p{N})(\-_/\\\s]*$`
	// MaxDataProductPageSize is the largest limit a product list takes.
	MaxDataProductPageSize = 100
)

// Request types of a data product's forms and review flows.
const (
	RequestTypeDataAccess       = "DATA_ACCESS"
	RequestTypeMaskingException = "MASKING_EXCEPTION"
)

// DefaultProductReviewFlow is the review flow a data product has for a
// request type nobody gave it one for; responses carry it in place of
// null.
const DefaultProductReviewFlow = `{"rules":[],"defaultEvent":{"type":"review","params":{"stages":[{"any":[` +
	`{"type":"PERMISSION","permission":"GOVERNANCE"},{"type":"DOMAIN PERMISSION","permission":"Manage Data Products"}]}]}}}`

// Access request statuses; the emulator has no access requests, so the
// caller's status for every product is AccessStatusNone.
const AccessStatusNone = "NONE"

var dataProductNameRegexp = regexp.MustCompile(DataProductNamePattern)

// DataProduct is the stored form of a data product. The API's computed
// fields (status, stats, sourceTypes, dataUsageAgreements) are derived
// from it when it is served.
type DataProduct struct {
	ID          string
	Name        string
	Description *string
	// Domains are domain ids, in the order they were given.
	Domains []string
	// DataSourceIDs are the fixture's data source ids, ascending.
	DataSourceIDs []int
	// DataAccessRequestFormID and MaskingExceptionRequestFormID are the
	// forms of the two request types; "" (in SeedDataProduct and
	// UpdateDataProduct) means the Standard Request Form.
	DataAccessRequestFormID       string
	MaskingExceptionRequestFormID string
	// SubjectMatterExpert is a global user id, or "" for none.
	SubjectMatterExpert string
	// DataAccessReviewFlow and MaskingExceptionReviewFlow are the
	// product's own review flows, policy documents stored as sent
	// (compacted); nil is DefaultProductReviewFlow. A flow applies only
	// while the form of its request type delegates to the data product.
	DataAccessReviewFlow       json.RawMessage
	MaskingExceptionReviewFlow json.RawMessage
	Suspended                  bool
	// Requests counts the product's access requests by outcome. The
	// emulator takes no access requests, so only tests set them (through
	// SeedDataProduct or UpdateDataProduct); they are served as stats.
	Requests AccessRequestCounts
	// CreatedBy is the creator's global user id.
	CreatedBy string
	CreatedAt string
	UpdatedAt string
}

func (p *DataProduct) clone() DataProduct {
	c := *p
	if p.Description != nil {
		d := *p.Description
		c.Description = &d
	}
	c.Domains = slices.Clone(p.Domains)
	c.DataSourceIDs = slices.Clone(p.DataSourceIDs)
	c.DataAccessReviewFlow = slices.Clone(p.DataAccessReviewFlow)
	c.MaskingExceptionReviewFlow = slices.Clone(p.MaskingExceptionReviewFlow)
	return c
}

// dataProductBody is a data product as the API returns it (the
// contract's DataProduct). expiration and requestId, which describe the
// caller's own access request, are left out: the emulator has none.
type dataProductBody struct {
	ID                     string               `json:"id"`
	Name                   string               `json:"name"`
	Description            *string              `json:"description"`
	Domains                []string             `json:"domains"`
	Suspended              bool                 `json:"suspended"`
	CreatedBy              string               `json:"createdBy"`
	CreatedAt              string               `json:"createdAt"`
	UpdatedAt              string               `json:"updatedAt"`
	Status                 string               `json:"status"`
	Expiration             *string              `json:"expiration"`
	Stats                  dataProductStats     `json:"stats"`
	SourceTypes            []string             `json:"sourceTypes"`
	Metadata               *productMetadataBody `json:"metadata"`
	DataAccessPolicy       json.RawMessage      `json:"dataAccessPolicy"`
	MaskingExceptionPolicy json.RawMessage      `json:"maskingExceptionPolicy"`
}

// reviewFlowOrDefault is a stored flow as responses carry it.
func reviewFlowOrDefault(flow json.RawMessage) json.RawMessage {
	if flow == nil {
		return json.RawMessage(DefaultProductReviewFlow)
	}
	return slices.Clone(flow)
}

// AccessRequestCounts counts a data product's access requests by outcome.
type AccessRequestCounts struct {
	Pending, Approved, Revoked, Canceled, Denied int
}

type dataProductStats struct {
	DataSourceCount      int `json:"dataSourceCount"`
	PendingRequestCount  int `json:"pendingRequestCount"`
	ApprovedRequestCount int `json:"approvedRequestCount"`
	RevokedRequestCount  int `json:"revokedRequestCount"`
	CanceledRequestCount int `json:"canceledRequestCount"`
	DeniedRequestCount   int `json:"deniedRequestCount"`
	TotalRequestCount    int `json:"totalRequestCount"`
}

type productMetadataBody struct {
	SubjectMatterExpert *smeBody `json:"subjectMatterExpert"`
}

type smeBody struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// productDataSourceBody is a data source as GET {id}/datasources lists it
// (PaginatedDataSourceWithStatus): id is the cuid of the data source's
// membership in the product, sourceId the data source's id.
type productDataSourceBody struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	SourceID string `json:"sourceId"`
	Hostname string `json:"hostname"`
	Database string `json:"database"`
	Schema   string `json:"schema"`
	Table    string `json:"table"`
	Prefix   string `json:"prefix"`
	Status   string `json:"status"`
}

// membershipID is the stable cuid of a data source's membership in a
// product.
func membershipID(productID string, sourceID int) string {
	sum := sha256.Sum256([]byte(productID + "/" + strconv.Itoa(sourceID)))
	var n big.Int
	digits := n.SetBytes(sum[:]).Text(36)
	return "c" + (digits + strings.Repeat("0", 24))[:24]
}

type sourceRefBody struct {
	SourceID *string `json:"sourceId"`
}

// productWriteBody is the body of POST (CreateDataProduct) and PUT
// (UpdateDataProduct). Properties that may be null are kept raw, so that
// absent and null can be told apart.
type productWriteBody struct {
	ID          *string          `json:"id"`
	Name        *string          `json:"name"`
	Description json.RawMessage  `json:"description"`
	Metadata    json.RawMessage  `json:"metadata"`
	Domains     *[]string        `json:"domains"`
	DataSources *[]sourceRefBody `json:"dataSources"`
	// RequestFormID is deprecated: it sets both forms.
	RequestFormID                 *string         `json:"requestFormId"`
	DataAccessRequestFormID       *string         `json:"dataAccessRequestFormId"`
	MaskingExceptionRequestFormID *string         `json:"maskingExceptionRequestFormId"`
	DataAccessReviewFlow          json.RawMessage `json:"dataAccessReviewFlow"`
	MaskingExceptionReviewFlow    json.RawMessage `json:"maskingExceptionReviewFlow"`
	// DataAccessPolicy and MaskingExceptionPolicy are the deprecated names
	// of the two review flows.
	DataAccessPolicy       json.RawMessage `json:"dataAccessPolicy"`
	MaskingExceptionPolicy json.RawMessage `json:"maskingExceptionPolicy"`
	// Suspended is taken by PUT only.
	Suspended *bool `json:"suspended"`
}

type productDataSourcesBody struct {
	DataSources *[]sourceRefBody `json:"dataSources"`
}

func (s *Server) routeDataProducts() {
	s.handle("POST /api/data-product", s.createProduct)
	s.handle("GET /api/data-product", s.listProducts)
	s.handle("GET /api/data-product/{id}", s.getProduct)
	s.handle("GET /api/data-product/{name}/byName", s.getProductByName)
	s.handle("PUT /api/data-product/{id}", s.updateProduct)
	s.handle("DELETE /api/data-product/{id}", s.deleteProduct)
	s.handle("PUT /api/data-product/{id}/datasources", s.setProductDataSources)
	s.handle("GET /api/data-product/{id}/datasources", s.listProductDataSources)
	s.handle("GET /api/data-product/{id}/datasources/all", s.allProductDataSources)
	s.handle("GET /api/data-product/{id}/request-forms", s.productRequestForms)
	s.formReferrers = append(s.formReferrers, s.productsUsingForm)
	s.formDomains = append(s.formDomains, s.productDomainsUsingForm)
}

// readProductBody decodes a write body strictly and also returns which
// properties it had and which of them were null.
func readProductBody(r *http.Request, dst any) (present map[string]bool, nulls map[string]bool, msgs []string) {
	data, _ := io.ReadAll(r.Body)
	if msgs := decodeJSONObject(data, dst); msgs != nil {
		return nil, nil, msgs
	}
	var raw map[string]json.RawMessage
	if len(bytes.TrimSpace(data)) > 0 {
		_ = json.Unmarshal(data, &raw)
	}
	present, nulls = map[string]bool{}, map[string]bool{}
	for k, v := range raw {
		present[k] = true
		if string(bytes.TrimSpace(v)) == "null" {
			nulls[k] = true
		}
	}
	return present, nulls, nil
}

// productDraft is a product being validated: the stored product with a
// create's or an update's changes applied.
type productDraft struct {
	DataProduct
	// dataSourcesGiven is set when the body listed data sources.
	dataSourcesGiven bool
}

// checkProductFields checks the shape of the properties a POST or PUT
// body has, and applies them to d. present and nulls come from
// readProductBody.
func (s *Server) checkProductFields(in *productWriteBody, present, nulls map[string]bool, d *productDraft, msgs *checks) {
	checkProductDescriptors(in, present, nulls, d, msgs)
	checkProductDomainsAndSources(in, present, nulls, d, msgs)
	checkProductFormIDs(in, present, nulls, d, msgs)
	s.checkProductReviewFlows(in, present, nulls, d, msgs)
}

// checkProductDescriptors checks and applies name, description and
// metadata.
func checkProductDescriptors(in *productWriteBody, present, nulls map[string]bool, d *productDraft, msgs *checks) {
	if present["name"] {
		if nulls["name"] {
			msgs.add("name must be a string")
		} else {
			checkProductName(*in.Name, msgs)
			d.Name = *in.Name
		}
	}
	if present["description"] {
		checkProductDescription(in.Description, nulls["description"], d, msgs)
	}
	if present["metadata"] {
		d.SubjectMatterExpert = checkProductMetadata(in.Metadata, nulls["metadata"], msgs)
	}
}

// checkProductDescription checks and applies a description the body has;
// null clears it.
func checkProductDescription(raw json.RawMessage, null bool, d *productDraft, msgs *checks) {
	if null {
		d.Description = nil
		return
	}
	var desc string
	if json.Unmarshal(raw, &desc) != nil {
		msgs.add("description must be a string")
		return
	}
	d.Description = &desc
}

// checkProductDomainsAndSources checks and applies domains and
// dataSources.
func checkProductDomainsAndSources(in *productWriteBody, present, nulls map[string]bool, d *productDraft, msgs *checks) {
	if present["domains"] {
		if nulls["domains"] {
			msgs.add("domains must be an array")
		} else {
			d.Domains = checkDomainList(*in.Domains, msgs)
		}
	}
	if present["dataSources"] {
		if nulls["dataSources"] {
			msgs.add("dataSources must be an array")
		} else {
			d.DataSourceIDs = checkSourceRefs(*in.DataSources, msgs)
			d.dataSourcesGiven = true
		}
	}
}

// checkProductFormIDs checks and applies the request form ids:
// requestFormId and the two specific ones.
func checkProductFormIDs(in *productWriteBody, present, nulls map[string]bool, d *productDraft, msgs *checks) {
	formIDs := []struct {
		name string
		v    *string
		dst  []*string
	}{
		// The deprecated field goes first, so that the specific ones win.
		{"requestFormId", in.RequestFormID, []*string{&d.DataAccessRequestFormID, &d.MaskingExceptionRequestFormID}},
		{"dataAccessRequestFormId", in.DataAccessRequestFormID, []*string{&d.DataAccessRequestFormID}},
		{"maskingExceptionRequestFormId", in.MaskingExceptionRequestFormID, []*string{&d.MaskingExceptionRequestFormID}},
	}
	for _, f := range formIDs {
		if !present[f.name] {
			continue
		}
		var id string
		switch {
		case nulls[f.name]:
			msgs.add("%s must be a UUID or a cuid", f.name)
			continue
		case isUUID(*f.v):
			id = strings.ToLower(*f.v)
		case isCUID(*f.v):
			id = *f.v
		default:
			msgs.add("%s must be a UUID or a cuid", f.name)
			continue
		}
		for _, dst := range f.dst {
			*dst = id
		}
	}
}

// checkProductReviewFlows checks and applies the two review flows, each
// given by its name or its deprecated one.
func (s *Server) checkProductReviewFlows(in *productWriteBody, present, nulls map[string]bool, d *productDraft, msgs *checks) {
	for _, f := range []struct {
		name, deprecated   string
		raw, deprecatedRaw json.RawMessage
		dst                *json.RawMessage
	}{
		{"dataAccessReviewFlow", "dataAccessPolicy", in.DataAccessReviewFlow, in.DataAccessPolicy, &d.DataAccessReviewFlow},
		{"maskingExceptionReviewFlow", "maskingExceptionPolicy", in.MaskingExceptionReviewFlow, in.MaskingExceptionPolicy, &d.MaskingExceptionReviewFlow},
	} {
		name, raw := f.name, f.raw
		switch {
		case present[f.name] && present[f.deprecated]:
			msgs.add("%s and %s (its deprecated name) must not both be given", f.name, f.deprecated)
			continue
		case present[f.deprecated]:
			name, raw = f.deprecated, f.deprecatedRaw
		case !present[f.name]:
			continue
		}
		if nulls[name] {
			// The contract's flows are objects, never null: the default
			// is restored by sending it.
			msgs.add("%s must be an object", name)
			continue
		}
		if flow, ok := s.checkProductReviewFlow(raw, name, msgs); ok {
			*f.dst = flow
			if isDefaultProductReviewFlow(flow) {
				*f.dst = nil // sending the default restores it: the flow is unset again
			}
		}
	}
}

// isDefaultProductReviewFlow reports whether a flow means the same as
// DefaultProductReviewFlow, whatever its key order or spacing.
func isDefaultProductReviewFlow(flow json.RawMessage) bool {
	var a, b any
	return json.Unmarshal(flow, &a) == nil && json.Unmarshal([]byte(DefaultProductReviewFlow), &b) == nil && reflect.DeepEqual(a, b)
}

// checkProductReviewFlow validates a product's own review flow: a policy
// document as a request form's, except that the default event may only
// approve or send to review (checkPolicy's product options). It returns
// the document compacted.
func (s *Server) checkProductReviewFlow(raw json.RawMessage, at string, msgs *checks) (json.RawMessage, bool) {
	before := len(*msgs)
	s.checkPolicy(raw, at, policyOptions{}, msgs)
	if len(*msgs) > before {
		return nil, false
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		msgs.add("%s must be an object", at)
		return nil, false
	}
	return buf.Bytes(), true
}

func checkProductName(name string, msgs *checks) {
	switch n := len([]rune(name)); {
	case strings.TrimSpace(name) == "":
		msgs.add("name should not be empty")
	case n > MaxDataProductNameLength:
		msgs.add("name must be shorter than or equal to %d characters", MaxDataProductNameLength)
	}
	if !dataProductNameRegexp.MatchString(name) {
		msgs.add("name must match %s regular expression", "/"+DataProductNamePattern+"/")
	}
}

// checkProductMetadata reads {"subjectMatterExpert": {"id": ...}} (or
// null, or an object without a subject matter expert) and returns the
// expert's global user id.
func checkProductMetadata(raw json.RawMessage, null bool, msgs *checks) string {
	if null {
		return ""
	}
	var md struct {
		SubjectMatterExpert json.RawMessage `json:"subjectMatterExpert"`
	}
	if m := decodeJSONObject(raw, &md); m != nil {
		if strings.HasPrefix(m[0], "property ") {
			for _, x := range m {
				msgs.add("metadata.%s", x)
			}
		} else {
			msgs.add("metadata must be an object")
		}
		return ""
	}
	if len(md.SubjectMatterExpert) == 0 || string(md.SubjectMatterExpert) == "null" {
		return ""
	}
	// The documentation's examples also send the expert's username and
	// name; they are accepted and ignored (the user's own are served).
	var sme struct {
		ID       *string `json:"id"`
		Username *string `json:"username"`
		Name     *string `json:"name"`
	}
	if m := decodeJSONObject(md.SubjectMatterExpert, &sme); m != nil {
		for _, x := range m {
			msgs.add("metadata.subjectMatterExpert.%s", x)
		}
		return ""
	}
	if sme.ID == nil || !isUUID(*sme.ID) {
		msgs.add("metadata.subjectMatterExpert.id must be a UUID")
		return ""
	}
	return strings.ToLower(*sme.ID)
}

func checkDomainList(domains []string, msgs *checks) []string {
	if len(domains) == 0 {
		msgs.add("domains should not be empty")
		return nil
	}
	out := make([]string, 0, len(domains))
	seen := map[string]bool{}
	for _, id := range domains {
		if !isUUID(id) {
			msgs.add("each value in domains must be a UUID (got %q)", id)
			continue
		}
		id = strings.ToLower(id)
		if seen[id] {
			msgs.add("domains must not contain duplicates (%s appears more than once)", id)
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

func checkSourceRefs(refs []sourceRefBody, msgs *checks) []int {
	ids := make([]int, 0, len(refs))
	seen := map[int]bool{}
	for i, ref := range refs {
		if ref.SourceID == nil {
			msgs.add("dataSources.%d.sourceId must be a string", i)
			continue
		}
		n, err := strconv.Atoi(*ref.SourceID)
		if err != nil || n <= 0 || strconv.Itoa(n) != *ref.SourceID {
			msgs.add("dataSources.%d.sourceId must be a data source id (a positive integer as a string), not %q", i, *ref.SourceID)
			continue
		}
		if seen[n] {
			msgs.add("dataSources must not contain duplicates (%d appears more than once)", n)
			continue
		}
		seen[n] = true
		ids = append(ids, n)
	}
	slices.Sort(ids)
	return ids
}

// checkProductReferences checks what a draft refers to: its domains, data
// sources, request forms and subject matter expert. A review flow is kept
// whether or not its request type's form delegates (it is inactive while
// the form decides itself). The caller holds s.mu.
func (s *Server) checkProductReferences(d *productDraft, msgs *checks) {
	inDomain := map[string]bool{}
	for _, id := range d.Domains {
		if _, ok := s.fixture.Domain(id); !ok {
			msgs.add("Domain %s not found.", id)
		}
		inDomain[id] = true
	}
	for _, id := range d.DataSourceIDs {
		ds, ok := s.fixture.DataSource(id)
		switch {
		case !ok:
			msgs.add("Data source %d not found.", id)
		case !inDomain[strings.ToLower(ds.DomainID)]:
			domainName := ds.DomainID
			if dom, ok := s.fixture.Domain(ds.DomainID); ok {
				domainName = fmt.Sprintf("%q (%s)", dom.Name, dom.ID)
			}
			msgs.add("Data source %d (%q) belongs to domain %s, which is not one of the data product's domains.", id, ds.Name, domainName)
		}
	}
	if d.SubjectMatterExpert != "" {
		if _, ok := s.fixture.User(d.SubjectMatterExpert); !ok {
			msgs.add("User %s not found: metadata.subjectMatterExpert.id must be a global user id.", d.SubjectMatterExpert)
		}
	}
	if d.DataAccessRequestFormID == "" {
		d.DataAccessRequestFormID = StandardRequestFormID
	}
	if d.MaskingExceptionRequestFormID == "" {
		d.MaskingExceptionRequestFormID = StandardRequestFormID
	}
	for _, id := range []string{d.DataAccessRequestFormID, d.MaskingExceptionRequestFormID} {
		if exists, _ := s.requestFormStatus(id); !exists {
			msgs.add("Request form %s not found.", id)
			if d.DataAccessRequestFormID == d.MaskingExceptionRequestFormID {
				break
			}
		}
	}
}

func (s *Server) productNameTaken(name, exceptID string) bool {
	for id, p := range s.dataProducts {
		if id != exceptID && p.Name == name {
			return true
		}
	}
	return false
}

func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	var in productWriteBody
	present, nulls, decodeMsgs := readProductBody(r, &in)
	if decodeMsgs != nil {
		writeValidation(w, decodeMsgs)
		return
	}
	if present["suspended"] {
		// POST does not take it: a product is published unsuspended.
		writeValidation(w, []string{"property suspended should not exist"})
		return
	}
	var msgs checks
	var d productDraft
	if present["id"] && (in.ID == nil || !isUUID(*in.ID)) {
		msgs.add("id must be a UUID")
	}
	if !present["name"] {
		msgs.add("name should not be empty")
		msgs.add("name must be a string")
	}
	if !present["metadata"] {
		msgs.add("metadata must be an object or null")
	}
	if !present["domains"] {
		msgs.add("domains should not be empty")
		msgs.add("domains must be an array")
	}
	if !present["dataSources"] {
		msgs.add("dataSources must be an array")
	}
	s.checkProductFields(&in, present, nulls, &d, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checkProductReferences(&d, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	d.ID = uuid.NewString()
	if in.ID != nil {
		d.ID = strings.ToLower(*in.ID)
	}
	if _, ok := s.dataProducts[d.ID]; ok {
		writeError(w, http.StatusConflict, "Data product with id already exists.")
		return
	}
	if s.productNameTaken(d.Name, "") {
		writeError(w, http.StatusConflict, "Data Product name in use.")
		return
	}
	now := s.timestamp()
	p := d.DataProduct
	p.CreatedBy, p.CreatedAt, p.UpdatedAt = s.caller.GlobalUserID, now, now
	s.dataProducts[p.ID] = &p
	s.noteCreated(p.ID)
	writeJSON(w, http.StatusCreated, s.productBody(&p))
}

// lookupProduct answers 400 or 404 itself when it returns nil. The
// caller holds s.mu.
func (s *Server) lookupProduct(w http.ResponseWriter, r *http.Request) *DataProduct {
	id := r.PathValue("id")
	if !isUUID(id) {
		writeError(w, http.StatusBadRequest, uuidPathError)
		return nil
	}
	p, ok := s.dataProducts[strings.ToLower(id)]
	if !ok || (r.Method == http.MethodGet && r.URL.Path == BasePath+"/api/data-product/"+id && s.hiddenByLag(p.ID)) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Data product %s not found.", id))
		return nil
	}
	return p
}

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	if msgs := checkQuery(r); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.lookupProduct(w, r); p != nil {
		writeJSON(w, http.StatusOK, s.productBody(p))
	}
}

func (s *Server) getProductByName(w http.ResponseWriter, r *http.Request) {
	if msgs := checkQuery(r); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	name := r.PathValue("name")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.dataProducts {
		if p.Name == name && !s.hiddenByLag(p.ID) {
			writeJSON(w, http.StatusOK, s.productBody(p))
			return
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("Data product %s not found.", name))
}

func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request) {
	var in productWriteBody
	present, nulls, decodeMsgs := readProductBody(r, &in)
	if decodeMsgs != nil {
		writeValidation(w, decodeMsgs)
		return
	}
	if present["dataSources"] {
		// UpdateDataProduct has no dataSources: PUT {id}/datasources sets them.
		writeValidation(w, []string{"property dataSources should not exist"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.lookupProduct(w, r)
	if p == nil {
		return
	}
	var msgs checks
	d := productDraft{DataProduct: p.clone()}
	if present["id"] && (in.ID == nil || !strings.EqualFold(*in.ID, p.ID)) {
		msgs.add("id must be the data product's own id (%s)", p.ID)
	}
	if present["suspended"] && in.Suspended == nil {
		msgs.add("suspended must be a boolean value")
	}
	s.checkProductFields(&in, present, nulls, &d, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.checkProductReferences(&d, &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	if s.productNameTaken(d.Name, p.ID) {
		writeError(w, http.StatusConflict, "Data Product name in use.")
		return
	}
	if in.Suspended != nil {
		d.Suspended = *in.Suspended
	}
	*p = d.DataProduct
	p.UpdatedAt = s.timestamp()
	writeJSON(w, http.StatusOK, s.productBody(p))
}

func (s *Server) setProductDataSources(w http.ResponseWriter, r *http.Request) {
	var in productDataSourcesBody
	present, nulls, decodeMsgs := readProductBody(r, &in)
	if decodeMsgs != nil {
		writeValidation(w, decodeMsgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.lookupProduct(w, r)
	if p == nil {
		return
	}
	var msgs checks
	if !present["dataSources"] || nulls["dataSources"] {
		writeValidation(w, []string{"dataSources must be an array"})
		return
	}
	d := productDraft{DataProduct: p.clone()}
	d.DataSourceIDs = checkSourceRefs(*in.DataSources, &msgs)
	if len(msgs) == 0 {
		s.checkProductReferences(&d, &msgs)
	}
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	p.DataSourceIDs = d.DataSourceIDs
	p.UpdatedAt = s.timestamp()
	writeJSON(w, http.StatusOK, s.productBody(p))
}

func (s *Server) deleteProduct(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.lookupProduct(w, r)
	if p == nil {
		return
	}
	// Deleting revokes every access granted through the product; the
	// emulator has no access requests, so there is nothing else to undo.
	delete(s.dataProducts, p.ID)
	w.WriteHeader(http.StatusOK)
}

func (s *Server) allProductDataSources(w http.ResponseWriter, r *http.Request) {
	if msgs := checkQuery(r); len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.lookupProduct(w, r)
	if p == nil {
		return
	}
	refs := make([]map[string]string, len(p.DataSourceIDs))
	for i, id := range p.DataSourceIDs {
		refs[i] = map[string]string{"sourceId": strconv.Itoa(id)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"dataSources": refs})
}

func (s *Server) listProductDataSources(w http.ResponseWriter, r *http.Request) {
	msgs := checkQuery(r, "nextToken", "limit", "user", "nameFilter")
	p, pageMsgs := s.parseTokenPaging(r, 10)
	msgs = append(msgs, pageMsgs...)
	if v := r.URL.Query().Get("user"); v != "" && !isUUID(v) {
		msgs.add("user must be a UUID")
	}
	nameFilter := r.URL.Query().Get("nameFilter")
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	product := s.lookupProduct(w, r)
	if product == nil {
		return
	}
	items := make([]productDataSourceBody, 0, len(product.DataSourceIDs))
	for _, id := range product.DataSourceIDs {
		ds, _ := s.fixture.DataSource(id)
		if !nameMatches(ds.Name, nameFilter, false) {
			continue
		}
		items = append(items, productDataSourceBody{
			ID: membershipID(product.ID, id), SourceID: strconv.Itoa(id), Name: ds.Name, Type: ds.Platform, Hostname: ds.Hostname,
			Database: ds.Database, Schema: ds.Schema, Table: ds.Table, Prefix: ds.Prefix, Status: AccessStatusNone,
		})
	}
	slices.SortFunc(items, func(a, b productDataSourceBody) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.SourceID, b.SourceID))
	})
	page, meta := tokenPage(items, p)
	writeJSON(w, http.StatusOK, map[string]any{"data": page, "meta": meta})
}

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	msgs := checkQuery(r, "nextToken", "limit", "sortOrder", "sortBy", "nameFilter", "statusFilter", "roleFilter", "expiration")
	p, pageMsgs := s.parseTokenPaging(r, 10)
	msgs = append(msgs, pageMsgs...)
	q := r.URL.Query()
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > MaxDataProductPageSize {
		msgs.add("limit must not be greater than %d", MaxDataProductPageSize)
	}
	if v := q.Get("sortBy"); v != "" && v != "name" {
		msgs.add("sortBy must be one of the following values: name")
	}
	desc := false
	switch q.Get("sortOrder") {
	case "", "asc":
	case "desc":
		desc = true
	default:
		msgs.add("sortOrder must be one of the following values: asc, desc")
	}
	for _, v := range q["statusFilter"] {
		if !slices.Contains(accessStatuses, v) {
			msgs.add("each value in statusFilter must be one of the following values: %s", strings.Join(accessStatuses, ", "))
		}
	}
	for _, v := range q["roleFilter"] {
		if !slices.Contains(productRoles, v) {
			msgs.add("each value in roleFilter must be one of the following values: %s", strings.Join(productRoles, ", "))
		}
	}
	expiring := parseBool(r, "expiration", &msgs)
	if len(msgs) > 0 {
		writeValidation(w, msgs)
		return
	}
	// The caller's status is NONE on every product and no access expires,
	// so statusFilter keeps all or nothing and expiration=true nothing.
	// roleFilter is checked but not applied: the emulator keeps no roles.
	keep := !expiring && (len(q["statusFilter"]) == 0 || slices.Contains(q["statusFilter"], AccessStatusNone))
	name := q.Get("nameFilter")
	s.mu.Lock()
	items := make([]dataProductBody, 0, len(s.dataProducts))
	for _, product := range s.dataProducts {
		if keep && nameMatches(product.Name, name, false) {
			items = append(items, s.productBody(product))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(items, func(a, b dataProductBody) int {
		c := cmp.Compare(a.Name, b.Name)
		if desc {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	page, meta := tokenPage(items, p)
	writeJSON(w, http.StatusOK, map[string]any{"data": page, "meta": meta})
}

// accessStatuses are the statuses of an access request (statusFilter).
var accessStatuses = []string{"APPROVED", "CANCELED", "DENIED", "PENDING", AccessStatusNone, "PUBLISHER", "REVOKED", "EXPIRED"}

// productRoles are the caller's possible roles on a product (roleFilter).
var productRoles = []string{"manager", "member", "noRole", "steward"}

// productBody renders a product with its computed fields. The caller
// holds s.mu.
func (s *Server) productBody(p *DataProduct) dataProductBody {
	body := dataProductBody{
		ID: p.ID, Name: p.Name, Description: p.Description, Domains: slices.Clone(p.Domains),
		Suspended: p.Suspended, CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Status: AccessStatusNone,
		Stats: dataProductStats{
			DataSourceCount:     len(p.DataSourceIDs),
			PendingRequestCount: p.Requests.Pending, ApprovedRequestCount: p.Requests.Approved,
			RevokedRequestCount: p.Requests.Revoked, CanceledRequestCount: p.Requests.Canceled,
			DeniedRequestCount: p.Requests.Denied,
			TotalRequestCount:  p.Requests.Pending + p.Requests.Approved + p.Requests.Revoked + p.Requests.Canceled + p.Requests.Denied,
		},
		SourceTypes:            []string{},
		DataAccessPolicy:       reviewFlowOrDefault(p.DataAccessReviewFlow),
		MaskingExceptionPolicy: reviewFlowOrDefault(p.MaskingExceptionReviewFlow),
	}
	for _, id := range p.DataSourceIDs {
		if ds, ok := s.fixture.DataSource(id); ok && !slices.Contains(body.SourceTypes, ds.Platform) {
			body.SourceTypes = append(body.SourceTypes, ds.Platform)
		}
	}
	slices.Sort(body.SourceTypes)
	if p.SubjectMatterExpert != "" {
		sme := &smeBody{ID: p.SubjectMatterExpert}
		if u, ok := s.fixture.User(p.SubjectMatterExpert); ok {
			sme.Username, sme.Name = u.Username, u.Name
		}
		body.Metadata = &productMetadataBody{SubjectMatterExpert: sme}
	}
	return body
}

// productsUsingForm lists the data products that use a request form, with
// the request types they use it for, sorted by name. The caller holds s.mu.
func (s *Server) productsUsingForm(formID string) []ObjectRef {
	var out []ObjectRef
	for _, p := range s.dataProducts {
		var types []string
		if p.DataAccessRequestFormID == formID {
			types = append(types, RequestTypeDataAccess)
		}
		if p.MaskingExceptionRequestFormID == formID {
			types = append(types, RequestTypeMaskingException)
		}
		if types != nil {
			out = append(out, ObjectRef{ID: p.ID, Name: p.Name, RequestTypes: types})
		}
	}
	slices.SortFunc(out, func(a, b ObjectRef) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// tokenPaging is the position and size of a token-paged list's page.
type tokenPaging struct {
	offset, limit int
}

// tokenMeta is the pagination block of token-paged lists.
type tokenMeta struct {
	NextToken string `json:"nextToken"`
	Limit     int    `json:"limit"`
}

// nextTokenPrefix makes page tokens opaque but recognisable.
const nextTokenPrefix = "page:"

// parseTokenPaging reads nextToken and limit.
func (s *Server) parseTokenPaging(r *http.Request, defaultLimit int) (tokenPaging, checks) {
	p := tokenPaging{limit: defaultLimit}
	var msgs checks
	q := r.URL.Query()
	if v := q.Get("nextToken"); v != "" {
		raw, err := base64.RawURLEncoding.DecodeString(v)
		rest, ok := strings.CutPrefix(string(raw), nextTokenPrefix)
		n, convErr := strconv.Atoi(rest)
		if err != nil || !ok || convErr != nil || n < 0 {
			msgs.add("nextToken is not a token this list returned")
		} else {
			p.offset = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			msgs.add("limit must be an integer number")
		case n < 1:
			msgs.add("limit must not be less than 1")
		default:
			p.limit = n
		}
	}
	s.mu.Lock()
	p.limit = min(p.limit, s.maxPage)
	s.mu.Unlock()
	return p, msgs
}

// tokenPage cuts one page out of items; the token of the last page is "".
func tokenPage[T any](items []T, p tokenPaging) ([]T, tokenMeta) {
	start := min(p.offset, len(items))
	end := min(start+p.limit, len(items))
	meta := tokenMeta{Limit: p.limit}
	if end < len(items) {
		meta.NextToken = base64.RawURLEncoding.EncodeToString([]byte(nextTokenPrefix + strconv.Itoa(end)))
	}
	return slices.Clone(items[start:end]), meta
}

// DataProduct returns the stored data product with an id.
func (s *Server) DataProduct(id string) (DataProduct, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.dataProducts[strings.ToLower(id)]
	if !ok {
		return DataProduct{}, false
	}
	return p.clone(), true
}

// DataProducts returns every stored data product, sorted by name.
func (s *Server) DataProducts() []DataProduct {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]DataProduct, 0, len(s.dataProducts))
	for _, p := range s.dataProducts {
		out = append(out, p.clone())
	}
	slices.SortFunc(out, func(a, b DataProduct) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
}

// SeedDataProduct stores a data product as if someone had published it in
// the Marketplace app, and returns it. p needs a name and domains; empty
// form ids are the Standard Request Form; its references and review flows
// are checked as a create's are. An empty
// ID is chosen; timestamps and the creator are set.
func (s *Server) SeedDataProduct(p DataProduct) (DataProduct, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	if err := s.checkStoredProduct(&p, ""); err != nil {
		return DataProduct{}, err
	}
	if _, ok := s.dataProducts[p.ID]; ok {
		return DataProduct{}, fmt.Errorf("a data product with id %s exists", p.ID)
	}
	now := s.timestamp()
	p.CreatedBy, p.CreatedAt, p.UpdatedAt = s.caller.GlobalUserID, now, now
	stored := p.clone()
	s.dataProducts[p.ID] = &stored
	return p.clone(), nil
}

// checkStoredProduct applies the API's rules to a product changed through
// the Go API. The caller holds s.mu.
func (s *Server) checkStoredProduct(p *DataProduct, exceptID string) error {
	var msgs checks
	checkProductName(p.Name, &msgs)
	if r := p.Requests; min(r.Pending, r.Approved, r.Revoked, r.Canceled, r.Denied) < 0 {
		msgs.add("request counts must not be negative: %+v", r)
	}
	d := productDraft{DataProduct: p.clone()}
	for _, f := range []struct {
		at   string
		flow *json.RawMessage
	}{{"DataAccessReviewFlow", &d.DataAccessReviewFlow}, {"MaskingExceptionReviewFlow", &d.MaskingExceptionReviewFlow}} {
		if *f.flow != nil {
			*f.flow, _ = s.checkProductReviewFlow(*f.flow, f.at, &msgs)
		}
	}
	d.Domains = checkDomainList(p.Domains, &msgs)
	slices.Sort(d.DataSourceIDs)
	d.DataSourceIDs = slices.Compact(d.DataSourceIDs)
	if len(msgs) == 0 {
		s.checkProductReferences(&d, &msgs)
	}
	if len(msgs) > 0 {
		return fmt.Errorf("invalid data product: %s", strings.Join(msgs, "; "))
	}
	if s.productNameTaken(p.Name, exceptID) {
		return fmt.Errorf("a data product named %q exists", p.Name)
	}
	*p = d.DataProduct
	return nil
}

// UpdateDataProduct changes a stored data product out of band, as an edit
// in the Marketplace app would, and bumps its updatedAt. The change must
// leave a valid product (data sources within its domains, known
// references, a unique name).
func (s *Server) UpdateDataProduct(id string, change func(*DataProduct)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.dataProducts[strings.ToLower(id)]
	if !ok {
		return fmt.Errorf("no data product %s", id)
	}
	draft := p.clone()
	change(&draft)
	draft.ID, draft.CreatedBy, draft.CreatedAt = p.ID, p.CreatedBy, p.CreatedAt
	if err := s.checkStoredProduct(&draft, p.ID); err != nil {
		return err
	}
	draft.UpdatedAt = s.timestamp()
	*p = draft
	return nil
}

// SetDataProductDataSources replaces a stored product's data sources out
// of band; each must be in one of its domains.
func (s *Server) SetDataProductDataSources(id string, dataSourceIDs []int) error {
	return s.UpdateDataProduct(id, func(p *DataProduct) { p.DataSourceIDs = slices.Clone(dataSourceIDs) })
}

// DeleteDataProduct removes a stored data product out of band.
func (s *Server) DeleteDataProduct(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := s.dataProducts[id]; !ok {
		return fmt.Errorf("no data product %s", id)
	}
	delete(s.dataProducts, id)
	return nil
}
