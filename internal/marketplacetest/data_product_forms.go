package marketplacetest

import (
	"net/http"
	"slices"
)

// dataProductRequestFormBody is one of a product's request forms as GET
// {id}/request-forms lists it (the contract's DataProductRequestForm):
// the whole form and the request type it serves. inheritedFrom, for a
// form that comes from an asset, never applies: the emulator has no
// assets.
type dataProductRequestFormBody struct {
	requestFormView
	RequestType string `json:"requestType"`
}

func (s *Server) productRequestForms(w http.ResponseWriter, r *http.Request) {
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
	out := []dataProductRequestFormBody{}
	for _, f := range []struct{ id, requestType string }{
		{p.DataAccessRequestFormID, RequestTypeDataAccess},
		{p.MaskingExceptionRequestFormID, RequestTypeMaskingException},
	} {
		// A form deleted out of band (the API refuses while it is used)
		// is left out.
		if form := s.requestForms[f.id]; form != nil {
			out = append(out, dataProductRequestFormBody{requestFormView: s.view(form, false), RequestType: f.requestType})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// productDomainsUsingForm lists the domains of the products that use a
// form for either request type (a form's associatedDomains). The caller
// holds s.mu.
func (s *Server) productDomainsUsingForm(formID string) []string {
	var out []string
	for _, p := range s.dataProducts {
		if p.DataAccessRequestFormID == formID || p.MaskingExceptionRequestFormID == formID {
			out = append(out, p.Domains...)
		}
	}
	return slices.Clone(out)
}
