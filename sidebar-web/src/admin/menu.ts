import type { Component } from 'vue'

/**
 * The console's navigation, grouped the way operators work (概览 → 获客 → 客户 → 客户群 → 内容 → 运营 → 系统).
 * The router is generated from this list, so a page exists for every menu entry. Pages other teams
 * build later have no `component` yet and render the 建设中 placeholder.
 */
export interface MenuPage {
  /** path below /admin/ */
  path: string
  name: string
  title: string
  /** What the page will do, shown on the placeholder. */
  summary?: string
  component?: () => Promise<{ default: Component }>
}

export interface MenuGroup {
  key: string
  title: string
  icon: string
  pages: MenuPage[]
}

export const MENU: MenuGroup[] = [
  {
    key: 'overview',
    title: '概览',
    icon: 'overview',
    pages: [
      {
        path: 'dashboard',
        name: 'dashboard',
        title: '概览',
        component: () => import('./pages/DashboardPage.vue'),
      },
    ],
  },
  {
    key: 'acquisition',
    title: '获客',
    icon: 'acquisition',
    pages: [
      {
        path: 'channels',
        name: 'channels',
        component: () => import('./pages/acquisition/ChannelsPage.vue'),
        title: '渠道活码',
        summary: '为包裹卡、直播、门店等渠道生成专属二维码，扫码自动打标签、改备注。',
      },
      {
        path: 'welcome',
        name: 'welcome',
        component: () => import('./pages/acquisition/WelcomePage.vue'),
        title: '欢迎语',
        summary: '按渠道配置添加好友后自动发送的欢迎语、优惠券与小程序卡片。',
      },
      {
        path: 'lost-customers',
        name: 'lost-customers',
        component: () => import('./pages/acquisition/LostCustomersPage.vue'),
        title: '流失客户',
        summary: '记录客户删除员工或员工删除客户，及时提醒跟进；离职继承。',
      },
      {
        path: 'channel-stats',
        name: 'channel-stats',
        component: () => import('./pages/acquisition/ChannelStatsPage.vue'),
        title: '渠道统计',
        summary: '各渠道的新增、流失与转化趋势，支持活码 A/B 对比。',
      },
    ],
  },
  {
    key: 'customers',
    title: '客户',
    icon: 'customers',
    pages: [
      {
        path: 'customers',
        name: 'customers',
        title: '客户列表',
        component: () => import('./pages/CustomersPage.vue'),
      },
      { path: 'tags', name: 'tags', title: '标签管理', component: () => import('./pages/TagsPage.vue') },
    ],
  },
  {
    key: 'groups',
    title: '客户群',
    icon: 'groups',
    pages: [
      { path: 'groups', name: 'groups', title: '客户群', component: () => import('./pages/GroupsPage.vue') },
      {
        path: 'group-codes',
        name: 'group-codes',
        component: () => import('./pages/groups/GroupCodesPage.vue'),
        title: '群活码',
        summary: '一个永久二维码，群满自动切换到下一个群，新成员收到入群欢迎语。',
      },
      {
        path: 'group-stats',
        name: 'group-stats',
        component: () => import('./pages/groups/GroupStatsPage.vue'),
        title: '群统计',
        summary: '入群、退群与活跃趋势，按群主与门店汇总。',
      },
      {
        path: 'stores',
        name: 'stores',
        component: () => import('./pages/groups/StoresPage.vue'),
        title: '门店',
        summary: '门店位置与门店群活码，落地页按定位推荐最近门店的群。',
      },
      {
        path: 'campaigns',
        name: 'campaigns',
        component: () => import('./pages/campaigns/CampaignsPage.vue'),
        title: '社群活动',
        summary: '社群团购的开团消息与结束前 3 小时 / 1 小时 / 15 分钟倒计时，按群主群发到客户群。',
      },
    ],
  },
  {
    key: 'content',
    title: '内容',
    icon: 'content',
    pages: [
      {
        path: 'scripts',
        name: 'scripts',
        component: () => import('./pages/content/ScriptsPage.vue'),
        title: '话术库',
        summary: '按客户生命周期与分层组织话术，侧边栏一键发送并统计回复率。',
      },
      {
        path: 'products',
        name: 'products',
        component: () => import('./pages/content/ProductsPage.vue'),
        title: '商品库',
        summary: '商品卡片、链接与消耗周期，供侧边栏发送与复购提醒使用。',
      },
    ],
  },
  {
    key: 'operations',
    title: '运营',
    icon: 'operations',
    pages: [
      {
        path: 'orders',
        name: 'orders',
        title: '订单',
        summary: '导入与绑定订单，按门店和导购归属业绩。',
        component: () => import('./pages/orders/OrdersPage.vue'),
      },
      {
        path: 'segments',
        name: 'segments',
        component: () => import('./pages/segments/SegmentsPage.vue'),
        title: '客户分层',
        summary: '会员等级、RFM 与价格敏感度分层，按月自动重算。',
      },
      {
        path: 'reminders',
        name: 'reminders',
        component: () => import('./pages/reminders/RemindersPage.vue'),
        title: '提醒与SOP',
        summary: '用完前复购提醒、沉睡唤醒与权益到期等 SOP 任务。',
      },
    ],
  },
  {
    key: 'system',
    title: '系统',
    icon: 'system',
    pages: [
      { path: 'inbox', name: 'inbox', title: '回调收件箱', component: () => import('./pages/InboxPage.vue') },
      { path: 'sync', name: 'sync', title: '通讯录同步', component: () => import('./pages/SyncPage.vue') },
      { path: 'staff', name: 'staff', title: '员工', component: () => import('./pages/StaffPage.vue') },
    ],
  },
]

export function findPage(name: string): { group: MenuGroup; page: MenuPage } | null {
  for (const group of MENU) {
    const page = group.pages.find((p) => p.name === name)
    if (page) return { group, page }
  }
  return null
}
