import { AdminUserEntity } from '../modules/auth/admin-user.entity.ts'
import { CustomerEntity } from '../modules/directory/customer.entity.ts'
import { CustomerFollowEntity, FollowTagEntity } from '../modules/directory/follow.entity.ts'
import { GroupChatEntity, GroupMemberEntity } from '../modules/directory/group-chat.entity.ts'
import {
  GroupCodeEntity,
  GroupCodeHistoryEntity,
  GroupCodePoolEntity,
} from '../modules/groups/group-code.entity.ts'
import { GroupMemberEventEntity, GroupMemberSnapshotEntity } from '../modules/groups/group-stats.entity.ts'
import { StoreEntity } from '../modules/groups/store.entity.ts'
import { StaffEntity } from '../modules/directory/staff.entity.ts'
import { SyncRunEntity } from '../modules/directory/sync-run.entity.ts'
import { TagEntity, TagGroupEntity } from '../modules/directory/tag.entity.ts'
import { InboxEntity } from '../modules/inbox/inbox.entity.ts'
import { CachedCredentialEntity } from './credential.entity.ts'
import { AcquisitionRecordEntity } from '../modules/acquisition/acquisition-record.entity.ts'
import {
  ChannelAdvisorEntity,
  ChannelCodeEntity,
  ChannelEntity,
} from '../modules/acquisition/channel.entity.ts'
import { LostCustomerEntity } from '../modules/acquisition/lost-customer.entity.ts'
import {
  AcquisitionSettingEntity,
  GiftQuotaUsageEntity,
  WelcomeMessageEntity,
} from '../modules/acquisition/welcome-message.entity.ts'
import { JobLeaseEntity } from '../jobs/job-lease.entity.ts'
import { CustomerNoteEntity } from '../modules/sidebar/customer-note.entity.ts'
import { ScriptEntity, ScriptLibraryEntity, ScriptUsageEntity } from '../modules/scripts/script.entity.ts'
import { ProductEntity, ProductSendEntity } from '../modules/products/product.entity.ts'
import { reminderEntities } from '../modules/reminders/reminder.entity.ts'
import {
  CustomerSegmentEntity,
  MemberTierEntity,
  SegmentInviteEntity,
  SegmentRunEntity,
  SegmentSettingEntity,
  SegmentTagEntity,
} from '../modules/segments/segment.entity.ts'
import {
  CustomerMobileEntity,
  OrderImportEntity,
  OrderImportRejectEntity,
  OrderSourceEntity,
  ShopOrderEntity,
  ShopOrderItemEntity,
} from '../modules/orders/order.entity.ts'
import { campaignEntities } from '../modules/campaigns/campaign.entity.ts'

export const entities = [
  AdminUserEntity,
  InboxEntity,
  CachedCredentialEntity,
  StaffEntity,
  CustomerEntity,
  CustomerFollowEntity,
  FollowTagEntity,
  TagGroupEntity,
  TagEntity,
  GroupChatEntity,
  GroupMemberEntity,
  GroupCodeEntity,
  GroupCodePoolEntity,
  GroupCodeHistoryEntity,
  GroupMemberEventEntity,
  GroupMemberSnapshotEntity,
  StoreEntity,
  SyncRunEntity,
  ChannelEntity,
  ChannelCodeEntity,
  ChannelAdvisorEntity,
  WelcomeMessageEntity,
  GiftQuotaUsageEntity,
  AcquisitionSettingEntity,
  AcquisitionRecordEntity,
  LostCustomerEntity,
  JobLeaseEntity,
  CustomerNoteEntity,
  ScriptLibraryEntity,
  ScriptEntity,
  ScriptUsageEntity,
  ProductEntity,
  ProductSendEntity,
  OrderSourceEntity,
  ShopOrderEntity,
  ShopOrderItemEntity,
  OrderImportEntity,
  OrderImportRejectEntity,
  CustomerMobileEntity,
  ...reminderEntities,
  CustomerSegmentEntity,
  MemberTierEntity,
  SegmentTagEntity,
  SegmentSettingEntity,
  SegmentRunEntity,
  SegmentInviteEntity,
  ...campaignEntities,
]
