// All mutable data of one simulated corp; `reset` swaps in a fresh one.
import type {
  AppMessage,
  ContactWay,
  Customer,
  CustomerGroup,
  GroupWelcomeTemplate,
  JoinWay,
  MassSend,
  Media,
  MomentTask,
  OAuthCode,
  SentWelcome,
  Staff,
  TagGroup,
  Ticket,
  TransferRecord,
  WelcomeCode,
} from './types.ts'

export interface AccessToken {
  token: string
  secret: string
  expires_at_ms: number
}

export interface CorpData {
  staff: Map<string, Staff>
  customers: Map<string, Customer>
  tagGroups: TagGroup[]
  groups: Map<string, CustomerGroup>
  contactWays: Map<string, ContactWay>
  joinWays: Map<string, JoinWay>
  welcomeCodes: Map<string, WelcomeCode>
  sentWelcomes: SentWelcome[]
  groupWelcomeTemplates: Map<string, GroupWelcomeTemplate>
  massSends: Map<string, MassSend>
  moments: Map<string, MomentTask>
  transfers: TransferRecord[]
  media: Map<string, Media>
  appMessages: AppMessage[]
  oauthCodes: Map<string, OAuthCode>
  tokens: Map<string, AccessToken>
  jsapiTicket?: Ticket
  agentTicket?: Ticket
  /** Timestamps (ms) of ticket fetches and moment tasks, for WeCom's hourly / per-minute caps. */
  ticketFetches: { kind: 'corp' | 'agent'; at_ms: number }[]
  momentCreates: number[]
}

export function emptyData(): CorpData {
  return {
    staff: new Map(),
    customers: new Map(),
    tagGroups: [],
    groups: new Map(),
    contactWays: new Map(),
    joinWays: new Map(),
    welcomeCodes: new Map(),
    sentWelcomes: [],
    groupWelcomeTemplates: new Map(),
    massSends: new Map(),
    moments: new Map(),
    transfers: [],
    media: new Map(),
    appMessages: [],
    oauthCodes: new Map(),
    tokens: new Map(),
    ticketFetches: [],
    momentCreates: [],
  }
}
