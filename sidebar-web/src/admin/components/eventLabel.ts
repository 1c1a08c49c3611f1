/** Chinese names for the WeCom callback events and change types the inbox shows. */
const CHANGE_TYPES: Record<string, string> = {
  add_external_contact: '添加客户',
  edit_external_contact: '编辑客户',
  add_half_external_contact: '免验证添加客户',
  del_external_contact: '员工删除客户',
  del_follow_user: '客户删除员工',
  transfer_fail: '客户接替失败',
  create: '创建',
  update: '变更',
  dismiss: '解散',
  delete: '删除',
  shuffle: '重排',
  create_user: '新增成员',
  update_user: '更新成员',
  delete_user: '删除成员',
  create_party: '新增部门',
  update_party: '更新部门',
  delete_party: '删除部门',
  update_tag: '标签成员变更',
}

const EVENTS: Record<string, string> = {
  change_external_contact: '客户变更',
  change_external_chat: '客户群变更',
  change_external_tag: '客户标签变更',
  change_contact: '通讯录变更',
}

export function eventLabel(event: string, changeType: string | null): string {
  const e = EVENTS[event] ?? event
  if (!changeType) return e
  return `${e} · ${CHANGE_TYPES[changeType] ?? changeType}`
}
