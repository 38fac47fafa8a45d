// Package marketplacetest is a faithful, stateful, in-memory emulator of
// the Immuta Marketplace REST API, for tests, demos and offline CI.
//
// It serves the documented endpoints under BasePath (/marketplace), with
// the same authentication, validation, status codes and server-assigned
// fields as the real service, and a Go API (Seed*, Update*, Delete*,
// Requests) with which tests change objects "out of band", as someone
// using the Marketplace app would. It knows nothing of the Terraform
// provider.
//
// The emulator must be as strict as the real service and never more
// lenient. Where the documentation is silent it makes the choice the real
// service most plausibly makes; every such choice is listed here.
//
// # Everything
//
//   - Authentication: every request under BasePath needs
//     "Authorization: Bearer <token>" with the configured token. A missing,
//     malformed or wrong token (which is also what a token of another
//     region looks like) gets exactly
//     401 {"message":"Not authenticated.","error":"Unauthorized","statusCode":401}.
//     Authentication is checked before routing.
//   - Errors use the NestJS shape {"message", "error", "statusCode"}.
//     Validation failures are 400 with "message" a list of strings, one per
//     problem, as NestJS's ValidationPipe answers; other errors carry a
//     single string.
//   - A route the API does not have, or a method a route does not take,
//     is 404 "Cannot <METHOD> <path>" (NestJS answers an unknown method the
//     same way, not with 405).
//   - Request bodies are JSON objects. A property the endpoint does not
//     take is rejected ("property x should not exist"), as with NestJS's
//     whitelist/forbidNonWhitelisted validation. Bodies over 1 MiB get 413.
//   - Path ids that must be UUIDs are checked first: anything else is
//     400 "Validation failed (uuid is expected)" (NestJS's ParseUUIDPipe).
//     UUIDs are stored lower-case.
//   - Timestamps are UTC with millisecond precision
//     ("2025-06-20T23:56:33.929Z"); createdBy/updatedBy are the token's user.
//   - Offset-paged lists take offset (default 0) and limit (default 10);
//     a limit above the maximum page size (100, or SetMaxPageSize) is
//     clamped to it rather than rejected, and meta.limit reports the limit
//     applied. Name filters are case-insensitive substrings, or the exact,
//     case-sensitive name with exactMatch=true. Results are sorted by name.
//
// # Data use agreements
//
//   - name and body are required, non-blank strings; name is at most 255
//     characters and body at most 100000 (the documentation gives no
//     limits). Names are unique, case-sensitively: a duplicate is
//     409 "Data use agreement with name already exists.".
//   - POST takes an optional client-chosen id (a UUID). A POST with an id
//     that exists is 409 "Data use agreement with id already exists.", so
//     that a repeated create can be recognised.
//   - PUT takes name and body only, and replaces both.
//   - DELETE is not in the documentation. The emulator implements
//     DELETE /api/data-use-agreement/{id}: 204 when deleted, 404 when
//     unknown, 409 while a request form includes the agreement.
//
// # Faults
//
// InjectFault (or Options.Faults, or the command's -faults file) makes
// matching requests fail as a real deployment sometimes does: a status
// such as 429 with Retry-After or a 5xx from a gateway (nothing is
// changed), added latency, a write that is committed and then answered
// with an error, or a connection dropped after the write was committed.
// Probabilistic faults draw from a seeded generator (FaultSeed), so a run
// can be repeated. SetReadAfterWriteLag hides a new object from GET of its
// id (404) for a while after its create, as an eventually consistent
// store would; PUT and DELETE see it at once.
package marketplacetest
