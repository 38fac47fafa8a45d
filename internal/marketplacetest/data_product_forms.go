package marketplacetest

// productFormView is what a data product needs of its request form.
type productFormView struct {
	// delegates is set when the form's policy delegates the review flow
	// to the data product.
	delegates bool
	// agreements are the form's data use agreements, as a product lists
	// them (dataUsageAgreements).
	agreements []objectRef
}

// productForm looks up a product's request form. The caller holds s.mu.
func (s *Server) productForm(id string) (productFormView, bool) {
	exists, delegates := s.requestFormStatus(id)
	if !exists {
		return productFormView{}, false
	}
	view := productFormView{delegates: delegates, agreements: []objectRef{}}
	for _, a := range s.view(s.requestForms[id], false).DataUseAgreements {
		view.agreements = append(view.agreements, objectRef{ID: a.ID, Name: a.Name})
	}
	return view, true
}

// productDomainsUsingForm lists the domains of the products that use a
// form (a form's associatedDomains). The caller holds s.mu.
func (s *Server) productDomainsUsingForm(formID string) []string {
	var out []string
	for _, p := range s.dataProducts {
		if p.RequestFormID == formID {
			out = append(out, p.Domains...)
		}
	}
	return out
}
