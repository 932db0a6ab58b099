import i18n, { BackendModule, ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';

import common from './zh-CN/common';
import errors from './zh-CN/errors-core';

// Every user-facing string lives in i18n/<language>/<namespace>.ts; components call
// useTranslation('<namespace>'). Adding English is adding i18n/en-US/*.ts, no component changes.
// `common` ships with the entry chunk; each area's namespace (today, clients, cases, manager,
// admin …) is its own chunk, fetched the first time a page asks for it (the login route has a
// size budget). `errors` (the Chinese of every API error code): its generic and sign-in part
// (errors-core) ships with it; the rest follows at once in a chunk of its own (below).
const loaders = import.meta.glob<{ default: Record<string, unknown> }>('./*/*.ts');

const lazyNamespaces: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language: string, namespace: string, callback: ReadCallback) {
    const load = loaders[`./${language}/${namespace}.ts`];
    if (!load) return callback(new Error(`No translations for ${language}/${namespace}`), null);
    load().then(
      (mod) => callback(null, mod.default as Parameters<ReadCallback>[1]),
      (error: Error) => callback(error, null),
    );
  },
};

void i18n
  .use(lazyNamespaces)
  .use(initReactI18next)
  .init({
    lng: 'zh-CN',
    fallbackLng: 'zh-CN',
    ns: ['common', 'errors'],
    defaultNS: 'common',
    partialBundledLanguages: true,
    resources: { 'zh-CN': { common, errors } },
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });

export default i18n;

// Every other error text, asked for as the console starts: there long before a page's request can
// fail (until then an error reads as its status's generic text).
export const allErrorTexts = import('./zh-CN/errors').then(({ default: all }) => {
  i18n.addResourceBundle('zh-CN', 'errors', all, true, true);
});
