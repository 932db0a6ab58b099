import type { ThemeConfig } from 'antd';

// The brand's deep baijiu red, as on the client-facing pages.
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#7a1f1f',
    borderRadius: 6,
    fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif',
  },
};
