import type { CallbackEvent } from '../../wecom/events.ts'

/** One step of handling an event. Steps run in registration order; a step that succeeded is not rerun. */
export interface EventStep {
  /** Stable and unique per event type: stored in the inbox row's `steps_done`. */
  name: string
  /** Lower runs first (default 100): the welcome, whose code dies in 20 s, goes before bookkeeping. */
  order?: number
  run(event: CallbackEvent): Promise<void>
}

/** Thrown by a step when retrying cannot help: the row is parked at once for an admin to see. */
export class PermanentEventError extends Error {
  readonly permanent = true
}

export class EventHandlerRegistry {
  private readonly steps = new Map<string, EventStep[]>()

  on(event: string, changeType: string, step: EventStep): this {
    const key = `${event}:${changeType}`
    const list = this.steps.get(key) ?? []
    if (list.some((s) => s.name === step.name)) throw new Error(`duplicate step ${step.name} for ${key}`)
    list.push(step)
    this.steps.set(key, list)
    return this
  }

  stepsFor(event: string, changeType: string): EventStep[] {
    const all = [...(this.steps.get(`${event}:${changeType}`) ?? []), ...(this.steps.get(`${event}:*`) ?? [])]
    return all.sort((a, b) => (a.order ?? 100) - (b.order ?? 100)) // stable: same order keeps registration order
  }
}
