import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

// Every user-facing string lives in i18n/<language>/<namespace>.ts; components call
// useTranslation('<namespace>'). Adding English is adding i18n/en-US/*.ts, no component changes.
// Each area of the console owns its namespace file (today, clients, cases, manager, admin …).
const modules = import.meta.glob<{ default: Record<string, unknown> }>('./zh-CN/*.ts', { eager: true });
const zhCN = Object.fromEntries(Object.entries(modules).map(([path, mod]) => [/([\w-]+)\.ts$/.exec(path)![1], mod.default]));

void i18n.use(initReactI18next).init({
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  resources: { 'zh-CN': zhCN },
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
