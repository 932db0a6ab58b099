import { allErrorTexts } from './i18n';

// jsdom lacks matchMedia, which Ant Design's responsive helpers read.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

// The console asks for the full error texts as it starts (i18n/index.ts); tests read them at once.
await allErrorTexts;
