// App messages to staff (message/send) and media (temporary media_id, permanent image URL).
import type { FastifyInstance } from 'fastify'
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { str, type ApiRoute } from '../http.ts'
import type { Media } from '../types.ts'
import { checkMedia } from './welcome.ts'

const MSG_TYPES = [
  'text',
  'image',
  'voice',
  'video',
  'file',
  'textcard',
  'news',
  'mpnews',
  'markdown',
  'miniprogram_notice',
  'template_card',
]
const MEDIA_LIMITS: Record<Media['type'], number> = {
  image: 10 << 20,
  voice: 2 << 20,
  video: 10 << 20,
  file: 20 << 20,
}

export const messageMediaRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/message/send',
    handler: ({ corp, body }) => {
      if (Number(body.agentid) !== corp.agentId) fail(Err.invalidAgentId, 'invalid agentid')
      const msgtype = str(body.msgtype) ?? ''
      if (!MSG_TYPES.includes(msgtype)) fail(Err.invalidMsgType, 'invalid message type')
      const content = body[msgtype]
      if (!content || typeof content !== 'object') fail(Err.invalidParam, `${msgtype} missing`)
      if (msgtype === 'text' || msgtype === 'markdown') {
        if (!content.content) fail(Err.emptyContent, 'empty content')
        if (Buffer.byteLength(String(content.content)) > 2048)
          fail(Err.contentTooLarge, 'content size out of limit')
      }
      const touser = (str(body.touser) ?? '').split('|').filter(Boolean)
      if (touser.length === 0 && !body.toparty && !body.totag)
        fail(82001, 'touser, toparty and totag all empty')
      const all = touser.includes('@all')
      const valid = all ? [...corp.data.staff.keys()] : touser.filter((u) => corp.data.staff.has(u))
      const invalid = all ? [] : touser.filter((u) => !corp.data.staff.has(u))
      if (valid.length === 0 && !body.toparty && !body.totag) fail(81013, 'all touser invalid')
      const msgid = corp.ids.chars(40)
      corp.data.appMessages.push({
        msgid,
        agentid: corp.agentId,
        touser: valid,
        msgtype,
        body,
        time: corp.now(),
      })
      return { invaliduser: invalid.join('|'), invalidparty: '', invalidtag: '', unlicenseduser: '', msgid }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/media/upload',
    handler: ({ corp, query, parts }) => {
      const type = query.type as Media['type']
      if (!(type in MEDIA_LIMITS)) fail(Err.invalidType, 'invalid type')
      const file = parts.find((p) => p.name === 'media') ?? parts.find((p) => p.filename !== undefined)
      if (!file || file.data.length === 0) fail(Err.emptyMedia, 'media data missing')
      if (file.data.length > MEDIA_LIMITS[type] || (type === 'image' && file.data.length < 5))
        fail(40006, 'invalid file size')
      const media: Media = {
        media_id: `3${corp.ids.chars(63)}`,
        type,
        filename: file.filename ?? 'media',
        content_type: file.contentType ?? 'application/octet-stream',
        bytes: file.data,
        created_at: corp.now(),
      }
      corp.data.media.set(media.media_id, media)
      return { type, media_id: media.media_id, created_at: String(media.created_at) }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/media/uploadimg',
    handler: ({ corp, parts, baseUrl }) => {
      const file = parts.find((p) => p.name === 'media') ?? parts.find((p) => p.filename !== undefined)
      if (!file || file.data.length === 0) fail(Err.emptyMedia, 'media data missing')
      if (file.data.length > 2 << 20) fail(40009, 'invalid image size')
      const id = `img${corp.ids.chars(29)}`
      corp.data.media.set(id, {
        media_id: id,
        type: 'image',
        filename: file.filename ?? 'image.png',
        content_type: file.contentType ?? 'image/png',
        bytes: file.data,
        created_at: corp.now(),
        permanent: true,
      })
      return { url: `${baseUrl}/_media/${id}` }
    },
  },
  {
    method: 'GET',
    path: '/cgi-bin/media/get',
    handler: ({ corp, query, reply }) => {
      const id = query.media_id ?? ''
      checkMedia(corp, id)
      const m = corp.data.media.get(id)!
      reply
        .header('content-type', m.content_type)
        .header('content-disposition', `attachment; filename="${encodeURIComponent(m.filename)}"`)
        .send(m.bytes)
    },
  },
]

/** Serves images uploaded through media/uploadimg at their returned URL. */
export function registerMediaFiles(app: FastifyInstance, corp: SimulatedCorp): void {
  app.get<{ Params: { id: string } }>('/_media/:id', async (req, reply) => {
    const m = corp.data.media.get(req.params.id)
    if (!m) return reply.code(404).send('not found')
    return reply.header('content-type', m.content_type).send(m.bytes)
  })
}
