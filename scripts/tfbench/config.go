package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/immuta/terraform-provider-immuta/internal/marketplacetest"
)

// groups is how many forms (and agreements) N products share.
func groups(n int) int { return max(1, n/10) }

// configSpec generates both configurations.
type configSpec struct {
	n       int
	domain  string
	sources []string
	expert  string
}

// newConfigSpec takes the domain, two of its data sources and a subject
// matter expert from the emulator's fixture.
func newConfigSpec(n int, fixture *marketplacetest.Fixture) configSpec {
	domain := fixture.Domains[0].ID
	var sources []string
	for _, ds := range fixture.DataSources {
		if ds.DomainID == domain && len(sources) < 2 {
			sources = append(sources, strconv.Itoa(ds.DataSourceID))
		}
	}
	return configSpec{n: n, domain: domain, sources: sources, expert: fixture.Users[0].GlobalUserID}
}

func (s configSpec) immuta(changed bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    immuta = { source = "immuta/immuta" }
  }
}

provider "immuta" {}

locals {
  groups   = %d
  products = %d
  changed  = %d
}

resource "immuta_data_use_agreement" "a" {
  count = local.groups
  name  = "Bench agreement ${count.index}"
  body  = "Terms of agreement ${count.index}."
}

resource "immuta_request_form" "f" {
  count = local.groups
  name  = "Bench form ${count.index}"

  field {
    type     = "SHORT_ANSWER"
    label    = "Purpose"
    required = true
  }

  review_flow = {
    auto_approve = { reason = "Open to every employee." }
  }
  data_use_agreement_ids = [immuta_data_use_agreement.a[count.index].id]
}

resource "immuta_data_product" "p" {
  count                       = local.products
  name                        = "Bench product ${count.index}"
  description                 = count.index < local.changed ? "Changed product ${count.index}." : "Product ${count.index}."
  domain_ids                  = [%q]
  data_source_ids             = [%s]
  data_access_request_form_id = immuta_request_form.f[count.index %% local.groups].id
  subject_matter_expert_id    = %q
  deletion_protection         = false
}
`, groups(s.n), s.n, s.changedCount(changed), s.domain, quoteAll(s.sources), s.expert)
	return b.String()
}

func (s configSpec) changedCount(changed bool) int {
	if !changed {
		return 0
	}
	return max(1, s.n/10)
}

func (s configSpec) terraformData(changed bool) string {
	return fmt.Sprintf(`locals {
  groups   = %d
  products = %d
  changed  = %d
}

resource "terraform_data" "a" {
  count = local.groups
  input = { name = "Bench agreement ${count.index}", body = "Terms of agreement ${count.index}." }
}

resource "terraform_data" "f" {
  count = local.groups
  input = {
    name         = "Bench form ${count.index}"
    field        = [{ type = "SHORT_ANSWER", label = "Purpose", required = true }]
    review_flow  = { auto_approve = { reason = "Open to every employee." } }
    agreements   = [terraform_data.a[count.index].id]
  }
}

resource "terraform_data" "p" {
  count = local.products
  input = {
    name            = "Bench product ${count.index}"
    description     = count.index < local.changed ? "Changed product ${count.index}." : "Product ${count.index}."
    domain_ids      = [%q]
    data_source_ids = [%s]
    form            = terraform_data.f[count.index %% local.groups].id
    expert          = %q
  }
}
`, groups(s.n), s.n, s.changedCount(changed), s.domain, quoteAll(s.sources), s.expert)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
