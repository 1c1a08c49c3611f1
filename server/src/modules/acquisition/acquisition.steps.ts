// The acquisition steps of the callback dispatcher. They run after the directory's own steps (which
// have already mirrored the customer, so the name is known). One step per side effect: a step that
// succeeded is never rerun, so a failed tag or remark is retried without re-sending the welcome.
import type { FastifyBaseLogger } from 'fastify'
import { EVENTS, type CallbackEvent } from '../../wecom/events.ts'
import { PermanentEventError, type EventHandlerRegistry } from '../inbox/handler-registry.ts'
import type { AdvisorRotation } from './advisor-rotation.ts'
import type { ChannelResolver } from './channel-resolver.ts'
import type { FollowUps } from './follow-ups.ts'
import type { LostCustomerService } from './lost-customer.service.ts'
import type { WelcomeService } from './welcome.service.ts'

export interface AcquisitionSteps {
  resolver: ChannelResolver
  welcome: WelcomeService
  followUps: FollowUps
  lost: LostCustomerService
  rotation: AdvisorRotation
  log: FastifyBaseLogger
}

function requireContact(ev: CallbackEvent) {
  if (!ev.ExternalUserID || !ev.UserID)
    throw new PermanentEventError(`${ev.ChangeType} without UserID/ExternalUserID`)
}

export function registerAcquisitionSteps(events: EventHandlerRegistry, s: AcquisitionSteps) {
  for (const change of ['add_external_contact', 'add_half_external_contact']) {
    events.on(EVENTS.contact, change, {
      name: 'acquisition.welcome',
      order: 10,
      run: async (ev) => {
        requireContact(ev)
        await s.welcome.send(ev, await s.welcome.recordFor(ev))
      },
    })
    events.on(EVENTS.contact, change, {
      name: 'acquisition.tags',
      run: async (ev) => s.followUps.tag(await s.welcome.recordFor(ev)),
    })
    events.on(EVENTS.contact, change, {
      name: 'acquisition.remark',
      run: async (ev) => {
        const rec = await s.welcome.recordFor(ev)
        await s.followUps.remark(rec)
        s.welcome.forget(rec)
        // A daily cap may now be reached: hand the code to the next advisor. Best effort, no step of
        // its own: the scheduler's sweep catches up every minute if this fails.
        if (rec.channelId && (await s.resolver.byState(rec.state))?.capped)
          await s.rotation
            .afterAdd(rec.channelId)
            .catch((err) => s.log.warn({ err }, 'advisor rotation after an add failed'))
      },
    })
  }

  const lostSteps = (change: string) => {
    const skip = (ev: CallbackEvent) =>
      change === 'del_external_contact' && ev.Source === 'DELETE_BY_TRANSFER'
    events.on(EVENTS.contact, change, {
      name: 'acquisition.lost',
      run: async (ev) => {
        if (skip(ev)) return
        requireContact(ev)
        await s.lost.record(ev)
      },
    })
    events.on(EVENTS.contact, change, {
      name: 'acquisition.lost_alert',
      run: async (ev) => (skip(ev) ? undefined : s.lost.alert(ev)),
    })
  }
  lostSteps('del_follow_user')
  lostSteps('del_external_contact')
}
