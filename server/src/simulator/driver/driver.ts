// CallbackDriver: scenarios that change the simulated corp the way WeCom would, then post the signed,
// encrypted callback WeCom would send about it (see WECOM.md §2 for the events and fields).
import type { SimulatedCorp } from '../corp.ts'
import { joinViaJoinWay } from '../api/join-ways.ts'
import { completeTransfer } from '../api/transfer.ts'
import { confirmMassSend } from '../api/mass-send.ts'
import { deleteTags } from '../api/tags.ts'
import type { Customer, CustomerGroup, CustomerProfile, MassSendResult } from '../types.ts'
import { deliverCallback, type DeliveryResult } from './delivery.ts'
import { changeEvent, type XmlValue } from './xml.ts'

export type { CallbackTarget, DeliveryResult, DeliveryAttempt } from './delivery.ts'

export class ScenarioError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export interface DeliveryLogEntry {
  seq: number
  time: number
  event: string
  changeType?: string
  delivered: boolean
  skipped?: boolean
  attempts: DeliveryResult['attempts']
  xml: string
}

export type NewCustomer = Partial<CustomerProfile>

const NEW_NAMES = [
  '何晓雯',
  '唐诗语',
  '许一诺',
  '韩梦洁',
  '冯可欣',
  '曹雨萱',
  '彭晨曦',
  '董安琪',
  '袁思远',
  '邓嘉怡',
]

const JOIN_SCENE = { invite: 1, link: 2, qr: 3 } as const

export class CallbackDriver {
  readonly deliveries: DeliveryLogEntry[] = []
  private seq = 0
  private newCustomers = 0

  constructor(private readonly corp: SimulatedCorp) {}

  /** Seals and posts any XML (tests use it for hand-made events). */
  async deliver(xml: string): Promise<DeliveryResult> {
    const o = this.corp.options
    const result = await deliverCallback(this.corp.callback, xml, {
      ackTimeoutMs: o.callbackAckTimeoutMs,
      retries: o.callbackRetries,
      retryDelayMs: o.callbackRetryDelayMs,
      receiveId: o.corpId,
    })
    const event = /<Event><!\[CDATA\[([^\]]*)/.exec(xml)?.[1] ?? ''
    const changeType = /<ChangeType><!\[CDATA\[([^\]]*)/.exec(xml)?.[1]
    this.deliveries.push({ seq: ++this.seq, time: this.corp.nowMs(), event, changeType, ...result })
    if (this.deliveries.length > 500) this.deliveries.shift()
    return result
  }

  private emit(
    event: string,
    changeType: string | undefined,
    fields: [string, XmlValue][],
  ): Promise<DeliveryResult> {
    return this.deliver(
      changeEvent({ corpId: this.corp.corpId, createTime: this.corp.now(), event, changeType }, fields),
    )
  }

  private customerOrNew(
    externalUserid?: string,
    profile?: NewCustomer,
  ): { customer: Customer; isNew: boolean } {
    if (externalUserid) {
      const c = this.corp.data.customers.get(externalUserid)
      if (!c) throw new ScenarioError('unknown_customer', `no customer ${externalUserid}`)
      return { customer: c, isNew: false }
    }
    const name = profile?.name ?? NEW_NAMES[this.newCustomers++ % NEW_NAMES.length]
    return { customer: this.corp.addCustomer({ gender: 2, ...profile, name }), isNew: true }
  }

  private groupOf(chatId: string): CustomerGroup {
    const g = this.corp.data.groups.get(chatId)
    if (!g || g.dismissed) throw new ScenarioError('unknown_group', `no group ${chatId}`)
    return g
  }

  private issueWelcomeCode(userid: string, externalUserid: string): string {
    const code = this.corp.ids.chars(43)
    this.corp.data.welcomeCodes.set(code, {
      code,
      userid,
      external_userid: externalUserid,
      issued_at_ms: this.corp.nowMs(),
      used: false,
    })
    return code
  }

  // ── customers (change_external_contact) ──

  /** A customer scans a contact way (渠道活码) and becomes a friend of one of its staff. */
  async customerScansContactWay(opts: {
    configId?: string
    state?: string
    externalUserid?: string
    customer?: NewCustomer
    userid?: string
    half?: boolean
  }) {
    const ways = [...this.corp.data.contactWays.values()]
    const way = opts.configId
      ? this.corp.data.contactWays.get(opts.configId)
      : ways.find((w) => w.state === opts.state)
    if (!way) throw new ScenarioError('unknown_contact_way', `no contact way ${opts.configId ?? opts.state}`)
    let userid = opts.userid
    if (!userid) {
      userid = way.user[way.next_user % way.user.length]
      way.next_user++
    }
    if (!way.user.includes(userid))
      throw new ScenarioError('not_in_way', `${userid} is not on this contact way`)
    const { customer, isNew } = this.customerOrNew(opts.externalUserid, opts.customer)
    const existing = this.corp.follow(customer, userid)
    if (existing && !existing.deleted_by_customer)
      throw new ScenarioError('already_friend', 'customer already follows this staff')
    this.corp.addFollow(customer, {
      userid,
      add_way: 1,
      state: way.state || undefined,
      oper_userid: customer.external_userid,
    })
    const welcomeCode = this.issueWelcomeCode(userid, customer.external_userid)
    const half = opts.half === true && !way.skip_verify
    const delivery = await this.emit(
      'change_external_contact',
      half ? 'add_half_external_contact' : 'add_external_contact',
      [
        ['UserID', userid],
        ['ExternalUserID', customer.external_userid],
        ['State', way.state || undefined],
        ['WelcomeCode', welcomeCode],
      ],
    )
    return {
      configId: way.config_id,
      userid,
      externalUserid: customer.external_userid,
      isNew,
      state: way.state,
      welcomeCode,
      half,
      delivery,
    }
  }

  /** The customer deletes the staff member (del_follow_user); WeCom keeps the one-way entry. */
  async customerDeletesStaff(opts: { externalUserid: string; userid: string }) {
    const f = this.followOrFail(opts.externalUserid, opts.userid)
    f.deleted_by_customer = true
    const delivery = await this.emit('change_external_contact', 'del_follow_user', [
      ['UserID', opts.userid],
      ['ExternalUserID', opts.externalUserid],
    ])
    return { ...opts, delivery }
  }

  /** The staff member deletes the customer (del_external_contact), optionally because of a transfer. */
  async staffDeletesCustomer(opts: {
    externalUserid: string
    userid: string
    source?: 'DELETE_BY_TRANSFER'
  }) {
    this.followOrFail(opts.externalUserid, opts.userid)
    const c = this.corp.data.customers.get(opts.externalUserid)!
    c.follows = c.follows.filter((f) => f.userid !== opts.userid)
    const delivery = await this.emit('change_external_contact', 'del_external_contact', [
      ['UserID', opts.userid],
      ['ExternalUserID', opts.externalUserid],
      ['Source', opts.source],
    ])
    return { ...opts, delivery }
  }

  /** The staff member edits the customer in the WeCom client (edit_external_contact). */
  async editContact(opts: {
    externalUserid: string
    userid: string
    remark?: string
    description?: string
    remarkMobiles?: string[]
  }) {
    const f = this.followOrFail(opts.externalUserid, opts.userid)
    if (opts.remark !== undefined) f.remark = opts.remark
    if (opts.description !== undefined) f.description = opts.description
    if (opts.remarkMobiles !== undefined) f.remark_mobiles = opts.remarkMobiles
    const delivery = await this.emit('change_external_contact', 'edit_external_contact', [
      ['UserID', opts.userid],
      ['ExternalUserID', opts.externalUserid],
    ])
    return { ...opts, delivery }
  }

  /** A pending transfer fails (transfer_fail): the customer refused, or the takeover is over its limit. */
  async transferFail(opts: {
    externalUserid: string
    reason?: 'customer_refused' | 'customer_limit_exceed'
  }) {
    const t = this.pendingTransfer(opts.externalUserid)
    const reason = opts.reason ?? 'customer_refused'
    t.status = reason === 'customer_refused' ? 3 : 4
    const delivery = await this.emit('change_external_contact', 'transfer_fail', [
      ['FailReason', reason],
      ['UserID', t.takeover_userid],
      ['ExternalUserID', t.external_userid],
    ])
    return { externalUserid: t.external_userid, takeoverUserid: t.takeover_userid, reason, delivery }
  }

  /** 24 h pass without refusal: the customer moves; the on-job handover gets del_external_contact by transfer. */
  async transferSucceeds(opts: { externalUserid: string }) {
    const t = this.pendingTransfer(opts.externalUserid)
    completeTransfer(this.corp, t)
    const delivery =
      t.kind === 'on_job'
        ? await this.emit('change_external_contact', 'del_external_contact', [
            ['UserID', t.handover_userid],
            ['ExternalUserID', t.external_userid],
            ['Source', 'DELETE_BY_TRANSFER'],
          ])
        : undefined
    return {
      externalUserid: t.external_userid,
      handoverUserid: t.handover_userid,
      takeoverUserid: t.takeover_userid,
      delivery,
    }
  }

  // ── customer groups (change_external_chat) ──

  /** A customer scans a group join way (群活码): 200-member cap, auto-created groups, as WeCom does. */
  async customerJoinsGroupViaJoinWay(opts: {
    configId: string
    externalUserid?: string
    customer?: NewCustomer
  }) {
    const way = this.corp.data.joinWays.get(opts.configId)
    if (!way) throw new ScenarioError('unknown_join_way', `no join way ${opts.configId}`)
    const { customer } = this.customerOrNew(opts.externalUserid, opts.customer)
    const outcome = joinViaJoinWay(this.corp, way, customer.external_userid)
    if (!outcome.group)
      return {
        joined: false as const,
        reason: 'all_groups_full',
        externalUserid: customer.external_userid,
        deliveries: [],
      }
    const deliveries: DeliveryResult[] = []
    if (outcome.created)
      deliveries.push(
        await this.emit('change_external_chat', 'create', [['ChatId', outcome.created.chat_id]]),
      )
    deliveries.push(await this.memberChange(outcome.group, 'add_member', [customer.external_userid], 3))
    return {
      joined: true as const,
      chatId: outcome.group.chat_id,
      createdChatId: outcome.created?.chat_id,
      externalUserid: customer.external_userid,
      state: way.state,
      deliveries,
    }
  }

  /** Someone joins a group directly: invite (JoinScene 0) or QR code (JoinScene 3). */
  async joinsGroup(opts: {
    chatId: string
    memberId?: string
    customer?: NewCustomer
    scene?: 'invite' | 'link' | 'qr'
    invitor?: string
  }) {
    const g = this.groupOf(opts.chatId)
    const memberId = opts.memberId ?? this.customerOrNew(undefined, opts.customer).customer.external_userid
    const scene = opts.scene ?? 'qr'
    if (scene === 'qr' && this.corp.isFull(g)) throw new ScenarioError('group_full', 'group is full')
    this.corp.joinGroup(g, memberId, {
      scene: JOIN_SCENE[scene],
      invitor: scene === 'qr' ? undefined : (opts.invitor ?? g.owner),
    })
    const delivery = await this.memberChange(g, 'add_member', [memberId], scene === 'qr' ? 3 : 0)
    return { chatId: g.chat_id, memberId, delivery }
  }

  /** A member leaves (QuitScene 0) or is removed by the owner / an admin (QuitScene 1). */
  async leavesGroup(opts: { chatId: string; memberId: string; removed?: boolean }) {
    const g = this.groupOf(opts.chatId)
    if (!this.corp.leaveGroup(g, opts.memberId))
      throw new ScenarioError('not_a_member', `${opts.memberId} is not in the group`)
    const delivery = await this.memberChange(g, 'del_member', [opts.memberId], opts.removed ? 1 : 0)
    return { chatId: g.chat_id, memberId: opts.memberId, delivery }
  }

  async groupCreated(opts: { owner: string; name?: string; members?: string[] }) {
    if (!this.corp.data.staff.has(opts.owner))
      throw new ScenarioError('unknown_staff', `no staff ${opts.owner}`)
    const g = this.corp.createGroup(opts.owner, opts.name ?? '')
    for (const m of opts.members ?? []) this.corp.joinGroup(g, m, { scene: 1, invitor: opts.owner })
    const delivery = await this.emit('change_external_chat', 'create', [['ChatId', g.chat_id]])
    return { chatId: g.chat_id, delivery }
  }

  async groupRenamed(opts: { chatId: string; name: string }) {
    this.groupOf(opts.chatId).name = opts.name
    return { ...opts, delivery: await this.groupUpdate(opts.chatId, 'change_name') }
  }

  async groupNoticeChanged(opts: { chatId: string; notice: string }) {
    this.groupOf(opts.chatId).notice = opts.notice
    return { ...opts, delivery: await this.groupUpdate(opts.chatId, 'change_notice') }
  }

  async groupOwnerChanged(opts: { chatId: string; newOwner: string }) {
    const g = this.groupOf(opts.chatId)
    if (!g.member_list.some((m) => m.userid === opts.newOwner && m.type === 1))
      throw new ScenarioError('not_a_member', 'the new owner must be a staff member in the group')
    g.owner = opts.newOwner
    return { ...opts, delivery: await this.groupUpdate(opts.chatId, 'change_owner') }
  }

  async groupDismissed(opts: { chatId: string }) {
    this.groupOf(opts.chatId).dismissed = true
    const delivery = await this.emit('change_external_chat', 'dismiss', [['ChatId', opts.chatId]])
    return { ...opts, delivery }
  }

  private groupUpdate(chatId: string, detail: string): Promise<DeliveryResult> {
    return this.emit('change_external_chat', 'update', [
      ['ChatId', chatId],
      ['UpdateDetail', detail],
    ])
  }

  private memberChange(g: CustomerGroup, detail: 'add_member' | 'del_member', ids: string[], scene: number) {
    return this.emit('change_external_chat', 'update', [
      ['ChatId', g.chat_id],
      ['UpdateDetail', detail],
      [detail === 'add_member' ? 'JoinScene' : 'QuitScene', scene],
      ['MemChangeCnt', ids.length],
      ['MemChangeList', ids],
      ['LastMemVer', String(g.member_version - 1)],
      ['CurMemVer', String(g.member_version)],
    ])
  }

  // ── corp tags (change_external_tag) ──

  /** An admin creates a tag (in an existing or new group) or, with only groupName, a group with one tag. */
  async tagCreated(opts: { groupId?: string; groupName?: string; name: string }) {
    let group = this.corp.data.tagGroups.find(
      (g) => g.group_id === opts.groupId || (!opts.groupId && g.group_name === opts.groupName),
    )
    const newGroup = !group
    if (!group) {
      if (!opts.groupName)
        throw new ScenarioError('unknown_tag_group', 'groupId not found and no groupName given')
      group = this.corp.addTagGroup(opts.groupName, [opts.name])
    } else {
      group.tags.push({
        id: this.corp.ids.prefixed('et'),
        name: opts.name,
        create_time: this.corp.now(),
        order: 0,
      })
    }
    const tag = group.tags[group.tags.length - 1]
    const id = newGroup ? group.group_id : tag.id
    const delivery = await this.tagEvent('create', id, newGroup ? 'tag_group' : 'tag')
    return { groupId: group.group_id, tagId: tag.id, delivery }
  }

  async tagUpdated(opts: { id: string; name: string }) {
    const group = this.corp.data.tagGroups.find((g) => g.group_id === opts.id)
    const hit = this.corp.findTag(opts.id)
    if (!group && !hit) throw new ScenarioError('unknown_tag', `no tag ${opts.id}`)
    if (group) group.group_name = opts.name
    else hit!.tag.name = opts.name
    return { ...opts, delivery: await this.tagEvent('update', opts.id, group ? 'tag_group' : 'tag') }
  }

  async tagDeleted(opts: { id: string }) {
    const isGroup = this.corp.data.tagGroups.some((g) => g.group_id === opts.id)
    if (!isGroup && !this.corp.findTag(opts.id)) throw new ScenarioError('unknown_tag', `no tag ${opts.id}`)
    deleteTags(this.corp, isGroup ? [] : [opts.id], isGroup ? [opts.id] : [])
    return { ...opts, delivery: await this.tagEvent('delete', opts.id, isGroup ? 'tag_group' : 'tag') }
  }

  /** Tags were reordered; with groupId only that group, otherwise all groups. */
  async tagShuffled(opts: { groupId?: string; strategyId?: number } = {}) {
    const groups = this.corp.data.tagGroups.filter((g) => !opts.groupId || g.group_id === opts.groupId)
    for (const g of groups) g.tags.reverse().forEach((t, i) => (t.order = i))
    const delivery = await this.emit('change_external_tag', 'shuffle', [
      ['Id', opts.groupId],
      ['StrategyId', opts.strategyId],
    ])
    return { ...opts, delivery }
  }

  private tagEvent(changeType: string, id: string, tagType: 'tag' | 'tag_group') {
    return this.emit('change_external_tag', changeType, [
      ['Id', id],
      ['TagType', tagType],
    ])
  }

  // ── things WeCom does without a callback ──

  /** The staff member taps "send" on a pending mass send in the WeCom client. */
  staffConfirmsMassSend(opts: { msgid: string; userid: string }): MassSendResult[] {
    const m = this.corp.data.massSends.get(opts.msgid)
    if (!m) throw new ScenarioError('unknown_msgid', `no mass send ${opts.msgid}`)
    if (m.canceled) throw new ScenarioError('canceled', 'mass send was canceled')
    return confirmMassSend(this.corp, m, opts.userid)
  }

  /** Marks staff as resigned (their customers become unassigned, their groups status 1). */
  staffResigns(opts: { userid: string }) {
    const s = this.corp.data.staff.get(opts.userid)
    if (!s) throw new ScenarioError('unknown_staff', `no staff ${opts.userid}`)
    s.resigned = true
    s.dimission_time = this.corp.now()
    for (const g of this.corp.data.groups.values()) if (g.owner === s.userid && !g.dismissed) g.status = 1
    return { userid: s.userid }
  }

  /** Runs `n` scenarios built by `make(i)` with at most `concurrency` in flight; results in order. */
  async burst<T>(
    n: number,
    make: (i: number) => Promise<T>,
    concurrency = 10,
  ): Promise<PromiseSettledResult<T>[]> {
    const results: PromiseSettledResult<T>[] = new Array(n)
    let next = 0
    const worker = async () => {
      while (next < n) {
        const i = next++
        results[i] = await make(i).then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason) => ({ status: 'rejected', reason }) as const,
        )
      }
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker))
    return results
  }

  private followOrFail(externalUserid: string, userid: string) {
    const c = this.corp.data.customers.get(externalUserid)
    const f = c && this.corp.follow(c, userid)
    if (!f) throw new ScenarioError('no_relation', `${userid} does not follow ${externalUserid}`)
    return f
  }

  private pendingTransfer(externalUserid: string) {
    const t = this.corp.data.transfers.find((x) => x.external_userid === externalUserid && x.status === 2)
    if (!t) throw new ScenarioError('no_pending_transfer', `no pending transfer for ${externalUserid}`)
    return t
  }
}
