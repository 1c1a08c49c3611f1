export { useWeCom, detectWeCom, DEFAULT_JS_API_LIST } from './useWeCom'
export type { WeComEntry, WeComRegisterOptions, WeComSignature, ChatMessage } from './useWeCom'
