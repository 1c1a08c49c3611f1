// The event path's view of channels: State → code, channel and welcome messages. Cached briefly
// because every add reads it on the 20-second welcome path; local edits drop the cache at once,
// edits made on another instance show within CACHE_MS.
import { IsNull, Not, type DataSource } from 'typeorm'
import { StaffEntity } from '../directory/staff.entity.ts'
import {
  ChannelAdvisorEntity,
  ChannelCodeEntity,
  ChannelEntity,
  type Channel,
  type ChannelCode,
} from './channel.entity.ts'
import type { ChannelService } from './channel.service.ts'
import type { Attachment } from '@scrm/shared'
import { WelcomeMessageEntity } from './welcome-message.entity.ts'

const CACHE_MS = 5_000

export interface WelcomeContent {
  text: string
  attachments: Attachment[]
}

export interface ResolvedChannel {
  channel: Channel
  code: ChannelCode
  tagIds: string[]
  /** Some advisor has a daily cap: an add may hand the code over to the next advisor. */
  capped: boolean
  standard: WelcomeContent
  gift: WelcomeContent
}

const EMPTY: WelcomeContent = { text: '', attachments: [] }

export class ChannelResolver {
  private cache = new Map<string, { at: number; version: number; value: ResolvedChannel | null }>()
  private defaultWelcome: { at: number; version: number; value: WelcomeContent } | null = null

  constructor(
    private readonly db: DataSource,
    private readonly channels: ChannelService,
  ) {}

  private fresh(e: { at: number; version: number } | null | undefined) {
    return e && e.version === this.channels.version && Date.now() - e.at < CACHE_MS
  }

  async byState(state: string): Promise<ResolvedChannel | null> {
    if (!state) return null
    const hit = this.cache.get(state)
    if (hit && this.fresh(hit)) return hit.value
    const version = this.channels.version
    const value = await this.load(state)
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(state, { at: Date.now(), version, value })
    return value
  }

  private async load(state: string): Promise<ResolvedChannel | null> {
    // Deleted codes still resolve: a customer who scanned just before the delete belongs to the channel.
    const code = await this.db.getRepository(ChannelCodeEntity).findOneBy({ state })
    if (!code) return null
    const channel = await this.db.getRepository(ChannelEntity).findOneBy({ id: code.channelId })
    if (!channel) return null
    const welcomes = await this.db.getRepository(WelcomeMessageEntity).findBy({ channelId: channel.id })
    const pick = (kind: string): WelcomeContent => {
      const w = welcomes.find((x) => x.kind === kind)
      return w ? { text: w.text, attachments: JSON.parse(w.attachments) } : EMPTY
    }
    const capped = await this.db
      .getRepository(ChannelAdvisorEntity)
      .exists({ where: { channelId: channel.id, dailyCap: Not(IsNull()) } })
    return {
      channel,
      code,
      tagIds: JSON.parse(channel.tagIds),
      capped,
      standard: pick('standard'),
      gift: pick('gift'),
    }
  }

  private staff: { at: number; names: Map<string, string> } | null = null

  /** Staff names change rarely; a minute-old name in a welcome text is fine. */
  async staffName(userId: string): Promise<string> {
    if (!this.staff || Date.now() - this.staff.at > 60_000 || !this.staff.names.has(userId)) {
      const rows = await this.db.getRepository(StaffEntity).find({ select: { userId: true, name: true } })
      this.staff = { at: Date.now(), names: new Map(rows.map((r) => [r.userId, r.name])) }
    }
    return this.staff.names.get(userId) ?? userId
  }

  async defaults(): Promise<WelcomeContent> {
    if (this.defaultWelcome && this.fresh(this.defaultWelcome)) return this.defaultWelcome.value
    const version = this.channels.version
    const w = await this.db
      .getRepository(WelcomeMessageEntity)
      .findOneBy({ channelId: IsNull(), kind: 'default' })
    const value = w ? { text: w.text, attachments: JSON.parse(w.attachments) as Attachment[] } : EMPTY
    this.defaultWelcome = { at: Date.now(), version, value }
    return value
  }
}
