import type { GetExternalContactResponse } from '../../wecom/api-types.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { WeComApiError } from '../../wecom/errors.ts'
import type { CallbackEvent } from '../../wecom/events.ts'

// errcodes meaning "this contact is no longer there": nothing to read.
export const CONTACT_GONE = new Set([84061, 40096, 90000, 701008])

/**
 * Reads `externalcontact/get` once per callback event for all of its steps: the welcome needs the
 * customer's name before the directory mirror has been written, and the mirror then reuses the same
 * answer instead of a second call. Keyed by the event, so a later event always reads afresh.
 */
export class ContactReader {
  private readonly reads = new Map<string, { at: number; read: Promise<GetExternalContactResponse | null> }>()

  constructor(
    private readonly wecom: WeComClient,
    private readonly ttlMs = 60_000,
  ) {}

  read(ev: CallbackEvent): Promise<GetExternalContactResponse | null> {
    const key = `${ev.ExternalUserID}|${ev.UserID}|${ev.ChangeType}|${ev.CreateTime}`
    const now = Date.now()
    const hit = this.reads.get(key)
    if (hit && now - hit.at < this.ttlMs) return hit.read
    if (this.reads.size > 5_000)
      for (const [k, v] of this.reads) if (now - v.at >= this.ttlMs) this.reads.delete(k)
    const read = this.fetch(ev.ExternalUserID ?? '')
    this.reads.set(key, { at: now, read })
    read.catch(() => this.reads.delete(key))
    return read
  }

  private async fetch(external_userid: string) {
    try {
      return await this.wecom.get<GetExternalContactResponse>('externalcontact/get', { external_userid })
    } catch (err) {
      if (err instanceof WeComApiError && CONTACT_GONE.has(err.errcode)) return null
      throw err
    }
  }
}
