// A campaign message in WeCom's shapes: add_msg_template attachments (server side) and the
// sendChatMessage payload (sidebar). Images and covers that WeCom wants as temporary media are
// uploaded at send time, because a campaign is planned days before a 3-day media id would be used.
import axios from 'axios'
import type { CampaignAttachment, ChatMessagePayload } from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'
import type { WeComClient } from '../../wecom/client.ts'

export interface StoredPayload {
  text: string
  attachment: CampaignAttachment | null
}

const MAX_IMAGE_BYTES = 10 << 20

/** Fetches an image by URL (our permanent uploadimg URLs) and uploads it as a temporary media id. */
export async function uploadImageFromUrl(wecom: WeComClient, url: string): Promise<string> {
  const res = await axios.get<ArrayBuffer>(url, {
    responseType: 'arraybuffer',
    timeout: 10_000,
    maxContentLength: MAX_IMAGE_BYTES,
    validateStatus: () => true,
  })
  if (res.status !== 200)
    throw badRequest('image_unavailable', `the image ${url} answered HTTP ${res.status}`)
  const bytes = Buffer.from(res.data)
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || 'image') || 'image'
  const form = new FormData()
  form.append('media', new Blob([new Uint8Array(bytes)]), /\.\w+$/.test(name) ? name : `${name}.png`)
  const up = await wecom.post<{ media_id: string }>('media/upload', form, { type: 'image' })
  return up.media_id
}

/** The body of add_msg_template for one owner's groups. */
export async function massSendBody(
  wecom: WeComClient,
  p: StoredPayload,
  sender: string,
  chatIds: string[],
): Promise<Record<string, unknown>> {
  const attachments: unknown[] = []
  const a = p.attachment
  if (a?.type === 'link')
    attachments.push({
      msgtype: 'link',
      link: {
        title: a.title,
        url: a.url,
        ...(a.desc ? { desc: a.desc } : {}),
        ...(a.picUrl ? { picurl: a.picUrl } : {}),
      },
    })
  else if (a?.type === 'image') attachments.push({ msgtype: 'image', image: { pic_url: a.picUrl } })
  else if (a?.type === 'miniprogram')
    attachments.push({
      msgtype: 'miniprogram',
      miniprogram: {
        title: a.title,
        pic_media_id: await uploadImageFromUrl(wecom, a.picUrl),
        appid: a.appid,
        page: a.page,
      },
    })
  return {
    chat_type: 'group',
    sender,
    chat_id_list: chatIds,
    ...(p.text.trim() ? { text: { content: p.text } } : {}),
    ...(attachments.length ? { attachments } : {}),
  }
}

/** sendChatMessage wants a mini-program page ending in .html. */
function htmlPage(page: string): string {
  const [path, query] = page.split('?')
  const withHtml = path.endsWith('.html') ? path : `${path}.html`
  return query ? `${withHtml}?${query}` : withHtml
}

/** The payload the sidebar hands to ww.sendChatMessage. */
export async function chatPayload(
  wecom: WeComClient,
  part: 'text' | 'attachment',
  p: StoredPayload,
): Promise<ChatMessagePayload> {
  if (part === 'text') {
    if (!p.text.trim()) throw badRequest('no_text', 'This message has no text')
    return { msgtype: 'text', text: { content: p.text } }
  }
  const a = p.attachment
  if (!a) throw badRequest('no_attachment', 'This message has no attachment')
  if (a.type === 'link')
    return {
      msgtype: 'news',
      news: { link: a.url, title: a.title, desc: a.desc ?? '', imgUrl: a.picUrl ?? '' },
    }
  if (a.type === 'miniprogram')
    return {
      msgtype: 'miniprogram',
      miniprogram: { appid: a.appid, title: a.title, imgUrl: a.picUrl, page: htmlPage(a.page) },
    }
  return { msgtype: 'image', image: { mediaid: await uploadImageFromUrl(wecom, a.picUrl) } }
}
