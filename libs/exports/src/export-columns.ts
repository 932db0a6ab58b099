import { describeReason, IntegrityReason, ServqualDimension } from '@app/surveys';

// What the exports' cells say, in the console's words (apps/web/src/i18n/zh-CN).
export const TIER_LABEL: Record<string, string> = { regular: '普通', silver: '白银', gold: '黄金', black: '黑金' };
export const SOURCE_LABEL: Record<string, string> = { follow_up: '回访', case: '售后', contact: '记一笔' };
export const MESSAGE_CHANNEL_LABEL: Record<string, string> = { email: '邮件', sms: '短信', wecom: '企业微信' };
export const CASE_TYPE_LABEL: Record<string, string> = {
  inquiry: '咨询',
  complaint: '投诉',
  return: '退货',
  exchange: '换货',
  quality: '质量问题',
  delivery: '物流配送',
  other: '其他',
};
export const PRIORITY_LABEL: Record<string, string> = { low: '低', normal: '普通', high: '高', urgent: '紧急' };
export const CONTACT_CHANNEL_LABEL: Record<string, string> = {
  phone: '电话',
  wechat: '微信',
  store: '门店',
  email: '邮件',
  visit: '上门',
  sms: '短信',
  other: '其他',
};
export const CASE_STATUS_LABEL: Record<string, string> = {
  open: '待处理',
  in_progress: '处理中',
  resolved: '已解决',
  closed: '已关闭',
};
export const FOLLOW_UP_KIND_LABEL: Record<string, string> = {
  post_purchase: '购后回访',
  manual: '人工指派',
  recovery: '挽回',
  churn_risk: '流失预警',
};
export const FOLLOW_UP_STATUS_LABEL: Record<string, string> = { open: '待办', done: '已完成', cancelled: '已取消' };
export const THEME_LABEL: Record<string, string> = {
  taste: '口感/酒质',
  packaging: '包装',
  delivery: '物流/送货',
  price: '价格/性价比',
  authenticity: '真伪',
  attitude: '管家态度',
  responsiveness: '响应速度',
  event: '活动/品鉴',
  other: '其他',
};
export const POLARITY_LABEL: Record<string, string> = { positive: '正面', negative: '负面', neutral: '中性' };
export const SERVQUAL_HEADER: Record<ServqualDimension, string> = {
  reliability: '可靠性',
  responsiveness: '响应性',
  assurance: '保证性',
  empathy: '同理性',
  tangibles: '有形性',
};

export const RESPONSE_HEADER = [
  '回复编号',
  '回复时间',
  '客户',
  '客户等级',
  '城市',
  '管家（接触时）',
  '团队经理',
  '来源',
  '渠道',
  '满意度（1–5）',
  'NPS（0–10）',
  SERVQUAL_HEADER.reliability,
  SERVQUAL_HEADER.responsiveness,
  SERVQUAL_HEADER.assurance,
  SERVQUAL_HEADER.empathy,
  SERVQUAL_HEADER.tangibles,
  '评论',
  '评论主题',
  '可信度标记',
];

// 可信度标记 (docs/rating-integrity.md): why an answer is held out of the figures, in a manager's
// words; a flag a manager cleared says so with the reasons it had. Empty for an answer never flagged.
export function integrityCell(flagged: unknown, reasons: unknown, cleared: unknown): string | null {
  const described = Array.isArray(reasons) ? (reasons as IntegrityReason[]).map(describeReason).join('；') : '';
  if (flagged === true) return `可疑：${described}`;
  if (cleared === true && described) return `已解除：${described}`;
  return null;
}

export const CASE_HEADER = [
  '工单编号',
  '开单时间',
  '客户',
  '客户等级',
  '城市',
  '管家',
  '团队经理',
  '类型',
  '优先级',
  '渠道',
  '状态',
  '摘要',
  '首次响应时间',
  '解决时间',
  '关闭时间',
  '摘要主题',
];

export const FOLLOW_UP_HEADER = [
  '回访编号',
  '截止时间',
  '客户',
  '客户等级',
  '城市',
  '负责人',
  '团队经理',
  '类型',
  '标题',
  '状态',
  '是否逾期',
  '完成时间',
  '结果',
  '备注',
];

export const SCORECARD_HEADER = [
  '管家编号',
  '管家',
  '邀请数',
  '回复数',
  '回复率（%）',
  '满意率（%）',
  '平均满意度',
  'NPS',
  SERVQUAL_HEADER.reliability,
  SERVQUAL_HEADER.responsiveness,
  SERVQUAL_HEADER.assurance,
  SERVQUAL_HEADER.empathy,
  SERVQUAL_HEADER.tangibles,
  '回访按时率（%）',
  '逾期回访',
  '首次响应中位数（小时）',
  '解决中位数（小时）',
  '排名分（Wilson 下限）',
];
