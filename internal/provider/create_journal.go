package provider

// The create journal: how an apply that was killed (SIGKILL, an OOM kill,
// a CI runner that vanished) converges on the next apply without a manual
// import and without adopting anything that is not provably its own.
//
// Every create sends an id the provider chooses, so a create retried
// within one run can never make two objects. A killed run loses that id
// with its memory: the object exists in the Marketplace, but no state
// records it, and the next apply's create, with a new id, meets a name
// conflict. So before it sends a create, the provider writes the kind,
// name and id to a journal file in the Terraform data directory
// (TF_DATA_DIR, by default .terraform/ of the working directory). The next
// create of the same kind and name in that working directory reuses the
// id: if the object was made, the service answers 409 for the id, the
// create finds the object under it and adopts it; if not, the create
// simply succeeds. An object under any other id (made in the app, or by
// another working directory or workspace, whose journal is its own) is
// never adopted: it stays a name conflict.
//
// An entry is settled (removed) when a refresh or a delete sees its id in
// state, or when a create fails in a way that proves nothing was made.
// Entries older than journalMaxAge are dropped.

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// How store writes: synced to the disk before it returns (a create waits
// for that before it is sent), or not.
const (
	syncedWrite = true
	lazyWrite   = false
)

// journalFileName is the journal's name inside the Terraform data
// directory.
const journalFileName = "immuta-marketplace-creates.json"

// journalMaxAge bounds how long an unsettled create is remembered.
const journalMaxAge = 30 * 24 * time.Hour

// createJournal records creates that are under way or unconfirmed. It is
// safe for concurrent use within one provider process; the file is
// replaced atomically, so a kill never leaves it half written.
type createJournal struct {
	mu   sync.Mutex
	path string // "" disables the journal
	now  func() time.Time
	// file is the journal as this process last read or wrote it: read
	// once, so that settling on every refresh costs no file access.
	file   journalFile
	loaded bool
	// One write at a time, each of the newest file: version counts the
	// changes to file, written is the version last on disk, writing is set
	// while a write runs with mu released, and needSync while a change
	// waits that must reach the disk before its create is sent. Creates
	// made in parallel then share one write and one fsync.
	version, written  uint64
	writing, needSync bool
	wrote             *sync.Cond
	// flushPending is set while a delayed write of settled creates is
	// scheduled (see settle).
	flushPending bool
}

type journalEntry struct {
	Kind    string    `json:"kind"`
	Name    string    `json:"name"`
	ID      string    `json:"id"`
	Started time.Time `json:"started"`
}

type journalFile struct {
	Creates []journalEntry `json:"creates"`
}

// defaultJournalPath is the journal in the Terraform data directory of
// the working directory Terraform runs the provider in.
func defaultJournalPath() string {
	dir := os.Getenv("TF_DATA_DIR")
	if dir == "" {
		dir = ".terraform"
	}
	return filepath.Join(dir, journalFileName)
}

func newCreateJournal(path string) *createJournal {
	return &createJournal{path: path, now: time.Now}
}

// journalsByPath holds one journal per file in this process, so that
// every provider instance configured in it (Terraform configures one per
// run of a command, and one per provider alias) shares what was settled
// but not yet written, instead of reading a file that lags it.
var journalsByPath sync.Map // path → *createJournal

// journalAt returns this process's journal of the file at path.
func journalAt(path string) *createJournal {
	if path == "" {
		return newCreateJournal("")
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	j, _ := journalsByPath.LoadOrStore(path, newCreateJournal(path))
	journal, _ := j.(*createJournal)
	return journal
}

// journals holds each configured client's journal. Resources and the
// shared create and read helpers receive the client as provider data and
// find its journal here.
var journals sync.Map // *marketplace.Client → *createJournal

func registerJournal(c *marketplace.Client, j *createJournal) { journals.Store(c, j) }

// journalFor returns the client's journal, or nil (a journal that does
// nothing) for a client the provider did not configure.
func journalFor(c *marketplace.Client) *createJournal {
	j, _ := journals.Load(c)
	journal, _ := j.(*createJournal)
	return journal
}

// idFor returns the id a create of kind and name sends: the journaled id
// of an earlier, unsettled create of the same object, or a new one, which
// is journaled before it is returned. resumed tells which.
func (j *createJournal) idFor(ctx context.Context, kind, name string) (id string, resumed bool) {
	if j == nil || j.path == "" {
		return uuid.NewString(), false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	file := j.current(ctx)
	cutoff := j.now().Add(-journalMaxAge)
	for _, e := range file.Creates {
		if e.Kind == kind && e.Name == name && e.Started.After(cutoff) {
			tflog.Info(ctx, "Resuming an earlier create that was not confirmed in state, with its id", map[string]any{
				logFieldID: e.ID, "started": e.Started.Format(time.RFC3339), "journal": j.path,
			})
			return e.ID, true
		}
	}
	id = uuid.NewString()
	file.Creates = append(file.Creates, journalEntry{Kind: kind, Name: name, ID: id, Started: j.now().UTC()})
	j.store(ctx, file, syncedWrite)
	return id, false
}

// settle forgets the create of id: the object is in state, or it was
// never made.
func (j *createJournal) settle(ctx context.Context, id string) {
	if j == nil || j.path == "" || id == "" {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	file := j.current(ctx)
	kept := make([]journalEntry, 0, len(file.Creates))
	for _, e := range file.Creates {
		if e.ID != id {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(file.Creates) {
		return
	}
	file.Creates = kept
	// Written later and not synced: a refresh of many objects settles
	// them one by one, and rewriting the whole file for each cost 7% of
	// the provider's CPU in the first plan after creating 1,000 products
	// (make bench). A settle that never reaches the disk (the process was
	// killed first) only leaves an entry that makes a later create of the
	// same name send this id again, which finds the object in state, and
	// the next refresh settles it again.
	j.file = file
	j.version++
	if !j.flushPending {
		j.flushPending = true
		// Not the request's context: the write outlives the request.
		time.AfterFunc(settleWriteDelay, func() { j.flush(context.Background()) })
	}
}

// settleWriteDelay is how long a settled create waits before the journal
// is written, so that the settles of one refresh share a few writes.
const settleWriteDelay = 500 * time.Millisecond

// flush writes the journal if it changed since it was last written.
func (j *createJournal) flush(ctx context.Context) {
	if j == nil || j.path == "" {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.flushPending = false
	if j.loaded && j.written < j.version {
		j.store(ctx, j.file, lazyWrite)
	}
}

// FlushCreateJournals writes what the journals of this process have yet
// to write: the provider server calls it as it stops.
func FlushCreateJournals() {
	journalsByPath.Range(func(_, v any) bool {
		if j, ok := v.(*createJournal); ok {
			j.flush(context.Background())
		}
		return true
	})
}

// current is the journal, read from its file on first use.
func (j *createJournal) current(ctx context.Context) journalFile {
	if !j.loaded {
		j.file, j.loaded = j.load(ctx), true
	}
	return j.file
}

// load reads the journal, dropping entries past journalMaxAge. A missing
// or unreadable journal is empty: the journal only ever adds safety.
func (j *createJournal) load(ctx context.Context) journalFile {
	var file journalFile
	data, err := os.ReadFile(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return file
	}
	if err == nil {
		err = json.Unmarshal(data, &file)
	}
	if err != nil {
		tflog.Warn(ctx, "Ignoring an unreadable create journal", map[string]any{"journal": j.path, "error": err.Error()})
		return journalFile{}
	}
	cutoff := j.now().Add(-journalMaxAge)
	kept := file.Creates[:0]
	for _, e := range file.Creates {
		if e.Started.After(cutoff) {
			kept = append(kept, e)
		}
	}
	file.Creates = kept
	return file
}

// store makes file the journal and returns once it is on disk (synced
// when durable is set), written atomically (a new file renamed over the old
// one) or removed when empty. It runs with j.mu held, which it releases
// while it writes; a change made meanwhile is written by the next write,
// which then also covers the callers waiting for it.
func (j *createJournal) store(ctx context.Context, file journalFile, durable bool) {
	j.file = file
	j.version++
	mine := j.version
	j.needSync = j.needSync || durable
	if j.wrote == nil {
		j.wrote = sync.NewCond(&j.mu)
	}
	for j.written < mine {
		if j.writing {
			j.wrote.Wait()
			continue
		}
		j.writing = true
		snapshot := journalFile{Creates: append([]journalEntry(nil), j.file.Creates...)}
		version, synced := j.version, j.needSync
		j.needSync = false
		j.mu.Unlock()
		j.write(ctx, snapshot, synced)
		j.mu.Lock()
		j.writing = false
		j.written = version
		j.wrote.Broadcast()
	}
}

// write replaces the journal file with file, or removes it when empty.
func (j *createJournal) write(ctx context.Context, file journalFile, durable bool) {
	err := func() error {
		if len(file.Creates) == 0 {
			if err := os.Remove(j.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil
		}
		data, err := json.Marshal(file)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(j.path), 0o755); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(j.path), journalFileName+".*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name()) // a no-op once renamed
		if _, err := tmp.Write(data); err != nil {
			_ = tmp.Close()
			return err
		}
		if durable {
			if err := tmp.Sync(); err != nil {
				_ = tmp.Close()
				return err
			}
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), j.path)
	}()
	if err != nil {
		tflog.Warn(ctx, "Could not write the create journal; a create interrupted by a kill may then need an import", map[string]any{
			"journal": j.path, "error": err.Error(),
		})
	}
}
