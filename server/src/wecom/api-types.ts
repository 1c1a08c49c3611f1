// Response shapes of the WeCom server API calls the directory mirror uses (fields we read).

export interface ExternalContactInfo {
  external_userid: string
  name: string
  avatar?: string
  type: number
  gender?: number
  unionid?: string
  corp_name?: string
}

export interface FollowInfo {
  userid: string
  remark?: string
  description?: string
  createtime: number
  tag_id?: string[]
  remark_mobiles?: string[]
  add_way?: number
  state?: string
}

export interface FollowUserWithTags extends Omit<FollowInfo, 'tag_id'> {
  tags?: Array<{ group_name: string; tag_name: string; tag_id?: string; type: number }>
}

export interface BatchGetByUserResponse {
  external_contact_list: Array<{ external_contact: ExternalContactInfo; follow_info: FollowInfo }>
  next_cursor?: string
}

export interface GetExternalContactResponse {
  external_contact: ExternalContactInfo
  follow_user: FollowUserWithTags[]
  next_cursor?: string
}

export interface CorpTagGroup {
  group_id: string
  group_name: string
  create_time: number
  order: number
  deleted?: boolean
  tag: Array<{ id: string; name: string; create_time: number; order: number; deleted?: boolean }>
}

export interface GroupChatListResponse {
  group_chat_list: Array<{ chat_id: string; status: number }>
  next_cursor?: string
}

export interface GroupChatDetail {
  chat_id: string
  name: string
  owner: string
  create_time: number
  notice?: string
  member_list: Array<{
    userid: string
    type: number
    join_time: number
    join_scene: number
    invitor?: { userid: string }
    unionid?: string
  }>
  admin_list?: Array<{ userid: string }>
}

export interface StaffUser {
  userid: string
  name: string
  avatar?: string
}
