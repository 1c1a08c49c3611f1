// WeCom errcodes the simulator answers with (global error code list of developer.work.weixin.qq.com).
export const Err = {
  systemBusy: -1,
  invalidSecret: 40001,
  invalidUserId: 40003,
  invalidMediaType: 40004,
  invalidType: 40005,
  invalidMediaId: 40007,
  invalidMsgType: 40008,
  invalidCorpId: 40013,
  invalidToken: 40014,
  invalidCode: 40029,
  invalidChatId: 40050,
  invalidAgentId: 40056,
  invalidParam: 40058,
  invalidTagId: 40068,
  invalidTagName: 40071,
  invalidExternalUserId: 40096,
  notResigned: 40097,
  transferTooOften: 40128,
  transferring: 40129,
  sameTakeover: 40130,
  notFollower: 40131,
  missingToken: 41001,
  missingCorpId: 41002,
  missingSecret: 41004,
  missingUserId: 41009,
  missingExternalUserId: 41035,
  missingContactWayType: 41037,
  missingContactWayScene: 41038,
  invalidContactWayType: 41039,
  invalidContactWayScene: 41040,
  contactWayUserLimit: 41041,
  missingConfigId: 41043,
  invalidConfigId: 41044,
  missingMsgId: 41046,
  invalidMsgId: 41047,
  noCustomers: 41048,
  missingWelcomeCode: 41049,
  invalidWelcomeCode: 41050,
  welcomeAlreadySent: 41051,
  invalidMomentId: 41060,
  tokenExpired: 42001,
  emptyMedia: 44001,
  emptyContent: 44004,
  contentTooLarge: 45002,
  rateLimited: 45009,
  tooConcurrent: 45033,
  dataFormat: 47001,
  groupDismissed: 49008,
  invalidCursor: 50100,
  userNotFound: 60111,
  noRelation: 84061,
} as const

/** Thrown by handlers; the route wrapper turns it into `{ errcode, errmsg }` with HTTP 200. */
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`)
  }
}

export function fail(errcode: number, errmsg: string): never {
  throw new WecomApiError(errcode, errmsg)
}
