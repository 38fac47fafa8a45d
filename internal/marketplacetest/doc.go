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
//     Authentication is checked before routing, and before the body is
//     read: a request without a valid token costs only its headers.
//   - The request log (Requests) keeps no header but the User-Agent (so
//     never a token), at most MaxLoggedBody bytes of each body, and only
//     the newest requests (Options.RequestLogLimit, and
//     DefaultRequestLogBytes of bodies), so that memory stays flat however
//     long the emulator runs.
//   - NewHTTPServer (used by the command) bounds each connection: the
//     request headers, the whole request, the response, and the idle time
//     of a keep-alive connection (ServerTimeouts).
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
// # Webhooks
//
//   - Only an application admin may configure webhooks: every
//     /api/notification/webhook endpoint answers 403 "Forbidden resource"
//     (NestJS's guard answer) unless the caller (Options.
//     CallerGlobalUserID) has APPLICATION_ADMIN in the fixture. The
//     default fixture's first user is a governor, so tests of webhooks set
//     the caller to its admin (with the command, a -fixture file whose
//     first user is an admin). The Go API checks no permission.
//   - POST takes {url, verifyTls?, signingKey?} and answers 200 (as
//     documented) with {id, url, verifyTls, signingKey, suppressed}; the
//     id is a server-assigned UUID (no client-chosen id is taken).
//     signingKey is returned as a boolean, whether a key is set: the key
//     itself is never returned, only readable through Webhook/Webhooks.
//   - url is required on POST: an absolute http or https URL with a host,
//     at most 2048 characters ("url must be a URL address" otherwise).
//     Plain http on any host is accepted: the documentation says only
//     format uri. signingKey is at most 1024 characters; "" means no key.
//     verifyTls defaults to true.
//   - PUT is partial: url, verifyTls and signingKey each change only when
//     given; a PUT without signingKey keeps the stored key, and "" removes
//     it. suppressed (set by the service when deliveries keep failing) is
//     read-only; tests set it with UpdateWebhook, and a PUT leaves it.
//   - Bodies are read only with a JSON Content-Type (as Express parses
//     bodies); without one the body is empty. The list, GET, DELETE and
//     test endpoints take no query parameters; history takes offset and
//     limit. DELETE answers 204 with no body. GET /api/notification/webhook
//     returns every webhook as an array (no paging), sorted by url then id.
//   - The emulator never sends a request to a webhook's URL. A test
//     delivery (POST {id}/test, or POST /api/notification/webhook/test with
//     a CreateWebhook body, which stores nothing) answers
//     {"status":"SUCCESS","httpStatusCode":200} for an https URL, and
//     {"status":"FAILED","httpStatusCode":0,"errorMessage":...} for plain
//     http. POST {id}/test records the delivery in the webhook's history,
//     which GET {id}/history pages newest first.
//   - GET {id} answers 404 "Webhook <id> not found." during the
//     read-after-write lag, as for the other objects.
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
// # Contract check
//
// With Options.OpenAPI (a Contract from LoadContract: the service's
// OpenAPI document, read at run time and never part of the repository)
// every exchange under BasePath is checked against the document, and
// ContractViolations lists what broke it, each as
// "METHOD PATH -> STATUS: request|response: complaint". NewTestServer
// turns the check on when MARKETPLACE_OPENAPI names the document, and
// fails the test once per violation when it ends (and at once when the
// document cannot be read); the marketplace-emulator command does the
// same with -openapi.
//
//   - Routing: the operation is found by method and path under BasePath
//     (the document's server URL, with its region variable, is replaced
//     by BasePath). A route the document does not have is fine when the
//     emulator answers 404, as the service does; any other answer is an
//     "undocumented operation".
//   - Requests: path and query parameters, and the body against its
//     schema and content type. A query parameter the operation does not
//     declare, or a body where it declares none, is a violation too (the
//     service would ignore or refuse it). Authentication is the
//     emulator's own, not checked here.
//   - A request the contract forbids that the emulator answered 2xx is a
//     violation ("accepted a request the contract forbids"): the emulator
//     was more lenient than the service. One the emulator rejected is
//     only recorded (ContractRejections), unless StrictContractRequests,
//     which the provider's acceptance tests set: the provider must never
//     send a request the contract forbids, whatever the answer.
//   - Responses: a 2xx status the operation does not declare is a
//     violation (200 where the contract declares 201); the body of a
//     declared status must match its schema, and a status declared
//     without content (204) must come without a body. Error statuses the
//     operation does not declare are not checked (the document describes
//     no error bodies), nor are injected faults and dropped connections.
//   - Formats: date-time is RFC 3339, uuid an RFC 9562 UUID, and cuid
//     ^c[a-z0-9]{20,32}$; other formats are not checked.
//   - One rewrite: the document is generated with oneOf for "either of
//     these strings" (createdAt: oneOf [date-time, date-time]; ids: oneOf
//     [cuid, uuid]; a name or ""). A value that fits both alternatives
//     can never pass oneOf's "exactly one", so a oneOf whose alternatives
//     are all plain string schemas is read as anyOf. Nothing else is
//     relaxed.
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
//
// # Request forms
//
//   - POST/PUT /api/request-form take {id?, name, fields, policy,
//     dataUseAgreementIds?}; PUT takes the same body as POST, and an id in
//     it must be the id in the path. name is a required, non-blank string
//     of at most 255 characters, unique case-sensitively: a duplicate is
//     409 "Request form with name already exists."; a POST with an id that
//     exists is 409 "Request form with id already exists.".
//   - Field types are the Marketplace UI's answer formats: TEXT (a short
//     answer, no options), DROPDOWN (one answer from the options) and
//     CHECKBOX (several answers from the options), which need at least one
//     option, with unique, non-blank values of at most 255 characters, and
//     ACCESS_DURATION (the requester picks how long access lasts). The
//     service fills an ACCESS_DURATION field's options itself
//     ("1 DAYS", "7 DAYS", "30 DAYS", "90 DAYS", "1 YEARS") and always
//     requires it: sending options for it, or required false, is 400, and
//     a form has at most one. TEXT fields are returned with options [].
//   - Every field needs type, label and required (a boolean). Labels are
//     non-blank, at most 1000 characters and unique within a form,
//     case-insensitively. A form has at least one field. A field id is a
//     UUID: the server assigns one when it is absent and keeps one that is
//     given (on PUT too, so ids survive reordering); ids are unique within
//     the form. On PUT an id must be the id of one of the form's current
//     fields (400 naming it otherwise): an id names an existing question,
//     and a new question is sent without one. Fields keep the order they
//     were sent in.
//   - policy is a json-rules-engine style document:
//     {"version", "rules": [{"conditions": {"all"|"any": [{"fact",
//     "operator", "value"}]}, "event"}], "defaultEvent"}. version (a
//     non-blank string) and defaultEvent are required; rules may be empty
//     or absent (it is returned as []). Facts and operators are free-form
//     non-blank strings; only the document's shape is checked. Unknown
//     properties anywhere in it are 400. The policy is returned re-encoded
//     in this key order, so the client's key order and white space are not
//     kept.
//   - Events: {"type":"approve","params":{"comment", "duration"?,
//     "durationUnit"?}} approves automatically; comment (the reason) is
//     required and non-blank; duration (an integer of at least 1) and
//     durationUnit (HOURS, DAYS, WEEKS, MONTHS or YEARS) are given together
//     (access expires) or not at all (access never expires).
//     {"type":"requestApproval","params":{"approvers":[{"type","id"}],
//     "approvalMode":"ALL"|"ANY"}} asks data stewards: ALL needs a
//     determination from a steward of every approver source, ANY needs one
//     determination. At least one approver, without repeats. USER ids are
//     global user ids, GROUP ids are group ids as strings, ATTRIBUTE ids are
//     "<attribute>:<value>"; all three must exist in the fixture (400 naming
//     the id). PERMISSION ids are one of APPLICATION_ADMIN, AUDIT,
//     CREATE_DATA_SOURCE, CREATE_PROJECT, GOVERNANCE, USER_ADMIN;
//     DOMAIN_PERMISSION ids one of AUDIT_ACTIVITY, MANAGE_DATA_METADATA,
//     MANAGE_DATA_PRODUCTS, MANAGE_POLICIES. {"type":"delegate"} ("Delegate
//     to data product", no params) is allowed only as a request form's
//     defaultEvent, with no rules; a data product's policies use the same
//     document without it.
//   - dataUseAgreementIds must be UUIDs of existing agreements (400 naming
//     the missing one), without repeats; absent means none. Responses embed
//     dataUseAgreements [{id, name, body}] in the order of the ids, and
//     carry no dataUseAgreementIds.
//   - version is a server-assigned UUID that changes on every successful
//     PUT (and every out-of-band Update). Every version's snapshot is
//     kept: GET /api/request-form/version/{version} returns the form as it
//     was then (404 for an unknown version, 400 for a non-UUID).
//   - List items also carry associatedDomains: the domain ids of the data
//     products that use the form; GET by id, POST and PUT responses do not.
//   - Every tenant has the built-in "Standard Request Form", whose id is a
//     cuid (StandardRequestFormID), with one TEXT field and an approve
//     default event. It is listed and readable, but PUT and DELETE are 400
//     "The Standard Request Form cannot be edited." / "... deleted.".
//     GET, PUT and DELETE by id, and GET {id}/data-products, take a UUID or
//     a cuid; anything else is 400 "Validation failed (uuid is expected)".
//   - DELETE /api/request-form/{id} is not in the documentation. The
//     emulator implements it: 204 when deleted, 404 when unknown, 409
//     "Request form is in use by N data product(s) and cannot be deleted."
//     while a data product uses the form. GET {id}/data-products lists
//     those products as [{id, name}], sorted by name. A data use agreement
//     a form includes cannot be deleted (409), and
//     GET /api/data-use-agreement/{id}/request-forms lists those forms.
//   - GET /api/request-form/{id} answers 404 during the read-after-write
//     lag; the list, the version and data-products endpoints see a new
//     form at once.
//
// # Data products
//
//   - POST /api/data-product takes {id?, name, description?, metadata,
//     domains, dataSources?, requestFormId, dataAccessPolicy?,
//     maskingExceptionPolicy?} and answers 201 with the product. It does
//     not take suspended, status, stats, sourceTypes or
//     dataUsageAgreements (the current documentation's body has none of
//     them): they are 400 "property x should not exist". A product is
//     published unsuspended.
//   - name is required, 1 to 64 characters matching
//     ^[a-zA-Z0-9)(\-_/\\\s]*$ (as documented), and not blank. Names are unique,
//     case-sensitively: a duplicate is 409 "Data Product name in use." (on
//     PUT too). A POST with an id that exists is 409 "Data product with id
//     already exists.".
//   - description is a string or null; there is no length limit beyond
//     the body size. metadata is required but may be null; it is
//     {"subjectMatterExpert": {"id": <global user id>} | null}. The
//     expert's username and name, which the documentation's examples
//     also send, are accepted and ignored; responses fill them in from the
//     user. An id that is no user's is 400 naming it. Without an expert the
//     response's metadata is null.
//   - domains is required: at least one domain UUID, each a domain of the
//     fixture (400 "Domain <id> not found."), without repeats.
//   - dataSources [{sourceId}] lists data sources by their dataSourceId
//     written as a string ("101"). Each must exist (400 "Data source <id>
//     not found.") and belong to one of the product's domains (400 naming
//     the data source and its domain); repeats are 400. They are stored and
//     listed in ascending id order.
//   - requestFormId is required: a UUID or a cuid (the Standard Request
//     Form's) of an existing form, else 400 "Request form <id> not found.".
//   - dataAccessPolicy and maskingExceptionPolicy are the product's own
//     review flow, policy documents as in request forms but without
//     "delegate". They may be given only when the product's request form
//     delegates the review flow to the product, and then dataAccessPolicy
//     is required (400 either way); maskingExceptionPolicy stays optional.
//     A PUT that moves the product to a form that does not delegate, and
//     sends no policy, drops the product's policies. Responses carry both
//     (null when absent).
//   - GET /api/data-product/{id} does not return the data sources;
//     GET {id}/datasources/all answers {"dataSources": [{sourceId}]} in one
//     call. GET {id}/datasources pages the data sources' details
//     ({id, name, type (the platform), hostname, database, schema, table,
//     prefix, status}) by token, sorted by name, and takes globalUserId
//     (a UUID), whose status is always NONE.
//   - GET /api/data-product/{name}/byName matches the exact,
//     case-sensitive name; the name is path-escaped, so names with spaces
//     and slashes work. 404 "Data product <name> not found." otherwise.
//   - GET /api/data-product lists products with token pagination: limit
//     (default 10, clamped to the maximum page size) and nextToken, an
//     opaque token from the previous page's meta.nextToken, which is ""
//     on the last page; a token the list did not give is 400. The filters
//     are name (a case-insensitive substring) and sortOrder (asc or desc,
//     by name). Unknown query parameters are 400.
//   - PUT /api/data-product/{id} is partial: any of name, description (null
//     clears it), metadata (null clears the expert), domains, dataSources
//     (replaces the set), requestFormId, the two policies (null clears
//     them) and suspended (a boolean; null is 400). id, if given, must be
//     the product's own. The result is checked as a whole, so changing
//     domains so that current data sources fall outside them is 400 naming
//     each such data source. PUT {id}/datasources {dataSources} replaces
//     the set (an empty list empties it) and answers the product.
//   - DELETE /api/data-product/{id} answers 200 with an empty body.
//   - Computed fields: createdBy is the caller's global user id (a
//     string, unlike agreements' and forms' {globalUserId, name});
//     status, expiration and requestId describe the caller's own access
//     request for the product. The emulator takes no access requests, so
//     status is always "NONE" and expiration and requestId null. The
//     request counts in stats are those a test sets on the stored product
//     (DataProduct.Requests, 0 otherwise), totalRequestCount their sum;
//     stats.dataSourceCount counts the data sources. sourceTypes lists the distinct platforms of the data
//     sources, sorted. dataUsageAgreements lists the request form's
//     agreements as [{id, name}]. Suspending revokes nothing in the
//     emulator (there are no approvals) but is stored and returned.
//   - GET by id and byName answer 404 during the read-after-write lag;
//     the other endpoints see a new product at once.
//   - A product is a referrer of its request form: the form cannot be
//     deleted while a product uses it (409), GET /api/request-form/{id}/
//     data-products lists the products, and the form's associatedDomains
//     are its products' domains.
package marketplacetest
