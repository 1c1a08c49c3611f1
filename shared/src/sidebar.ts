import { Type, type Static } from 'typebox'

export const JsSdkConfig = Type.Object({ corpId: Type.String(), agentId: Type.String() })
export type JsSdkConfig = Static<typeof JsSdkConfig>

export const JsSdkSignature = Type.Object({
  timestamp: Type.Integer(),
  nonceStr: Type.String(),
  signature: Type.String(),
})
export type JsSdkSignature = Static<typeof JsSdkSignature>

export const SidebarMe = Type.Object({ userId: Type.String(), name: Type.String() })
export type SidebarMe = Static<typeof SidebarMe>
