import * as ww from '@wecom/jssdk'
import { readonly, ref } from 'vue'

/**
 * The only module that touches `@wecom/jssdk`. Inside WeCom the SDK talks to the host through
 * `window.WeixinJSBridge`; `register` only records the options, and the first API call triggers
 * `config`/`agentConfig` with the signatures our server computes for the current URL.
 */

/** Where the page was opened from (ww.getContext().entry). */
export type WeComEntry =
  | 'single_chat_tools'
  | 'group_chat_tools'
  | 'contact_profile'
  | 'single_kf_tools'
  | 'chat_attachment'
  | 'chain_single_chat_tools'
  | 'normal'
  | (string & {})

export interface WeComSignature {
  timestamp: number | string
  nonceStr: string
  signature: string
}

export interface WeComRegisterOptions {
  corpId: string
  agentId: string | number
  /** Signature for ww.config (corp jsapi_ticket) of `url` (without the `#…` part). */
  getConfigSignature: (url: string) => Promise<WeComSignature>
  /** Signature for ww.agentConfig (agent ticket), required for the external-contact APIs. */
  getAgentConfigSignature: (url: string) => Promise<WeComSignature>
  jsApiList?: string[]
}

export type ChatMessage = Parameters<typeof ww.sendChatMessage>[0]

export const DEFAULT_JS_API_LIST = [
  'getContext',
  'getCurExternalContact',
  'getCurExternalChat',
  'sendChatMessage',
  'openUserProfile',
  'selectExternalContact',
  'shareToExternalContact',
  'navigateToAddCustomer',
  'openEnterpriseChat',
]

/** WeCom's in-app browser announces itself as `wxwork/<version>` in the user agent. */
export function detectWeCom(userAgent: string = globalThis.navigator?.userAgent ?? ''): boolean {
  return /wxwork\//i.test(userAgent)
}

const registered = ref(false)

function wrap(error: unknown): Error {
  if (error instanceof Error) return error
  if (typeof error === 'object' && error !== null && 'errMsg' in error) {
    return new Error(String((error as { errMsg: unknown }).errMsg))
  }
  return new Error(String(error))
}

export function useWeCom() {
  const isInWeCom = detectWeCom()

  function register(options: WeComRegisterOptions): void {
    ww.register({
      corpId: options.corpId,
      agentId: options.agentId,
      jsApiList: options.jsApiList ?? DEFAULT_JS_API_LIST,
      getConfigSignature: options.getConfigSignature,
      getAgentConfigSignature: options.getAgentConfigSignature,
    })
    registered.value = true
  }

  async function call<T>(run: () => Promise<T>): Promise<T> {
    if (!registered.value) throw new Error('WeCom JS-SDK is not registered yet')
    try {
      return await run()
    } catch (error) {
      throw wrap(error)
    }
  }

  async function getContext(): Promise<{ entry: WeComEntry; shareTicket?: string }> {
    const res = await call(() => ww.getContext())
    return { entry: res.entry, shareTicket: res.shareTicket }
  }

  /** external_userid of the customer in the current 1v1 chat. */
  async function getCurExternalContact(): Promise<string> {
    const res = await call(() => ww.getCurExternalContact())
    return res.userId
  }

  /** chat_id of the current customer group chat. */
  async function getCurExternalChat(): Promise<string> {
    const res = await call(() => ww.getCurExternalChat())
    return res.chatId
  }

  /** Puts a message into the current chat's input box; the staff member presses send. */
  async function sendChatMessage(message: ChatMessage): Promise<void> {
    await call(() => ww.sendChatMessage(message))
  }

  /**
   * Opens (or creates) a chat: with one external contact and no other members it is the advisor's 1v1
   * chat with that customer. From the sidebar opened outside a chat (my tasks), this jumps to the customer.
   */
  async function openEnterpriseChat(options: {
    externalUserIds?: string[]
    userIds?: string[]
    groupName?: string
  }): Promise<void> {
    await call(() =>
      ww.openEnterpriseChat({
        externalUserIds: options.externalUserIds ?? [],
        userIds: options.userIds ?? [],
        groupName: options.groupName ?? '',
      }),
    )
  }

  return {
    isInWeCom,
    registered: readonly(registered),
    register,
    getContext,
    getCurExternalContact,
    getCurExternalChat,
    sendChatMessage,
    openEnterpriseChat,
  }
}
