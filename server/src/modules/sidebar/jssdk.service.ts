// JS-SDK signatures for the sidebar (ww.register): the corp jsapi_ticket signs `config`, the app's
// agent_config ticket signs `agentConfig`. Tickets are rate-limited by WeCom (≈400/h per corp, 100/h
// per app), so they are cached server-side and shared by instances through the credential store.
import { randomBytes } from 'node:crypto'
import type { WeComClient } from '../../wecom/client.ts'
import type { CredentialStore } from '../../wecom/credential-store.ts'
import { jsApiSignature } from '../../wecom/crypto.ts'

export type TicketKind = 'config' | 'agent'

export interface JsSdkSignature {
  timestamp: number
  nonceStr: string
  signature: string
}

export class JsSdkService {
  constructor(
    private readonly wecom: WeComClient,
    private readonly credentials: CredentialStore,
    private readonly corpId: string,
    private readonly agentId: string,
  ) {}

  ticketKey(kind: TicketKind): string {
    return kind === 'config' ? `jsapi_ticket:${this.corpId}` : `agent_ticket:${this.corpId}:${this.agentId}`
  }

  ticket(kind: TicketKind): Promise<string> {
    return this.credentials.get(this.ticketKey(kind), async () => {
      const res =
        kind === 'config'
          ? await this.wecom.get<{ ticket: string; expires_in: number }>('get_jsapi_ticket')
          : await this.wecom.get<{ ticket: string; expires_in: number }>('ticket/get', {
              type: 'agent_config',
            })
      return { value: res.ticket, expiresInSec: res.expires_in }
    })
  }

  /** Signs the page URL without its fragment, as the JS-SDK does. */
  async sign(kind: TicketKind, pageUrl: string): Promise<JsSdkSignature> {
    const url = pageUrl.split('#')[0]
    const nonceStr = randomBytes(8).toString('hex')
    const timestamp = Math.floor(Date.now() / 1000)
    const { signature } = jsApiSignature(await this.ticket(kind), url, nonceStr, timestamp)
    return { timestamp, nonceStr, signature }
  }
}
