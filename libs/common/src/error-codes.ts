// Every `code` an error body can carry, with what it means. The console says each in Chinese from
// apps/web/src/i18n/zh-CN/errors.ts; test/error-codes.e2e-spec.ts fails when one has no text there.
export const ERROR_CODES = {
  // Generic, by HTTP status (what the filter answers when a throw names nothing more precise).
  BAD_REQUEST: 'The request could not be read (malformed JSON, an unreadable body)',
  UNAUTHORIZED: 'No bearer token, or an invalid or expired one',
  FORBIDDEN: "The caller's role may not do this",
  NOT_FOUND: 'No such record or route (or one the caller may not see)',
  CONFLICT: 'The request conflicts with the current state',
  PAYLOAD_TOO_LARGE: 'The body is larger than the server accepts',
  UNSUPPORTED_MEDIA_TYPE: 'The content type is not accepted by this route',
  UNPROCESSABLE: 'The request is well-formed but cannot be processed',
  RATE_LIMITED: 'Too many requests from this address; retry after the retry-after header',
  INTERNAL_ERROR: 'An unexpected server error (logged); nothing about it is in the body',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable',
  DATABASE_UNAVAILABLE: 'The database is unavailable; retry after the retry-after header',

  // Input: `fields` lists each bad field as { field, code, params } (see VALIDATION_RULES).
  VALIDATION_FAILED: 'One or more fields are invalid; `fields` names each with its rule and params',

  // Sign-in.
  LOGIN_FAILED: 'Wrong email or password (or the account is deactivated)',
  LOGIN_ACCOUNT_LOCKED: 'Too many failed sign-ins for this account; `minutes` until it opens again',
  LOGIN_BUSY: 'Too many sign-ins at once; try again in a moment',
  PROBE_LIMIT: "Too many answers this hour about records outside the caller's team",

  // Uniqueness.
  CUSTOMER_MOBILE_TAKEN: 'Another client already has this mobile',
  PRODUCT_SKU_TAKEN: 'Another product already has this SKU',
  USER_EMAIL_TAKEN: 'Another user already has this email',
  PURCHASE_ORDER_REF_TAKEN: 'Another order already has this orderRef',

  // Users and teams.
  MANAGER_HAS_TEAM: 'The manager still has butlers (`butlers`); move them first',
  BUTLER_HAS_OPEN_WORK: 'The butler still has clients, open follow-ups or open cases (`clients`, `followUps`, `cases`)',
  LAST_ADMIN: 'The last active admin cannot be demoted or deactivated',

  // Clients, follow-ups, cases.
  CUSTOMER_BUTLER_FORBIDDEN: 'A butler can only create clients for themselves',
  FOLLOW_UP_NOT_OPEN: 'The follow-up is no longer open (`status`)',
  FOLLOW_UP_BUTLER_FORBIDDEN:
    'A butler can only plan and reschedule their own follow-ups, not hand them to another butler',
  FOLLOW_UP_BUTLER_NOT_CLIENTS:
    "`field` (butlerId) is not the client's butler (`clientButlerId`): hand the client over too (handOverClient: true)",
  CASE_CLOSED: 'The case is closed and cannot be changed; open a new case',
  CASE_REASSIGN_FORBIDDEN: 'Only a manager or an admin can hand a case to another butler',
  CASE_TRANSITION_NOT_ALLOWED: 'The case cannot move from `from` to `to`; `allowed` lists where it can',

  // Greeting campaigns.
  CAMPAIGN_NOT_DRAFT: 'Only a draft campaign can be confirmed (`status`)',
  CAMPAIGN_FESTIVAL_PASSED: 'The festival the campaign greets has passed (`festival`, `date`)',
  CAMPAIGN_ALREADY_ENDED: 'The campaign is already completed or cancelled (`status`)',
  CAMPAIGN_NOT_FINISHED: 'Only a campaign that has finished sending can retry its failed messages (`status`)',
  CAMPAIGN_NOTHING_TO_RETRY: 'The campaign has no failed messages to retry',
  CAMPAIGN_ALREADY_RETRIED: 'Each failed message of the campaign was retried once already (`failed`)',
  CAMPAIGN_QUIET_HOURS:
    'The campaign sends between `from` (21:00) and `to` (08:00) Asia/Shanghai (at `time`); ' +
    'send confirmQuietHours: true to confirm (`fields` names sendAt)',

  // Relationship survey programs.
  SURVEY_PROGRAM_ACTIVE: 'An active program cannot be edited; pause it first (`status`)',
  SURVEY_PROGRAM_NOT_ACTIVE: 'Only an active program can be paused (`status`)',

  // SMS provider callbacks.
  SMS_CALLBACK_UNAUTHORIZED: 'An SMS provider callback without the SMS_CALLBACK_SECRET token (or with a wrong one)',

  // WeCom.
  WECOM_UNAVAILABLE: "WeCom refused the corp's token or did not answer (`errcode`, `errmsg`)",
  // WeCom: its callback URL, the chat toolbar page and its sign-in (docs/wecom.md).
  WECOM_CALLBACK_NOT_CONFIGURED:
    'WeCom callbacks are off: the wecom settings lack corpId, callbackToken or encodingAesKey',
  WECOM_CALLBACK_SIGNATURE: 'The callback msg_signature does not match (wrong callback Token, or a forged request)',
  WECOM_CALLBACK_UNREADABLE: 'The callback body cannot be read or decrypted (wrong EncodingAESKey or corp)',
  WECOM_CALLBACK_REPLAYED: 'The callback is older than 5 minutes, or was already received',
  WECOM_NOT_CONFIGURED: 'WeCom is not enabled, or lacks corpId, agentId or the app secret',
  WECOM_OAUTH_FAILED: 'WeCom did not accept the sign-in code (used, expired or unknown)',
  WECOM_USER_NOT_BOUND: 'No active user is bound to this WeCom member',
  WECOM_CONTACT_TAKEN: 'This WeCom contact is already bound to another client',
  WECOM_CLIENT_BOUND: 'The client is already bound to another WeCom contact',

  // Rating integrity (docs/rating-integrity.md).
  SURVEY_RESPONSE_NOT_FOUND: "No such survey answer (or one of a client outside the caller's reach)",
  INTEGRITY_SELF_CLEAR: 'A flag on an answer about the caller themselves is cleared by another manager or an admin',
  INTEGRITY_NOT_FLAGGED: 'The answer is not flagged (never was, or was cleared already)',

  // Holidays.
  HOLIDAY_SCHEDULE_INVALID: 'Lines of the holiday schedule are invalid (`lines`: line number and problem)',

  // CSV import.
  IMPORT_FILE_MISSING: 'No CSV file in the request (multipart field `file`, or a text/csv body)',
  IMPORT_FILE_UNREADABLE: 'The upload could not be read to its end; rows before that point were imported',
  IMPORT_HEADER_INVALID:
    'The header row is missing or invalid (`unknownColumns`, `repeatedColumns`, `missingMobile`, `notCsv`)',
  IMPORT_TOO_LARGE: 'The file is larger than IMPORT_MAX_MB (`maxMb`)',
  IMPORT_TOO_MANY_ROWS: 'The file has more rows than IMPORT_MAX_ROWS (`maxRows`); rows before were imported',

  // Exports.
  EXPORT_BUSY: 'Too many exports are running (`max`); try again shortly',

  // Idempotency-Key.
  IDEMPOTENCY_KEY_INVALID: 'The Idempotency-Key header is not 8-100 letters, digits or _ . : -',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was used with another request',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'A request with this Idempotency-Key is still running or its outcome is unknown',
} as const;

export type ErrorCodeName = keyof typeof ERROR_CODES;

// The rule a field broke, in VALIDATION_FAILED's `fields` (and an import failure's `code`):
// class-validator's constraint names plus the rules only a service or the pipe can check. The
// console says each in Chinese; `params` holds what the text needs (max, values…).
export const VALIDATION_RULES = {
  required: 'The field is missing or null',
  unknownField: 'The field is not accepted here',
  isObject: 'Must be a JSON object',
  nestedValidation: 'Must be an object (or a list of objects)',
  noNulCharacters: 'Text must not contain NUL characters',
  wellFormedText: 'Text must be well-formed Unicode',
  tooDeep: 'Nested more deeply than the server accepts (`max` levels)',
  notNull: 'Must not be null',
  // class-validator's built-ins used by the DTOs.
  isString: 'Must be text',
  isNotEmpty: 'Must not be empty',
  isDefined: 'Must be present',
  isBoolean: 'Must be true or false',
  isInt: 'Must be a whole number',
  isNumber: 'Must be a number',
  isPositive: 'Must be greater than 0',
  min: 'Must be at least `min`',
  max: 'Must be at most `max`',
  minLength: 'Must be at least `min` characters',
  maxLength: 'Must be at most `max` characters',
  isLength: 'Must be `min` to `max` characters',
  isEnum: 'Must be one of `values`',
  isIn: 'Must be one of `values`',
  isEmail: 'Must be an email address',
  isUuid: 'Must be an id (UUID)',
  isArray: 'Must be a list',
  arrayMinSize: 'Must list at least `min` items',
  arrayMaxSize: 'Must list at most `max` items',
  arrayUnique: 'Must not list an item twice',
  arrayNotEmpty: 'Must list at least one item',
  isDateString: 'Must be an ISO 8601 date',
  isIso8601: 'Must be an ISO 8601 date',
  matches: 'Must match the expected format',
  isUrl: 'Must be a URL',
  httpUrl: 'Must be an http or https URL (no user name or password in it)',
  publicAddress: 'Must not point at a private, loopback or link-local address (production)',
  // This codebase's own validators.
  isMobile: 'Must be a mainland mobile number (11 digits, 13x-19x)',
  isFen: 'Must be a whole number of fen from 0 to `max`',
  isDecimalNumber: 'Must be a number with at most `places` decimals',
  isRange: 'Must be [min, max] with min <= max',
  isOffsetDateTime: 'Must be an ISO 8601 date-time with an offset',
  isSingleLine: 'Must be one line (no line breaks)',
  isBirthdayDate: 'Must be a date that exists in its calendar (YYYY-MM-DD, or MM-DD without a year)',
  // Rules a service checks.
  notInFuture: 'Must not be in the future',
  notInPast: 'Must not be in the past',
  notOlderThanDays: 'Must be at most `max` days ago',
  onlyWhenNotReached: 'Only with the outcome no_answer or left_message',
  notAfterTo: 'The start must not be after the end',
  withinDays: 'Must be within `max` days of the start',
  distinctThemes: 'Each theme at most once, and other only alone',
  isCursor: 'Must be a value returned as nextCursor',
  isKnownProduct: 'Must be an existing product',
  isActiveButler: 'Must be an active butler (`team`: of your team)',
  isActiveManager: 'Must be an active manager',
  emptyUnlessButler: 'Must be empty unless the role is butler',
  emptyUnlessManager: 'Must be empty unless the role is manager (a region belongs to a team)',
  mobileTaken: 'Another user already has this mobile',
  alertSmsNeedsMobile: 'SMS alerts need a mobile on the user',
  isClientPurchase: "Must be one of this client's purchases",
  isActiveTemplate: 'Must be an active template',
  templateOccasion: 'The template must be for this occasion or a custom one (`occasion`)',
  beforeFestivalEnds: 'Must be on or before the festival (`festival`, `date`)',
  quietHours: 'A send time between `from` and `to` Asia/Shanghai (`time`) needs confirmQuietHours: true',
  templateSyntax: 'Not a valid template',
  templatePlaceholdersOnly: 'Only {{placeholders}} are allowed (no blocks, partials or helpers)',
  templateUnknownPlaceholder: 'An unknown placeholder (`placeholder`; `known` lists the accepted ones)',
  smsUnknownVariable: 'An SMS template variable the product cannot fill (`variable`; `known` lists the accepted ones)',
  smsOptOutMissing: 'A marketing SMS template must end with `optOut` (回T退订)',
  wecomIncomplete: 'WeCom cannot be turned on without these settings (`missing`: corpId, contactSecret)',
  wecomUserIdTaken: 'Another user is already bound to this WeCom userid',
  externalUserIdTaken: 'Another client is already bound to this WeCom external contact',
  notBeforeFirstResponse: 'A resolution SLA must not be shorter than the first-response SLA of the same priority',
  afterManager: 'An admin is alerted later than the manager (more hours than managerAfterHours)',
  requiredForRecovery: 'Required to complete a recovery task (rootCause, recoveryOutcome)',
  smsTemplateMissing: 'No SMS template code for this purpose in settings (`purpose`; configure it at `setting`)',
  // CSV import rows.
  extraCells: 'The row has more cells than the header (`max`)',
  repeatedInFile: 'The mobile repeats an earlier row of the file (`row`)',
  outsideTeam: "The mobile belongs to a client outside the caller's team",
  savedByOther: 'The mobile was just added by someone else; import the row again',
  notSaved: 'The row could not be saved',
  malformedRow: 'The row is not valid CSV',
} as const;

export type ValidationRule = keyof typeof VALIDATION_RULES;
