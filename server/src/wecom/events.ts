// Decrypted callback events (WECOM.md §2). Every field arrives as a string; numbers stay strings here.

export interface CallbackEvent {
  ToUserName: string
  FromUserName: string
  CreateTime: string
  MsgType: string
  Event: string
  ChangeType: string
  UserID?: string
  ExternalUserID?: string
  State?: string
  WelcomeCode?: string
  Source?: string
  FailReason?: string
  ChatId?: string
  UpdateDetail?: string
  JoinScene?: string
  QuitScene?: string
  MemChangeCnt?: string
  MemChangeList: string[]
  LastMemVer?: string
  CurMemVer?: string
  Id?: string
  TagType?: string
  StrategyId?: string
  [field: string]: string | string[] | undefined
}

export const EVENTS = {
  contact: 'change_external_contact',
  chat: 'change_external_chat',
  tag: 'change_external_tag',
} as const

/** Every event/change type the product handles; anything else is stored and marked ignored. */
export const KNOWN_CHANGES: Record<string, readonly string[]> = {
  [EVENTS.contact]: [
    'add_external_contact',
    'add_half_external_contact',
    'edit_external_contact',
    'del_external_contact',
    'del_follow_user',
    'transfer_fail',
  ],
  [EVENTS.chat]: ['create', 'update', 'dismiss'],
  [EVENTS.tag]: ['create', 'update', 'delete', 'shuffle'],
}

/** Events about one entity are handled in order; events about different entities may run in parallel. */
export function entityKeyOf(ev: CallbackEvent): string {
  if (ev.ExternalUserID) return `contact:${ev.ExternalUserID}`
  if (ev.ChatId) return `chat:${ev.ChatId}`
  if (ev.Event === EVENTS.tag) return 'tags'
  return `other:${ev.Event}`
}
