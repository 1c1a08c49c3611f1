// Scenario catalogue: names the control routes and the demo page can run, each mapped to the driver.
import type { CallbackDriver } from './driver.ts'

export interface ScenarioSpec {
  title: string
  /** Parameter names the demo page offers (all optional unless the driver says otherwise). */
  params: string[]
  // Control-route bodies are loose JSON; the driver checks what it needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run: (driver: CallbackDriver, p: any) => unknown
}

export const SCENARIOS: Record<string, ScenarioSpec> = {
  customerScansContactWay: {
    title: '客户扫码添加导购（渠道活码）',
    params: ['configId', 'state', 'externalUserid', 'userid', 'half'],
    run: (d, p) => d.customerScansContactWay(p),
  },
  customerDeletesStaff: {
    title: '客户删除导购',
    params: ['externalUserid', 'userid'],
    run: (d, p) => d.customerDeletesStaff(p),
  },
  staffDeletesCustomer: {
    title: '导购删除客户',
    params: ['externalUserid', 'userid', 'source'],
    run: (d, p) => d.staffDeletesCustomer(p),
  },
  editContact: {
    title: '导购修改客户备注',
    params: ['externalUserid', 'userid', 'remark', 'description'],
    run: (d, p) => d.editContact(p),
  },
  transferFail: {
    title: '客户接替失败',
    params: ['externalUserid', 'reason'],
    run: (d, p) => d.transferFail(p),
  },
  transferSucceeds: {
    title: '客户接替完成',
    params: ['externalUserid'],
    run: (d, p) => d.transferSucceeds(p),
  },
  customerJoinsGroupViaJoinWay: {
    title: '客户扫群活码入群',
    params: ['configId', 'externalUserid'],
    run: (d, p) => d.customerJoinsGroupViaJoinWay(p),
  },
  joinsGroup: {
    title: '成员入群',
    params: ['chatId', 'memberId', 'scene', 'invitor'],
    run: (d, p) => d.joinsGroup(p),
  },
  leavesGroup: {
    title: '成员退群',
    params: ['chatId', 'memberId', 'removed'],
    run: (d, p) => d.leavesGroup(p),
  },
  groupCreated: { title: '导购建群', params: ['owner', 'name'], run: (d, p) => d.groupCreated(p) },
  groupRenamed: { title: '群改名', params: ['chatId', 'name'], run: (d, p) => d.groupRenamed(p) },
  groupNoticeChanged: {
    title: '群公告变更',
    params: ['chatId', 'notice'],
    run: (d, p) => d.groupNoticeChanged(p),
  },
  groupOwnerChanged: {
    title: '群主变更',
    params: ['chatId', 'newOwner'],
    run: (d, p) => d.groupOwnerChanged(p),
  },
  groupDismissed: { title: '群解散', params: ['chatId'], run: (d, p) => d.groupDismissed(p) },
  tagCreated: { title: '新建标签', params: ['groupId', 'groupName', 'name'], run: (d, p) => d.tagCreated(p) },
  tagUpdated: { title: '修改标签', params: ['id', 'name'], run: (d, p) => d.tagUpdated(p) },
  tagDeleted: { title: '删除标签', params: ['id'], run: (d, p) => d.tagDeleted(p) },
  tagShuffled: { title: '标签重排', params: ['groupId'], run: (d, p) => d.tagShuffled(p) },
  staffConfirmsMassSend: {
    title: '导购确认群发',
    params: ['msgid', 'userid'],
    run: (d, p) => d.staffConfirmsMassSend(p),
  },
  staffResigns: { title: '导购离职', params: ['userid'], run: (d, p) => d.staffResigns(p) },
}
