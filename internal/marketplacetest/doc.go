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
//   - Authentication: every request under BasePath but the health checks
//     needs "Authorization: Bearer <token>" with the configured token. A
//     missing, malformed or wrong token (which is also what a token of another
//     region looks like) gets exactly
//     401 {"message":"Not authenticated.","error":"Unauthorized","statusCode":401}.
//     Authentication is checked before routing, and before the body is
//     read: a request without a valid token costs only its headers.
//   - Health checks: GET /health, /health/live and /health/ready under
//     BasePath need no token (the contract declares no security for
//     them) and answer 200 {"status":"ok","info":{"database":{"status":
//     "up"}},"error":{},"details":{"database":{"status":"up"}}}, the
//     contract's Terminus shape. They take no query parameters (400, as
//     elsewhere), other methods need a token and are 404, and faults are
//     not injected into them.
//   - The request log (Requests) keeps no header but the User-Agent (so
//     never a token), at most MaxLoggedBody bytes of each body, and only
//     the newest requests (Options.RequestLogLimit, and
//     DefaultRequestLogBytes of bodies), so that memory stays flat however
//     long the emulator runs.
//   - LogRequests (the command's -log) writes a JSON line per request:
//     time, method, path (escaped), query (raw), status (0 for a dropped
//     connection), duration_ms and user_agent; no other header, and no
//     body.
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
//     limits). Names are unique, case-sensitively: a POST or PUT that
//     would give two agreements one name is 409 "There is already a data
//     use agreement with this name." (the contract's message).
//   - POST takes an optional client-chosen id (a UUID) and answers 201. A
//     POST with an id that exists is 409 "Data use agreement with id
//     already exists.", so that a repeated create can be recognised.
//   - PUT takes name and body, both optional (an absent one is kept, a
//     given one is checked as on POST), and answers 201, as the contract
//     declares.
//   - DELETE /api/data-use-agreement/{id} answers 204 without a body, 404
//     when unknown, and 409 while a request form includes the agreement.
//   - GET /api/data-use-agreement takes offset, limit, nameFilter,
//     exactMatch, sortBy (name, createdAt or updatedAt; default name) and
//     sortOrder (asc or desc); any other parameter is 400 "property x
//     should not exist". Ties in the sort key fall back to name, then id,
//     in the same direction.
//   - Every answer has exactly id, name, body, createdBy {globalUserId,
//     name}, createdAt, updatedBy and updatedAt.
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
// # Admin API
//
// Options.AdminToken (the command's -admin-token) turns on an admin API
// under AdminPath (/_emulator), outside BasePath and the contract, for a
// test or a CI job to set the emulator up between runs. It takes only
// "Authorization: Bearer <admin token>" (never the API token, which New
// refuses as an admin token; the admin token is no API token either);
// without it, 401. With no admin token configured every admin path is 404
// saying how to turn it on. Errors are JSON in the NestJS shape.
//
//   - POST /_emulator/reset puts every Marketplace object back as New
//     made them: the Standard Request Form and the fixture's objects,
//     with their ids and timestamps (ResetState), not what a state file
//     held. It answers 200
//     {"status":"reset"}. The fixture itself, faults and the request log
//     are kept.
//   - POST /_emulator/seed takes {"dataUseAgreements", "requestForms",
//     "dataProducts"}, each a list in the shape of its create endpoint's
//     body (ids optional, references by id), and creates them in that
//     order through the create endpoints' own decoding and checks, as the
//     token's user (SeedObjects). A seed is all or nothing: the first
//     entry the API would refuse is 400 naming it ("dataProducts[0]
//     ("Sales"): Request form <id> not found."), and nothing is kept.
//     Success is 201 with the created objects' {id, name} by list. Seeded
//     objects are visible at once, whatever the read-after-write lag.
//     Any other property (domains, users, ...) is 400: those come from
//     the fixture.
//   - Any other admin route is 404 "Cannot <METHOD> <path>".
//
// # State file
//
// SaveState and LoadState (the command's -state) keep every Marketplace
// object in a file: agreements, request forms with every version, and
// data products with their data sources, flows and request counts, and
// webhooks with their signing keys and delivery history (the file is
// written with mode 0600); not the fixture, faults, the request log or
// the read-after-write lag. The format is the emulator's own JSON
// ("format": 1), sorted by id.
//
//   - Saving is atomic: a temporary file in the same directory is
//     written, synced and renamed over the file (and the directory
//     synced), so that whenever the process dies, even by SIGKILL, the
//     file holds the old state or the new. Temporary files a killed
//     process left are removed by the next load.
//   - Persist serves the server and saves after every request that may
//     change state (any method but GET and HEAD, admin requests
//     included), before the answer is sent: an answered write is in the
//     file. A state that did not change is not written again; a save
//     that fails is answered 500. A dropped-connection fault saves first.
//   - Loading a missing file changes nothing (a fresh start from the
//     fixture). A file that does not decode, or whose objects do not fit
//     the fixture (unknown domains, data sources, users or groups,
//     dangling references, invalid policies), is an error naming the
//     file and the object, and changes nothing.
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
//   - Every metadata endpoint takes exactly the contract's query
//     parameters and rejects any other with 400 "property x should not
//     exist", as it rejects body properties. A parameter given twice where
//     one value is expected is 400 "x must be a string".
//   - A domain id in the path must be a UUID: anything else is 400
//     "Validation failed (uuid is expected)". A UUID of no domain is
//     404 "Domain <id> not found." (also for .../datasources). Domain ids
//     compare case-insensitively and are returned lower-case.
//   - GET /api/metadata/domain takes no parameters: no name filter and no
//     paging. It returns every domain, sorted by name, as {"domains": [...]},
//     each exactly {id, name, description} (description is required, so a
//     domain without one has "").
//   - GET /api/metadata/domain/{id}/datasources pages with offset (default
//     0) and limit (default 10, clamped to the maximum page size) and
//     answers {"data", "meta"} like the other offset-paged lists. Sorted
//     by name, then dataSourceId. searchText is a case-insensitive
//     substring of the name, database, schema or table. dataSourceIds
//     filters to some data sources: the parameter is repeated, one integer
//     each (dataSourceIds=101&dataSourceIds=102), as Express parses arrays;
//     a comma-separated list or a value that is not a positive integer is
//     400 ("each value in dataSourceIds must be an integer number"). Ids of
//     data sources in other domains, or of none, are silently left out,
//     not errors. Items are {dataSourceId (a number), name, platform,
//     createdAt, prefix, hostname, database, schema, table}; the last five
//     are nullable and are null where the data source has none (for
//     example prefix for a table, database for an S3 prefix).
//   - GET /api/metadata/domain/{id}/stewards is not in the published
//     contract and is not served: it is an unknown route (404 "Cannot GET
//     <path>"). A fixture's domain "stewards" list is still accepted and
//     checked, but no endpoint returns it.
//   - GET /api/metadata/users takes limit (default 100), filter and
//     globalUserId (repeated; each a UUID, else 400 "each value in
//     globalUserId must be a UUID"); GET /api/metadata/groups takes limit
//     (default 100) and filter. Neither is paged: there is no offset or
//     cursor, the answer ({"users": [...]}, {"groups": [...]}) has no meta
//     block, and it holds the first limit matches. The contract gives the
//     limit no maximum, so the maximum page size does not apply; a limit
//     below 1 is 400. filter is a case-insensitive substring of a user's
//     username, name or email, or of a group's name; globalUserId keeps
//     those users (compared ignoring case), and the filters combine. Users
//     sort by name then globalUserId; groups by name then id. A user is
//     {id, iamId, globalUserId, username, name, email, authorizations}:
//     email is null where the user has none, and authorizations is the
//     fixture user's attributes ({} when none). A group is {id, iamId,
//     name, email}, all four always present, iamId and email null where
//     the group has none.
//   - GET /api/metadata/attributes takes search (a case-insensitive
//     substring of the attribute's type or value) and type (the exact,
//     case-sensitive attribute type), no paging, and returns every match
//     as {"attributes": [{type, value}]}, sorted by type then value.
//   - Fixtures: a fixture file is strict JSON; unknown properties are
//     errors, as are blank names, malformed or duplicate ids, data source
//     names used twice (Immuta names are unique across the tenant),
//     usernames or group names used twice within one identity manager
//     (iamId), and data sources, stewards or user authorizations that
//     refer to nothing (an authorization must be an attribute of the
//     fixture). Domain names need not be unique, so that tests can
//     exercise ambiguous lookups. A domain's generateDataSources {count,
//     firstDataSourceId, namePrefix} adds that many generated data sources
//     ("Orders US East 2022", ...), the same every time; the default
//     fixture's "Enterprise Data Lake" domain holds 300 of them, so that a
//     full read crosses several pages of 100.
//   - A fixture may also hold Marketplace objects to start with:
//     "dataUseAgreements", "requestForms" and "dataProducts", in the
//     shapes of their create endpoints' bodies (as the admin seed takes
//     them), referring to each other by id. They are checked on load by
//     creating them in a scratch server, so a fixture is refused, naming
//     the entry, where the API would refuse one of them.
//   - Sorting compares strings byte by byte; a case-insensitive match
//     compares lower-cased strings.
//
// # Request forms
//
//   - POST/PUT /api/request-form take {id?, name, fields, policy,
//     dataUseAgreementIds?} (CreateRequestForm / UpdateRequestForm); PUT
//     takes the same body as POST, and an id in it must be the id in the
//     path. POST answers 201, and PUT 201 too, as the contract declares.
//     name is a required, non-blank string of at most 255 characters,
//     unique case-sensitively: a duplicate is 409 "Request form with name
//     already exists."; a POST with an id that exists is 409 "Request form
//     with id already exists.". Request form ids are UUIDs.
//   - fields: type is the discriminator. SHORT_ANSWER {id, type, label,
//     required?}; DROPDOWN and CHECKBOXES {id, type, label, required?,
//     options: [{value}]}; ACCESS_DURATION {id, type, label, required}.
//     Properties a type does not have (options on SHORT_ANSWER or
//     ACCESS_DURATION, anything unknown) are 400 "property ... should not
//     exist", as everywhere. Choices where the contract is silent:
//     DROPDOWN and CHECKBOXES need at least one option, with unique,
//     non-blank values of at most 255 characters; labels are non-blank, at
//     most 1000 characters and unique within a form, case-insensitively; a
//     form has at least one field and at most one ACCESS_DURATION field.
//   - An ACCESS_DURATION field's label must be "How long do you need access
//     to this data?" (AccessDurationLabel) and its required must be sent
//     as true (the contract's enums). For the other types required
//     defaults to true when omitted, and responses always carry it (true
//     then), since the response schema has the same field shapes.
//   - Every field needs its id, a UUID (400 when missing or not a UUID),
//     unique within the form. Ids are kept as sent, on PUT too: a known id
//     keeps its question's identity, a new one is a new question. Fields
//     keep the order they were sent in. Responses carry options only for
//     DROPDOWN and CHECKBOXES.
//   - policy: {"version"?, "rules", "defaultEvent"}; rules is required
//     ([] for none). A rule is {"conditions", "event"}, both required;
//     conditions is exactly one of {"all": [...]}, {"any": [...]} and
//     {"not": ...}, whose contents are not checked and are kept as sent.
//     Events: {"type":"approve","params":{"comment"?, "duration"?,
//     "durationUnit"?}} (no other params); {"type":"deny","params":
//     {"comment"?}}; {"type":"review","params":{"stages":[{"all":[...]} |
//     {"any":[...]}]}}, each stage exactly one of all and any with at least
//     one approver; {"type":"dataProductPolicy"} (no params). params is
//     required for the first three. duration is a number of at least 1;
//     the emulator also wants it whole, and given together with
//     durationUnit (HOURS, DAYS, WEEKS, MONTHS or YEARS). Unknown
//     properties anywhere but inside conditions are 400. Any event may be
//     a rule's event or a request form's defaultEvent.
//     A form delegates to its data products (what the data product
//     endpoints check) when its defaultEvent or any rule's event is
//     dataProductPolicy. A data product's own policies have the same shape,
//     but their defaultEvent may only be approve or review.
//   - Approvers: {"type":"USER","id","displayName"?}, the id a user of the
//     fixture; {"type":"GROUP","id"? (a number),"iamId"?,"name"}, found by
//     id when given (its name, and iamId when given, must be the group's)
//     or else by name (and iamId); {"type":"PERMISSION","permission":
//     GOVERNANCE|USER_ADMIN|AUDIT}; {"type":"DOMAIN PERMISSION",
//     "permission": "Manage Policies"|"Audit Activity"|"Manage Data
//     Products"|"Manage Identifiers","domainId"?}, domainId a fixture
//     domain; {"type":"ATTRIBUTE","key","value"}, a fixture attribute
//     value; {"type":"CATALOG PERMISSION"}. Unknown users, groups, domains
//     and attribute values are 400 naming them. Repeated approvers are
//     accepted and kept.
//   - The policy is stored as sent and returned re-encoded in the
//     contract's key order (version only when sent, empty comments left
//     out), so the client's key order and white space are not kept.
//   - dataUseAgreementIds must be UUIDs of existing agreements (400 naming
//     the missing one), without repeats; absent means none. Responses embed
//     dataUseAgreements [{id, name, body}] in the order of the ids, and
//     carry no dataUseAgreementIds.
//   - version is a cuid that the server assigns anew on every successful
//     POST and PUT (and every out-of-band Update). Every version's snapshot
//     is kept: GET /api/request-form/version/{version} returns the form as
//     it was then (404 for an unknown version).
//   - GET /api/request-form lists forms with offset (default 0) and limit
//     (default 10) paging, sortBy (name, createdAt or updatedAt; default
//     name), sortOrder (asc or desc), nameFilter (a case-insensitive
//     substring, or the exact case-sensitive name with exactMatch=true).
//     List items also carry associatedDomains: the domain ids of the data
//     products that use the form; GET by id, POST and PUT responses do not.
//   - Every tenant has the built-in "Standard Request Form", with a fixed
//     UUID (StandardRequestFormID), one SHORT_ANSWER field and an approve
//     default event, created and updated a day before the server started
//     (the tenant predates any caller). It is listed and readable, but PUT
//     and DELETE are 400 "The Standard Request Form cannot be edited." /
//     "... deleted.".
//     GET, PUT and DELETE by id, and GET {id}/data-products, take a UUID or
//     a cuid; anything else is 400 "Validation failed (uuid is expected)".
//   - DELETE /api/request-form/{id} answers 204 when deleted (as the
//     contract declares) and 404 when unknown. While a data product uses
//     the form it is 409 "Request form is in use by N data product(s) and
//     cannot be deleted." (the contract is silent; the emulator refuses
//     rather than leave products without a form). GET {id}/data-products
//     lists those products as [{id, name, requestTypes}], sorted by name
//     (requestTypes are the request types a product uses the form for:
//     DATA_ACCESS, MASKING_EXCEPTION or both). A data use agreement a form includes cannot be deleted
//     (409), and GET /api/data-use-agreement/{id}/request-forms lists
//     those forms.
//   - GET /api/request-form/{id} answers 404 during the read-after-write
//     lag; the list, the version and data-products endpoints see a new
//     form at once.
//
// # Data products
//
// The contract's CreateDataProduct, UpdateDataProduct, DataProduct,
// UpdateDataSources, AllDataSources and DataProductRequestForm, and where
// it is silent:
//
//   - POST /api/data-product takes {id?, name, description?, metadata,
//     domains, dataSources, dataAccessRequestFormId?,
//     maskingExceptionRequestFormId?, dataAccessReviewFlow?,
//     maskingExceptionReviewFlow?} and the deprecated requestFormId?,
//     dataAccessPolicy? and maskingExceptionPolicy?, and answers 201 with
//     the product. Any other property (suspended, status, stats,
//     sourceTypes, dataUsageAgreements, ...) is 400 "property x should not
//     exist", although the contract does not forbid extra properties. A
//     product is published unsuspended. name, metadata, domains and
//     dataSources are required; dataSources may be [].
//   - name is 1 to 255 characters matching ^[\p{L}\p{M}\p{N})(\-_/\\\s]*$
//     (Unicode letters, marks and digits), and not blank (the contract's
//     pattern admits white space only; the emulator refuses it). Names are
//     unique, case-sensitively: a duplicate is 409 "Data Product name in
//     use." (on PUT too, where the contract declares no 409). A POST with
//     an id that exists is 409 "Data product with id already exists.".
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
//   - Request forms: dataAccessRequestFormId and
//     maskingExceptionRequestFormId, each a UUID or a cuid of an existing
//     form (400 "Request form <id> not found."). A form left out on
//     create is the Standard Request Form (the contract names no
//     default). The deprecated requestFormId is still accepted, as the
//     contract keeps it: it sets both forms, and a specific id given with
//     it wins for its request type. null is 400.
//   - Review flows: dataAccessReviewFlow and maskingExceptionReviewFlow
//     are policy documents as a request form's, except that the default
//     event may only be approve or review (rules may use any event). The
//     deprecated dataAccessPolicy and maskingExceptionPolicy are accepted
//     as their aliases; giving a flow under both names is 400. null is
//     400 (the contract's flows are objects): sending the default
//     document restores the default. A flow is stored as sent (compacted)
//     whatever the product's forms are: it decides only while the form of
//     its request type delegates to the data product, and is kept,
//     inactive, while that form decides itself (the contract is silent;
//     nothing is refused or dropped when a form changes). A delegating
//     form with no product flow uses the default.
//   - Responses carry dataAccessPolicy and maskingExceptionPolicy, never
//     null: a flow never set reads as DefaultProductReviewFlow (review by
//     the GOVERNANCE permission or the domain's "Manage Data Products"
//     permission). They carry no form ids, no data sources, no
//     dataUsageAgreements and no dataAccessReviewFlow.
//   - GET /api/data-product/{id}/request-forms answers the product's two
//     forms as DataProductRequestForm: the whole form (as GET
//     /api/request-form/{id}, with its agreements) and requestType
//     DATA_ACCESS or MASKING_EXCEPTION, data access first. The same form
//     is listed twice when it serves both. inheritedFrom is never set
//     (the emulator has no assets).
//   - GET /api/data-product/{id} does not return the data sources;
//     GET {id}/datasources/all answers {"dataSources": [{sourceId}]} in one
//     call. GET {id}/datasources pages the data sources' details
//     ({id, sourceId, name, type (the platform), hostname, database,
//     schema, table, prefix, status}; id, a cuid in the contract, is a
//     stable cuid derived from the product and the data source) by token, sorted by name, and takes nameFilter (a
//     case-insensitive substring) and user (a UUID), whose status is
//     always NONE.
//   - GET /api/data-product/{name}/byName matches the exact,
//     case-sensitive name; the name is path-escaped, so names with spaces
//     and slashes work. 404 "Data product <name> not found." otherwise.
//   - GET /api/data-product lists products with token pagination: limit
//     (1 to 100, default 10, clamped to the maximum page size) and
//     nextToken, an opaque token from the previous page's meta.nextToken,
//     which is "" on the last page; a token the list did not give is 400.
//     sortBy takes name only; sortOrder asc (default) or desc; nameFilter
//     is a case-insensitive substring. statusFilter and roleFilter are
//     checked against the contract's values; the caller's status is NONE
//     everywhere, so statusFilter keeps all products or none, and
//     roleFilter is not applied (the emulator keeps no roles).
//     expiration=true lists nothing (no access expires). Unknown query
//     parameters, such as name, are 400.
//   - PUT /api/data-product/{id} is partial: any of name, description (null
//     clears it), metadata (null clears the expert), domains, the form ids,
//     the flows and suspended (a boolean; null is 400), answering 200.
//     dataSources is 400 "property dataSources should not exist": PUT
//     {id}/datasources {dataSources} replaces the set (an empty list
//     empties it) and answers 200 with the product. id, if given, must be
//     the product's own. The result is checked as a whole, so changing
//     domains so that current data sources fall outside them is 400 naming
//     each such data source.
//   - DELETE /api/data-product/{id} answers 200 with an empty body.
//   - Computed fields: createdBy is the caller's global user id (a
//     string, unlike agreements' and forms' {globalUserId, name});
//     status and expiration describe the caller's own access request for
//     the product. The emulator takes no access requests, so status is
//     always "NONE", expiration null and requestId absent. The
//     request counts in stats are those a test sets on the stored product
//     (DataProduct.Requests, 0 otherwise), totalRequestCount their sum;
//     stats.dataSourceCount counts the data sources. sourceTypes lists the
//     distinct platforms of the data sources, sorted. Suspending revokes
//     nothing in the emulator (there are no approvals) but is stored and
//     returned.
//   - GET by id and byName answer 404 during the read-after-write lag;
//     the other endpoints see a new product at once.
//   - A product is a referrer of both its request forms: a form cannot be
//     deleted while a product uses it for either request type (409), GET
//     /api/request-form/{id}/data-products lists the products, and the
//     form's associatedDomains are its products' domains.
//   - The Go API (SeedDataProduct, UpdateDataProduct, ...) applies the
//     same rules; an empty form id is the Standard Request Form and a nil
//     flow the default.
package marketplacetest
