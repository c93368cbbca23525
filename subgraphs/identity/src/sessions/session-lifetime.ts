// How long a session lasts: the rules refreshing a session and listing the live ones both apply.

/** A session ends this long after it started, however often it is refreshed. */
export const SESSION_LIFETIME_DAYS = 90;
/** …and sooner, if nobody refreshes it for this long. */
export const SESSION_IDLE_DAYS = 30;
