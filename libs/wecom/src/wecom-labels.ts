import { festivalName } from '@app/calendar';

// What a butler's to-do calls a task: 中秋问候, 生日问候, 满意度调查邀请.
export function taskLabel(purpose: string, occasion: string | null): string {
  if (purpose === 'survey_invitation') return '满意度调查邀请';
  if (occasion === 'birthday') return '生日问候';
  const festival = occasion ? festivalName(occasion) : null;
  return festival ? `${festival.replace(/节$/, '')}问候` : '问候';
}

// The to-do line: 3 位客户的中秋问候待确认发送.
export const todoText = (clients: number, label: string): string => `${clients} 位客户的${label}待确认发送`;

// How a butler confirms a 群发 task (WeCom sends nothing until then).
export const CONFIRM_HOW_TO =
  '请在企业微信手机端打开「工作台 → 客户联系 → 群发助手」（或消息列表中的「客户联系」通知），确认后发送';
