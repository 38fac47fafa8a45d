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
//
// # Metadata: domains, data sources, users, groups, attributes
//
// The /api/metadata endpoints read what the Immuta governance app owns,
// from the Fixture (Options.Fixture, the command's -fixture file, or the
// embedded DefaultFixture). They never change it.
//
//   - Every metadata endpoint rejects a query parameter it does not take
//     with 400 "property x should not exist", as it rejects body
//     properties. A parameter given twice where one value is expected is
//     400 "x must be a string".
//   - A domain id in the path must be a UUID: anything else is 400
//     "Validation failed (uuid is expected)". A UUID of no domain is
//     404 "Domain <id> not found." (also for .../datasources and
//     .../stewards). Domain ids compare case-insensitively and are
//     returned lower-case.
//   - GET /api/metadata/domain takes no parameters: no name filter and no
//     paging. It returns every domain, sorted by name, as {"domains": [...]}.
//     Filtering by name is the client's business.
//   - GET /api/metadata/domain/{id}/datasources pages with offset (default
//     0) and limit (default 10, clamped to the maximum page size) and
//     answers {"data", "meta"} like the other offset-paged lists. Sorted
//     by name, then dataSourceId. searchText is a case-insensitive
//     substring of the name, database, schema or table. ids filters to
//     some data sources: the parameter is repeated, one integer each
//     (ids=101&ids=102), as Express parses arrays; a comma-separated list
//     or a value that is not a positive integer is 400 ("each value in ids
//     must be an integer number"). Ids of data sources in other domains,
//     or of none, are silently left out, not errors.
//   - GET /api/metadata/domain/{id}/stewards takes no parameters and
//     returns {"users": [...]}, sorted by name then globalUserId: the
//     domain's listed stewards (Domain.Stewards) plus every user with the
//     GOVERNANCE permission (governors) or APPLICATION_ADMIN (admins), as
//     "Includes Immuta governors and admins" says. USER_ADMIN alone does
//     not qualify. Permissions are not part of the answer.
//   - GET /api/metadata/users and GET /api/metadata/groups page with
//     offset (default 0) and limit (default 100, the documented default;
//     clamped to the maximum page size). Their answers ({"users": [...]},
//     {"groups": [...]}) have no meta block: a page shorter than the limit
//     applied, or an empty page, is the end. searchText is a
//     case-insensitive substring of a user's username, name or email, or
//     of a group's name. Users sort by name then globalUserId; groups by
//     name then id.
//   - GET /api/metadata/attributes takes searchText (a case-insensitive
//     substring of the attribute's type or value) and no paging, and
//     returns every match as {"attributes": [...]}, sorted by type then
//     value.
//   - Fixtures: a fixture file is strict JSON; unknown properties are
//     errors, as are blank names, malformed or duplicate ids, data source
//     names used twice (Immuta names are unique across the tenant),
//     usernames or group names used twice within one identity manager
//     (iamId), and data sources or stewards that refer to nothing. Domain
//     names need not be unique, so that tests can exercise ambiguous
//     lookups. A domain's generateDataSources {count, firstDataSourceId,
//     namePrefix} adds that many generated data sources ("Orders US East
//     2022", ...), the same every time; the default fixture's "Enterprise
//     Data Lake" domain holds 300 of them, so that a full read crosses
//     several pages of 100.
//   - Sorting compares strings byte by byte; a case-insensitive match
//     compares lower-cased strings.
package marketplacetest
