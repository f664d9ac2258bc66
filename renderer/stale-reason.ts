/**
 * The id of the stale banner's sentence that a stale row's disabled buttons point at (aria-describedby). Its
 * own module: the banner loads lazily (only a failed read shows it), the rows are part of the first paint.
 */
export const STALE_REASON_ID = 'stale-reason';
