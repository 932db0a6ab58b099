import { Polarity, Theme, THEMES } from './lexicon';
import type { TaggedTheme } from './theme-tagger';

export interface LabelledComment {
  text: string;
  source: 'survey' | 'unmet_needs' | 'case';
  themes: TaggedTheme[];
}

export interface ThemeScore {
  theme: Theme;
  // Comments labelled with the theme (support), tagged with it, and both.
  labelled: number;
  tagged: number;
  hits: number;
  precision: number;
  recall: number;
  // Of the hits, how many got the labelled polarity.
  polarityHits: number;
}

// Precision and recall of the theme keys per theme, and how often the stance of a found theme is
// right: what the benchmark prints and the unit test holds to the 0.8.
export function scoreTagger(items: LabelledComment[], tag: (text: string) => TaggedTheme[]): ThemeScore[] {
  const scores = new Map<Theme, ThemeScore>(
    THEMES.map((theme) => [
      theme,
      { theme, labelled: 0, tagged: 0, hits: 0, precision: 0, recall: 0, polarityHits: 0 },
    ]),
  );
  for (const item of items) {
    const got = new Map<Theme, Polarity>(tag(item.text).map((x) => [x.key, x.polarity]));
    const want = new Map<Theme, Polarity>(item.themes.map((x) => [x.key, x.polarity]));
    for (const [theme, polarity] of want) {
      const s = scores.get(theme)!;
      s.labelled++;
      if (got.has(theme)) {
        s.hits++;
        if (got.get(theme) === polarity) s.polarityHits++;
      }
    }
    for (const theme of got.keys()) scores.get(theme)!.tagged++;
  }
  return [...scores.values()].map((s) => ({
    ...s,
    precision: s.tagged ? s.hits / s.tagged : 1,
    recall: s.labelled ? s.hits / s.labelled : 1,
  }));
}
