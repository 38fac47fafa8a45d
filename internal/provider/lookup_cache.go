package provider

// The plan-time lookup cache: what the resources' ModifyPlan ask the
// service about the ids a configuration names (users, groups, attributes,
// data use agreements, request forms) is asked once per configured
// client, that is once per provider process, however many resources name
// the same things. Concurrent plans of several resources share one
// request (singleflight); a failed lookup is not kept, so the next
// resource asks again.
//
// The cache also records the ids this process created: only those may be
// invisible for a while after their create (read-after-write lag), so
// only a reference to one of them is waited for; any other unknown id
// fails at once.

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/immuta/terraform-provider-immuta/internal/marketplace"
)

// lookupCache holds one client's plan-time lookups. It is safe for
// concurrent use.
type lookupCache struct {
	client *marketplace.Client
	flight singleflight.Group

	mu      sync.Mutex
	results map[string]any
	created map[string]bool
	managed map[string]managedObject
}

// managedObject is an object some resource of the configuration has in
// state, with its name there and the name its plan gives it.
type managedObject struct {
	Kind, Name, Planned string
}

// lookupCaches holds each configured client's cache, as journals does.
var lookupCaches sync.Map // *marketplace.Client → *lookupCache

func registerLookupCache(c *marketplace.Client) {
	lookupCaches.Store(c, &lookupCache{client: c, results: map[string]any{}, created: map[string]bool{}, managed: map[string]managedObject{}})
}

// lookupsFor returns the client's cache, or nil (which looks nothing up
// and knows of no creates) for a client the provider did not configure.
func lookupsFor(c *marketplace.Client) *lookupCache {
	v, _ := lookupCaches.Load(c)
	cache, _ := v.(*lookupCache)
	return cache
}

// recordCreated notes that this process created (or may have created)
// the object with id.
func (l *lookupCache) recordCreated(id string) {
	if l == nil || id == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created[id] = true
}

// recordManaged notes, from a resource's plan, that the object with id is
// in state as name and is planned to be named planned.
func (l *lookupCache) recordManaged(kind, id, name, planned string) {
	if l == nil || id == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.managed[id] = managedObject{Kind: kind, Name: name, Planned: planned}
}

// managedHere returns what recordManaged noted about id.
func (l *lookupCache) managedHere(id string) (managedObject, bool) {
	if l == nil {
		return managedObject{}, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.managed[id]
	return m, ok
}

// createdHere reports whether this process created the object with id,
// so that it may not be visible yet.
func (l *lookupCache) createdHere(id string) bool {
	if l == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.created[id]
}

// cachedLookup returns the cached answer for key, or runs fetch once for all
// concurrent callers and keeps its answer if it succeeded.
func cachedLookup[T any](ctx context.Context, l *lookupCache, key string, fetch func(context.Context) (T, error)) (T, error) {
	l.mu.Lock()
	if v, ok := l.results[key].(T); ok {
		l.mu.Unlock()
		return v, nil
	}
	l.mu.Unlock()
	v, err, _ := l.flight.Do(key, func() (any, error) {
		// A flight that ended between the check above and Do has stored
		// its answer: look again before asking the service again.
		l.mu.Lock()
		if v, ok := l.results[key].(T); ok {
			l.mu.Unlock()
			return v, nil
		}
		l.mu.Unlock()
		// The first caller's context must not cancel the others' lookup.
		got, err := fetch(context.WithoutCancel(ctx))
		if err != nil {
			return got, err
		}
		l.mu.Lock()
		l.results[key] = got
		l.mu.Unlock()
		return got, nil
	})
	out, _ := v.(T)
	return out, err
}

// directory is a metadata list as a lookup: complete is false when the
// service may have cut the list short, so that a value missing from it
// proves nothing.
type directory[K comparable] struct {
	known    map[K]bool
	complete bool
}

// has reports whether k is known, and whether that answer is certain.
func (d directory[K]) has(k K) (found, certain bool) {
	if d.known[k] {
		return true, true
	}
	return false, d.complete
}

// users are the global user ids of every user.
func (l *lookupCache) users(ctx context.Context) (directory[string], error) {
	return cachedLookup(ctx, l, "users", func(ctx context.Context) (directory[string], error) {
		list, truncated, err := l.client.ListUsers(ctx, marketplace.ListUsersOptions{})
		d := directory[string]{known: map[string]bool{}, complete: !truncated}
		for _, u := range list {
			d.known[u.GlobalUserID] = true
		}
		return d, err
	})
}

// groupKey is a group as an approver names it; ID -1 is any id.
type groupKey struct {
	Name string
	ID   int64
}

// groups are every group, by name alone and by name and id.
func (l *lookupCache) groups(ctx context.Context) (directory[groupKey], error) {
	return cachedLookup(ctx, l, "groups", func(ctx context.Context) (directory[groupKey], error) {
		list, truncated, err := l.client.ListGroups(ctx, marketplace.ListGroupsOptions{})
		d := directory[groupKey]{known: map[groupKey]bool{}, complete: !truncated}
		for _, g := range list {
			d.known[groupKey{Name: g.Name, ID: -1}] = true
			d.known[groupKey{Name: g.Name, ID: g.ID}] = true
		}
		return d, err
	})
}

// attributes are every attribute key and value.
func (l *lookupCache) attributes(ctx context.Context) (directory[marketplace.Attribute], error) {
	return cachedLookup(ctx, l, "attributes", func(ctx context.Context) (directory[marketplace.Attribute], error) {
		list, err := l.client.ListAttributes(ctx, marketplace.ListAttributesOptions{})
		d := directory[marketplace.Attribute]{known: map[marketplace.Attribute]bool{}, complete: true}
		for _, a := range list {
			d.known[a] = true
		}
		return d, err
	})
}

// exists looks an object up by id once: found is false only when the
// service answered 404. Objects this process created are not asked about
// (they may not be visible yet, and they exist).
func exists[T any](ctx context.Context, l *lookupCache, kind, id string, get func(context.Context, string) (*T, error)) (found bool, err error) {
	if l == nil || l.createdHere(id) {
		return true, nil
	}
	return cachedLookup(ctx, l, kind+":"+id, func(ctx context.Context) (bool, error) {
		_, err := get(ctx, id)
		if errors.Is(err, marketplace.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	})
}
