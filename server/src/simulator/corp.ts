// SimulatedCorp: one in-memory WeCom corp (企业) — config, clock, data, call log, faults and callback driver.
import { CallLog } from './call-log.ts'
import { CallbackDriver, type CallbackTarget } from './driver/driver.ts'
import { fail, Err } from './errors.ts'
import { FaultInjector } from './faults.ts'
import { IdGenerator } from './ids.ts'
import { emptyData, type CorpData } from './state.ts'
import type {
  Customer,
  CustomerGroup,
  CustomerProfile,
  FollowRelation,
  GroupMember,
  JoinWay,
  Staff,
  TagGroup,
} from './types.ts'

export interface CorpOptions {
  corpId?: string
  agentId?: number
  /** Secrets accepted by gettoken (e.g. the 客户联系 secret and the app secret). */
  secrets?: string[]
  /** Seed for deterministic ids. */
  seed?: number
  tokenTtlMs?: number
  welcomeCodeTtlMs?: number
  oauthCodeTtlMs?: number
  ticketTtlMs?: number
  mediaTtlMs?: number
  /** Members a customer group takes through QR joins (WeCom: 200). */
  groupCapacity?: number
  callback?: CallbackTarget
  /** WeCom waits 5 s for the 200, then retries up to 3 more times with the same payload. */
  callbackAckTimeoutMs?: number
  callbackRetries?: number
  callbackRetryDelayMs?: number
}

export type ResolvedCorpOptions = Required<Omit<CorpOptions, 'callback'>> & { callback?: CallbackTarget }

export const DEFAULT_CORP_ID = 'wwd3m0c0rp5imu1a7e'
export const DEFAULT_SECRETS = ['sim-contact-secret', 'sim-app-secret']

export function resolveOptions(o: CorpOptions = {}): ResolvedCorpOptions {
  return {
    corpId: o.corpId ?? DEFAULT_CORP_ID,
    agentId: o.agentId ?? 1000002,
    secrets: o.secrets ?? DEFAULT_SECRETS,
    seed: o.seed ?? 20240601,
    tokenTtlMs: o.tokenTtlMs ?? 7200_000,
    welcomeCodeTtlMs: o.welcomeCodeTtlMs ?? 20_000,
    oauthCodeTtlMs: o.oauthCodeTtlMs ?? 300_000,
    ticketTtlMs: o.ticketTtlMs ?? 7200_000,
    mediaTtlMs: o.mediaTtlMs ?? 3 * 86_400_000,
    groupCapacity: o.groupCapacity ?? 200,
    callback: o.callback,
    callbackAckTimeoutMs: o.callbackAckTimeoutMs ?? 5000,
    callbackRetries: o.callbackRetries ?? 3,
    callbackRetryDelayMs: o.callbackRetryDelayMs ?? 0,
  }
}

export class SimulatedCorp {
  readonly options: ResolvedCorpOptions
  readonly calls = new CallLog()
  readonly faults = new FaultInjector()
  readonly driver: CallbackDriver
  /** Called after every successful update_join_way with the list it replaced (tests watch rotations). */
  readonly joinWayObservers: ((way: JoinWay, before: string[]) => void)[] = []
  data: CorpData = emptyData()
  ids: IdGenerator
  /** Added to Date.now(); tests move time forward instead of sleeping. */
  private clockOffsetMs = 0

  constructor(options: CorpOptions = {}) {
    this.options = resolveOptions(options)
    this.ids = new IdGenerator(this.options.seed)
    this.driver = new CallbackDriver(this)
  }

  get corpId(): string {
    return this.options.corpId
  }

  get agentId(): number {
    return this.options.agentId
  }

  get callback(): CallbackTarget | undefined {
    return this.options.callback
  }

  set callback(target: CallbackTarget | undefined) {
    this.options.callback = target
  }

  nowMs(): number {
    return Date.now() + this.clockOffsetMs
  }

  now(): number {
    return Math.floor(this.nowMs() / 1000)
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms
  }

  /** Drops all data (tokens included) and restarts ids from the seed; config, faults and log stay. */
  reset(): void {
    this.data = emptyData()
    this.ids = new IdGenerator(this.options.seed)
    this.clockOffsetMs = 0
  }

  // ── staff ──
  addStaff(s: Pick<Staff, 'userid' | 'name'> & Partial<Staff>): Staff {
    const staff: Staff = {
      avatar: `https://wework.qpic.cn/sim/${s.userid}/0`,
      department: [1],
      resigned: false,
      ...s,
    }
    this.data.staff.set(staff.userid, staff)
    return staff
  }

  staff(userid: string): Staff {
    const s = this.data.staff.get(userid)
    if (!s) fail(Err.invalidUserId, `invalid userid: ${userid}`)
    return s
  }

  // ── customers ──
  addCustomer(p: Partial<CustomerProfile> & { name: string }): Customer {
    const { name, ...rest } = p
    const customer: Customer = {
      external_userid: p.external_userid ?? this.ids.prefixed('wm'),
      name,
      avatar: p.avatar ?? `https://wx.qlogo.cn/sim/${this.ids.chars(8)}/0`,
      type: p.type ?? 1,
      gender: p.gender ?? 0,
      ...rest,
      follows: [],
    }
    if (customer.unionid === undefined && customer.type === 1) customer.unionid = this.ids.prefixed('oAmD')
    this.data.customers.set(customer.external_userid, customer)
    return customer
  }

  customer(externalUserid: string): Customer {
    const c = this.data.customers.get(externalUserid)
    if (!c) fail(Err.invalidExternalUserId, `invalid external_userid: ${externalUserid}`)
    return c
  }

  follow(c: Customer, userid: string): FollowRelation | undefined {
    return c.follows.find((f) => f.userid === userid)
  }

  addFollow(c: Customer, f: Pick<FollowRelation, 'userid'> & Partial<FollowRelation>): FollowRelation {
    const existing = this.follow(c, f.userid)
    if (existing) c.follows.splice(c.follows.indexOf(existing), 1)
    const rel: FollowRelation = {
      remark: '',
      description: '',
      createtime: this.now(),
      tag_ids: [],
      remark_mobiles: [],
      add_way: 1,
      oper_userid: c.external_userid,
      ...f,
    }
    c.follows.push(rel)
    return rel
  }

  customersOf(userid: string): Customer[] {
    return [...this.data.customers.values()].filter((c) => c.follows.some((f) => f.userid === userid))
  }

  // ── tags ──
  findTag(tagId: string): { group: TagGroup; tag: TagGroup['tags'][number] } | undefined {
    for (const group of this.data.tagGroups) {
      const tag = group.tags.find((t) => t.id === tagId)
      if (tag) return { group, tag }
    }
    return undefined
  }

  addTagGroup(name: string, tagNames: string[], order = 0): TagGroup {
    const group: TagGroup = {
      group_id: this.ids.prefixed('et'),
      group_name: name,
      create_time: this.now(),
      order,
      tags: [],
    }
    for (const n of tagNames)
      group.tags.push({ id: this.ids.prefixed('et'), name: n, create_time: this.now(), order: 0 })
    this.data.tagGroups.push(group)
    return group
  }

  // ── customer groups ──
  group(chatId: string): CustomerGroup {
    const g = this.data.groups.get(chatId)
    if (!g || g.dismissed) fail(Err.invalidChatId, `chatid not found: ${chatId}`)
    return g
  }

  createGroup(
    owner: string,
    name: string,
    opts: { chatId?: string; createTime?: number } = {},
  ): CustomerGroup {
    const createTime = opts.createTime ?? this.now()
    const group: CustomerGroup = {
      chat_id: opts.chatId ?? this.ids.prefixed('wr'),
      name,
      owner,
      create_time: createTime,
      notice: '',
      status: 0,
      member_list: [],
      admin_list: [],
      member_version: 1,
      dismissed: false,
    }
    this.data.groups.set(group.chat_id, group)
    this.joinGroup(group, owner, { scene: 1, time: createTime })
    return group
  }

  /** Adds a staff member (userid known to the corp) or a customer (external_userid) to a group. */
  joinGroup(
    group: CustomerGroup,
    memberId: string,
    opts: { scene: 1 | 2 | 3; invitor?: string; time?: number },
  ): GroupMember {
    const staff = this.data.staff.get(memberId)
    const customer = staff ? undefined : this.data.customers.get(memberId)
    const member: GroupMember = {
      userid: memberId,
      type: staff ? 1 : 2,
      join_time: opts.time ?? this.now(),
      join_scene: opts.scene,
      group_nickname: '',
      name: staff?.name ?? customer?.name ?? memberId,
    }
    if (opts.invitor) member.invitor = { userid: opts.invitor }
    if (customer?.unionid) member.unionid = customer.unionid
    group.member_list = group.member_list.filter((m) => m.userid !== memberId)
    group.member_list.push(member)
    group.member_version++
    return member
  }

  leaveGroup(group: CustomerGroup, memberId: string): boolean {
    const before = group.member_list.length
    group.member_list = group.member_list.filter((m) => m.userid !== memberId)
    group.admin_list = group.admin_list.filter((a) => a.userid !== memberId)
    if (group.member_list.length === before) return false
    group.member_version++
    return true
  }

  isFull(group: CustomerGroup): boolean {
    return group.member_list.length >= this.options.groupCapacity
  }
}
