package marketplacetest

import (
	"net/http"
	"net/url"
	"sort"
)

// Health endpoints, as the contract's Health tag declares them: GET
// BasePath+"/health" and "/health/live" (liveness) and "/health/ready"
// (readiness). They take no token, so that a CI job or an orchestrator can
// wait for the emulator without one.
var healthPaths = map[string]bool{
	BasePath + "/health":       true,
	BasePath + "/health/live":  true,
	BasePath + "/health/ready": true,
}

// healthBody is the contract's 200 answer (the NestJS Terminus shape); the
// in-memory store stands for the service's database.
type healthBody struct {
	Status  string                       `json:"status"`
	Info    map[string]map[string]string `json:"info"`
	Error   map[string]map[string]string `json:"error"`
	Details map[string]map[string]string `json:"details"`
}

// serveHealth answers a health check and reports whether r was one. Any
// method but GET is left to the normal path (a token, then 404).
func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet || !healthPaths[r.URL.Path] {
		return false
	}
	// The contract declares no parameters; as everywhere, others are 400.
	if q, _ := url.ParseQuery(r.URL.RawQuery); len(q) > 0 {
		msgs := make([]string, 0, len(q))
		for k := range q {
			msgs = append(msgs, "property "+k+" should not exist")
		}
		sort.Strings(msgs)
		writeValidation(w, msgs)
		return true
	}
	up := map[string]map[string]string{"database": {"status": "up"}}
	writeJSON(w, http.StatusOK, healthBody{Status: "ok", Info: up, Error: map[string]map[string]string{}, Details: up})
	return true
}
