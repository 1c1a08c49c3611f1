// Public surface of the WeCom simulator (demo and tests only; the product never imports it).
export { simulatorPlugin, API_ROUTES, type SimulatorPluginOptions } from './plugin.ts'
export { startSimulator, type StartSimulatorOptions, type RunningSimulator } from './standalone.ts'
export {
  SimulatedCorp,
  DEFAULT_CORP_ID,
  DEFAULT_SECRETS,
  type CorpOptions,
  type ResolvedCorpOptions,
} from './corp.ts'
export { seedDemoCorp, DEMO_STAFF, DEMO_IDS } from './seed.ts'
export {
  CallbackDriver,
  ScenarioError,
  type CallbackTarget,
  type DeliveryResult,
  type DeliveryAttempt,
  type DeliveryLogEntry,
  type NewCustomer,
} from './driver/driver.ts'
export { SCENARIOS, type ScenarioSpec } from './driver/scenarios.ts'
export { eventXml, changeEvent } from './driver/xml.ts'
export { FaultInjector, type FaultRule, type FaultKind, type ActiveFault } from './faults.ts'
export { CallLog, type ApiCall, type CallFilter } from './call-log.ts'
export { Err, WecomApiError } from './errors.ts'
export type * from './types.ts'
export {
  simulatorClient,
  startCallbackReceiver,
  TEST_CALLBACK,
  type CallbackReceiver,
  type ReceivedCallback,
} from './testing.ts'
