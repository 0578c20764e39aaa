/**
 * Limits the intake enforces. They mirror `FEEDBACK_TEXT_MAX`/`FEEDBACK_URL_MAX` in the schema
 * (a test keeps them equal): the schema module imports `sanity`, which the server must not load.
 */

/** Per free-text field, server side (browsers get 1,200: some count CRLF as one character). */
export const TEXT_MAX = 1250
/** The page address, user agent and referrer. */
export const URL_MAX = 2048
/** Idempotency keys are opaque tokens from the form; anything longer is not one of ours. */
export const IDEMPOTENCY_KEY_MAX = 200
/**
 * The whole request body. Two full text fields, the URL and the small fields fit in well under
 * 16 KiB even fully percent-encoded (3 bytes per character for non-ASCII × 3 for `%XX`).
 */
export const DEFAULT_BODY_LIMIT = 32 * 1024
/** Same page and same text within this window is a duplicate. */
export const DUPLICATE_WINDOW_MS = 5 * 60 * 1000
/**
 * The whole body must arrive within this: the largest accepted body (32 KiB) takes well under a
 * second on any real link, and a body that stalls must not hold the intake (slowloris).
 */
export const BODY_DEADLINE_MS = 10_000
