// How a WeCom failure counts for a step: worth another try later, or final.
import {
  TOKEN_ERRCODES,
  TRANSIENT_ERRCODES,
  WeComApiError,
  WeComUnavailableError,
} from '../../wecom/errors.ts'

/** 41096: WeCom's "retry later" for welcome messages. */
const RETRY_LATER = 41096

export function isRetryable(err: unknown): boolean {
  if (err instanceof WeComUnavailableError) return true
  if (err instanceof WeComApiError)
    return (
      TRANSIENT_ERRCODES.has(err.errcode) || TOKEN_ERRCODES.has(err.errcode) || err.errcode === RETRY_LATER
    )
  return true // our own failures (database…) are worth a retry too
}

export function describe(err: unknown): string {
  if (err instanceof WeComApiError) return `${err.errcode} ${err.errmsg}`.slice(0, 255)
  return String((err as Error)?.message ?? err).slice(0, 255)
}
