// The simulated corp's records, shaped like WeCom's API objects so handlers can return them nearly as-is.

export interface Staff {
  userid: string
  name: string
  avatar: string
  department: number[]
  /** Resigned staff keep their customers until a resigned transfer (离职继承). */
  resigned: boolean
  dimission_time?: number
}

export interface CustomerProfile {
  external_userid: string
  name: string
  avatar: string
  /** 1 WeChat user, 2 WeCom user */
  type: 1 | 2
  gender: 0 | 1 | 2
  unionid?: string
  corp_name?: string
  corp_full_name?: string
  position?: string
}

/** One staff member's relationship with a customer (follow_user / follow_info). */
export interface FollowRelation {
  userid: string
  remark: string
  description: string
  createtime: number
  tag_ids: string[]
  remark_corp_name?: string
  remark_mobiles: string[]
  add_way: number
  state?: string
  oper_userid: string
  /** The customer deleted this staff member (del_follow_user); WeCom keeps the one-way entry. */
  deleted_by_customer?: boolean
}

export interface Customer extends CustomerProfile {
  follows: FollowRelation[]
}

export interface CorpTag {
  id: string
  name: string
  create_time: number
  order: number
}

export interface TagGroup {
  group_id: string
  group_name: string
  create_time: number
  order: number
  tags: CorpTag[]
}

export interface GroupMember {
  userid: string
  /** 1 staff, 2 external */
  type: 1 | 2
  join_time: number
  /** 1 direct invite, 2 invite link, 3 QR code */
  join_scene: 1 | 2 | 3
  invitor?: { userid: string }
  group_nickname: string
  name: string
  unionid?: string
}

export interface CustomerGroup {
  chat_id: string
  name: string
  owner: string
  create_time: number
  notice: string
  /** 0 normal, 1 owner resigned, 2 transfer in progress, 3 transfer done */
  status: 0 | 1 | 2 | 3
  member_list: GroupMember[]
  admin_list: { userid: string }[]
  member_version: number
  dismissed: boolean
}

export interface ContactWay {
  config_id: string
  type: 1 | 2
  scene: 1 | 2
  style?: number
  remark: string
  skip_verify: boolean
  state: string
  user: string[]
  party: number[]
  is_temp: boolean
  expires_in?: number
  chat_expires_in?: number
  unionid?: string
  conclusions?: unknown
  create_time: number
  /** Round-robin pointer for type-2 ways (WeCom picks one of the users). */
  next_user: number
}

export interface JoinWay {
  config_id: string
  scene: 1 | 2
  remark: string
  auto_create_room: 0 | 1
  room_base_name: string
  room_base_id: number
  chat_id_list: string[]
  state: string
  create_time: number
}

export interface WelcomeCode {
  code: string
  userid: string
  external_userid: string
  issued_at_ms: number
  used: boolean
}

export interface SentWelcome {
  welcome_code: string
  userid: string
  external_userid: string
  text?: { content: string }
  attachments: unknown[]
  time: number
}

export interface GroupWelcomeTemplate {
  template_id: string
  body: Record<string, unknown>
  create_time: number
}

export interface MassSendTask {
  userid: string
  /** 0 not sent, 2 sent */
  status: 0 | 2
  send_time?: number
}

export interface MassSendResult {
  userid: string
  external_userid?: string
  chat_id?: string
  /** 0 unsent, 1 sent, 2 not a friend, 3 customer already received one today */
  status: 0 | 1 | 2 | 3
  send_time?: number
}

export interface MassSend {
  msgid: string
  chat_type: 'single' | 'group'
  creator: string
  /** 0 corp, 1 personal */
  create_type: 0 | 1
  create_time: number
  text?: { content: string }
  attachments: unknown[]
  tasks: MassSendTask[]
  results: MassSendResult[]
  canceled: boolean
  reminders: number
}

export interface MomentTask {
  jobid: string
  moment_id: string
  body: Record<string, unknown>
  create_time: number
  invalid_sender_list: string[]
}

export interface TransferRecord {
  kind: 'on_job' | 'resigned'
  handover_userid: string
  takeover_userid: string
  external_userid: string
  /** 1 done, 2 waiting, 3 customer refused, 4 takeover over its customer limit */
  status: 1 | 2 | 3 | 4
  takeover_time: number
  created_ms: number
}

export interface Media {
  media_id: string
  type: 'image' | 'voice' | 'video' | 'file'
  filename: string
  content_type: string
  bytes: Buffer
  created_at: number
  /** uploadimg images never expire. */
  permanent?: boolean
}

export interface AppMessage {
  msgid: string
  agentid: number
  touser: string[]
  msgtype: string
  body: Record<string, unknown>
  time: number
}

export interface OAuthCode {
  code: string
  userid: string
  issued_at_ms: number
}

export interface Ticket {
  ticket: string
  expires_at_ms: number
}
