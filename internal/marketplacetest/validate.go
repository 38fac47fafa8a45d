package marketplacetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// maxBodyBytes is the largest request body the server reads.
const maxBodyBytes = 1 << 20

var errBodyTooLarge = errors.New("request entity too large")

// readBody reads the whole body and puts an identical copy back on r.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	if len(data) > maxBodyBytes {
		return nil, errBodyTooLarge
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	return data, nil
}

// decodeBody decodes a JSON object body into dst, a pointer to a struct
// with json tags. It returns NestJS-style validation messages: one per
// property the struct does not declare, and one for a value of the wrong
// type. A body that is not a JSON object is a single message.
func decodeBody(r *http.Request, dst any) []string {
	data, _ := io.ReadAll(r.Body)
	return decodeJSONObject(data, dst)
}

// decodeJSONObject is decodeBody on raw bytes.
func decodeJSONObject(data []byte, dst any) []string {
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return []string{fmt.Sprintf("Unexpected token in JSON at position %d", syntax.Offset)}
		}
		return []string{"request body must be a JSON object"}
	}
	allowed := jsonFields(dst)
	var msgs []string
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !allowed[k] {
			msgs = append(msgs, fmt.Sprintf("property %s should not exist", k))
		}
	}
	if len(msgs) > 0 {
		return msgs
	}
	if err := json.Unmarshal(data, dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return []string{fmt.Sprintf("%s must be %s", fieldName(typeErr), describeKind(typeErr.Type))}
		}
		return []string{err.Error()}
	}
	return nil
}

func fieldName(e *json.UnmarshalTypeError) string {
	if e.Field != "" {
		return e.Field
	}
	return "value"
}

func describeKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean value"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "of type " + t.String()
}

// jsonFields lists the json names of a struct's fields.
func jsonFields(v any) map[string]bool {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

// isUUID reports whether s is a UUID in its canonical 36-character form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

var cuidPattern = regexp.MustCompile(`^c[a-z0-9]{24}$`)

// isCUID reports whether s is a cuid, the id form of objects the service
// created itself (such as the Standard Request Form).
func isCUID(s string) bool { return cuidPattern.MatchString(s) }

// uuidPathError is the message NestJS's ParseUUIDPipe gives for a path
// parameter that is not a UUID.
const uuidPathError = "Validation failed (uuid is expected)"

// checks collects validation messages.
type checks []string

func (c *checks) add(format string, args ...any) { *c = append(*c, fmt.Sprintf(format, args...)) }

// requiredString checks a required, non-blank string of at most max runes
// (max 0 means no limit).
func (c *checks) requiredString(name string, v *string, maxLen int) {
	switch {
	case v == nil:
		c.add("%s should not be empty", name)
		c.add("%s must be a string", name)
	case strings.TrimSpace(*v) == "":
		c.add("%s should not be empty", name)
	case maxLen > 0 && len([]rune(*v)) > maxLen:
		c.add("%s must be shorter than or equal to %d characters", name, maxLen)
	}
}

// paging reads offset and limit query parameters.
type paging struct {
	offset, limit int
}

func (s *Server) parsePaging(r *http.Request, defaultLimit int) (paging, checks) { //nolint:unparam // each list has its own default in the contract; today they agree
	p := paging{offset: 0, limit: defaultLimit}
	var msgs checks
	q := r.URL.Query()
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			msgs.add("offset must be an integer number")
		case n < 0:
			msgs.add("offset must not be less than 0")
		default:
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
	if p.limit > s.maxPage {
		p.limit = s.maxPage
	}
	s.mu.Unlock()
	return p, msgs
}

// offsetMeta is the pagination block of offset-paged lists.
type offsetMeta struct {
	Offset      int `json:"offset"`
	Limit       int `json:"limit"`
	TotalCount  int `json:"totalCount"`
	PageCount   int `json:"pageCount"`
	CurrentPage int `json:"currentPage"`
	TotalPages  int `json:"totalPages"`
}

// offsetPage cuts one page out of items.
func offsetPage[T any](items []T, p paging) ([]T, offsetMeta) {
	total := len(items)
	start := min(p.offset, total)
	end := min(start+p.limit, total)
	page := items[start:end]
	if page == nil {
		page = []T{}
	}
	return page, offsetMeta{
		Offset:      p.offset,
		Limit:       p.limit,
		TotalCount:  total,
		PageCount:   len(page),
		CurrentPage: p.offset/p.limit + 1,
		TotalPages:  (total + p.limit - 1) / p.limit,
	}
}

// parseBool reads an optional boolean query parameter.
func parseBool(r *http.Request, name string, msgs *checks) bool {
	switch v := r.URL.Query().Get(name); v {
	case "", "false":
		return false
	case "true":
		return true
	default:
		msgs.add("%s must be a boolean value", name)
		return false
	}
}

// nameMatches applies the name filter of list calls: a case-insensitive
// substring, or the exact (case-sensitive) name with exactMatch=true.
func nameMatches(name, filter string, exact bool) bool {
	if filter == "" {
		return true
	}
	if exact {
		return name == filter
	}
	return strings.Contains(strings.ToLower(name), strings.ToLower(filter))
}
