package marketplace

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkListDataUseAgreements lists 1,000 agreements through
// pagination against the emulator: the cost of a full list read.
func BenchmarkListDataUseAgreements(b *testing.B) {
	c, srv := newEmulatorClient(b)
	for i := range 1000 {
		if _, err := srv.SeedDataUseAgreement(fmt.Sprintf("Agreement %04d", i), "text"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		all, err := c.ListDataUseAgreements(context.Background(), ListDataUseAgreementsOptions{})
		if err != nil || len(all) != 1000 {
			b.Fatalf("listed %d: %v", len(all), err)
		}
	}
}

// BenchmarkCreateDataUseAgreement measures one create round trip.
func BenchmarkCreateDataUseAgreement(b *testing.B) {
	c, _ := newEmulatorClient(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := c.CreateDataUseAgreement(context.Background(), DataUseAgreementInput{Name: fmt.Sprintf("A%d", i), Body: "text"}); err != nil {
			b.Fatal(err)
		}
	}
}
