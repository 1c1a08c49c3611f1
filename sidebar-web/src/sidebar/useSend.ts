import { ref } from 'vue'
import { showFailToast, showSuccessToast } from 'vant'
import 'vant/es/toast/style/index'
import type { ChatMessagePayload } from '@scrm/shared'
import { describeError } from '@/api/errors'
import { useWeCom, type ChatMessage } from '@/wecom'

/**
 * One tap → the server records the use and builds the message (fresh media ids) → ww.sendChatMessage
 * puts it into the chat's input box; the advisor presses send in WeCom.
 */
export function useSend() {
  const wecom = useWeCom()
  const sending = ref<string | null>(null)

  async function send(key: string, build: () => Promise<ChatMessagePayload>): Promise<boolean> {
    if (sending.value) return false
    sending.value = key
    try {
      const message = await build()
      await wecom.sendChatMessage(message as ChatMessage)
      showSuccessToast('已放入输入框')
      return true
    } catch (e) {
      showFailToast(describeError(e))
      return false
    } finally {
      sending.value = null
    }
  }

  return { send, sending }
}
