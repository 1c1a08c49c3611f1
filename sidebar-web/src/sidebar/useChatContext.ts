import { computed, ref } from 'vue'
import { fetchJssdkConfig, fetchJssdkSignature } from '@/api/sidebar'
import { fetchMe, signInUrl } from '@/api/sidebar-views'
import { describeError } from '@/api/errors'
import { useWeCom, type WeComEntry } from '@/wecom'

export type ContextState = 'outside' | 'loading' | 'ready' | 'error'

/** 入口 labels: where WeCom opened the sidebar from. */
export const ENTRY_LABEL: Record<string, string> = {
  single_chat_tools: '单聊工具栏',
  group_chat_tools: '群聊工具栏',
  contact_profile: '客户详情页',
  single_kf_tools: '微信客服工具栏',
  chat_attachment: '聊天附件栏',
  chain_single_chat_tools: '上下游单聊工具栏',
  normal: '普通入口',
}

/**
 * Registers the JS-SDK with our server's signatures, then asks WeCom which chat the sidebar is in:
 * a customer (external_userid) in a 1v1 chat, or a customer group (chat_id) in a group chat.
 */
export function useChatContext() {
  const wecom = useWeCom()
  const state = ref<ContextState>(wecom.isInWeCom ? 'loading' : 'outside')
  const entry = ref<WeComEntry | null>(null)
  const externalUserId = ref<string | null>(null)
  const chatId = ref<string | null>(null)
  const error = ref('')
  const advisor = ref<{ userId: string; name: string } | null>(null)

  const entryLabel = computed(() => (entry.value ? (ENTRY_LABEL[entry.value] ?? entry.value) : ''))

  async function detect(): Promise<void> {
    if (!wecom.isInWeCom) return
    state.value = 'loading'
    error.value = ''
    try {
      // Who is the advisor? Without a sidebar session, sign in through WeCom OAuth and come back here.
      if (!advisor.value) {
        advisor.value = await fetchMe()
        if (!advisor.value) {
          window.location.replace(signInUrl(window.location.pathname + window.location.search))
          return
        }
      }
      if (!wecom.registered.value) {
        const config = await fetchJssdkConfig()
        wecom.register({
          corpId: config.corpId,
          agentId: config.agentId,
          getConfigSignature: (url) => fetchJssdkSignature('config', url),
          getAgentConfigSignature: (url) => fetchJssdkSignature('agent', url),
        })
      }
      const context = await wecom.getContext()
      entry.value = context.entry
      if (context.entry === 'single_chat_tools' || context.entry === 'contact_profile') {
        externalUserId.value = await wecom.getCurExternalContact()
      } else if (context.entry === 'group_chat_tools') {
        chatId.value = await wecom.getCurExternalChat()
      }
      state.value = 'ready'
    } catch (e) {
      error.value = describeError(e)
      state.value = 'error'
    }
  }

  return {
    isInWeCom: wecom.isInWeCom,
    advisor,
    state,
    entry,
    entryLabel,
    externalUserId,
    chatId,
    error,
    detect,
  }
}
