package provider

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestCreateJournalResumesAnUnsettledCreate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", journalFileName)
	first := newCreateJournal(path)
	id, resumed := first.idFor(ctx, "agreement", "Terms")
	if resumed || !lowerCaseUUIDPattern.MatchString(id) {
		t.Fatalf("first create: id %q resumed %v", id, resumed)
	}
	// A later provider process (the next apply) reads the same file.
	second := newCreateJournal(path)
	again, resumed := second.idFor(ctx, "agreement", "Terms")
	if !resumed || again != id {
		t.Fatalf("next create of the same object: id %q resumed %v, want %q resumed", again, resumed, id)
	}
	// Another name or another kind is another object.
	if other, resumed := second.idFor(ctx, "agreement", "Other terms"); resumed || other == id {
		t.Errorf("another name got id %q resumed %v", other, resumed)
	}
	if other, resumed := second.idFor(ctx, "request form", "Terms"); resumed || other == id {
		t.Errorf("another kind got id %q resumed %v", other, resumed)
	}
	second.settle(ctx, id)
	second.flush(ctx)
	if fresh, resumed := newCreateJournal(path).idFor(ctx, "agreement", "Terms"); resumed || fresh == id {
		t.Errorf("a settled create was resumed: %q %v", fresh, resumed)
	}
}

func TestCreateJournalRemovesItsFileWhenEmpty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), journalFileName)
	j := newCreateJournal(path)
	id, _ := j.idFor(ctx, "data product", "Sales")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the journal was not written before the create: %v", err)
	}
	j.settle(ctx, id)
	j.flush(ctx)
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("an empty journal is left behind: %v", err)
	}
}

func TestCreateJournalWritesSettledCreatesLater(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), journalFileName)
	j := newCreateJournal(path)
	a, _ := j.idFor(ctx, "data product", "Sales")
	b, _ := j.idFor(ctx, "data product", "Marketing")
	onDisk := func() []string {
		var ids []string
		for _, e := range newCreateJournal(path).load(ctx).Creates {
			ids = append(ids, e.ID)
		}
		return ids
	}
	j.settle(ctx, a)
	// Written within settleWriteDelay, without a flush.
	for deadline := time.Now().Add(10 * settleWriteDelay); slices.Contains(onDisk(), a); time.Sleep(settleWriteDelay / 5) {
		if time.Now().After(deadline) {
			t.Fatalf("a settled create was still in the journal file: %v", onDisk())
		}
	}
	if got := onDisk(); !slices.Equal(got, []string{b}) {
		t.Fatalf("journal %v after settling %s, want [%s]", got, a, b)
	}
	// A create journaled after a settle writes both at once.
	j.settle(ctx, b)
	c, _ := j.idFor(ctx, "data product", "Finance")
	if got := onDisk(); !slices.Equal(got, []string{c}) {
		t.Errorf("journal %v after settling %s and journaling %s, want [%s]", got, b, c, c)
	}
}

func TestCreateJournalForgetsOldEntries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), journalFileName)
	j := newCreateJournal(path)
	start := time.Now()
	j.now = func() time.Time { return start }
	id, _ := j.idFor(ctx, "agreement", "Terms")
	j.now = func() time.Time { return start.Add(journalMaxAge + time.Hour) }
	if again, resumed := j.idFor(ctx, "agreement", "Terms"); resumed || again == id {
		t.Errorf("an entry older than %s was resumed", journalMaxAge)
	}
}

func TestCreateJournalToleratesABadFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), journalFileName)
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	j := newCreateJournal(path)
	if _, resumed := j.idFor(ctx, "agreement", "Terms"); resumed {
		t.Error("a corrupt journal resumed a create")
	}
	// And it is replaced by a good one.
	if _, resumed := newCreateJournal(path).idFor(ctx, "agreement", "Terms"); !resumed {
		t.Error("the journal was not rewritten")
	}
}

func TestCreateJournalIsSafeForParallelCreates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), journalFileName)
	j := newCreateJournal(path)
	var wg sync.WaitGroup
	ids := make([]string, 20)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], _ = j.idFor(ctx, "agreement", "name-"+string(rune('a'+i)))
		}()
	}
	wg.Wait()
	for i, id := range ids {
		if again, resumed := newCreateJournal(path).idFor(ctx, "agreement", "name-"+string(rune('a'+i))); !resumed || again != id {
			t.Errorf("create %d was not journaled: %q %v", i, again, resumed)
		}
	}
}

func TestCreateJournalDisabled(t *testing.T) {
	j := newCreateJournal("")
	a, resumedA := j.idFor(context.Background(), "agreement", "Terms")
	b, resumedB := j.idFor(context.Background(), "agreement", "Terms")
	if resumedA || resumedB || a == b {
		t.Errorf("a disabled journal resumed: %q %v, %q %v", a, resumedA, b, resumedB)
	}
	var none *createJournal
	none.settle(context.Background(), a)
}
