// Static demo data for the deterministic seed script. Plain data only: no randomness, no side effects.

import type { AromaType } from '@app/catalog';

export interface DemoProduct {
  sku: string;
  name: string;
  brand: string;
  series: string | null;
  aroma: AromaType;
  abv: number;
  volumeMl: number;
  priceFen: number;
  vintage: number | null;
  active: boolean;
}

// priceFen = approximate 2024–2026 street retail per bottle in 分 (rounded to a ¥x9/x99 price point),
// NOT the official 指导价; real market prices move weekly, these are only plausible demo values.
export const DEMO_PRODUCTS: DemoProduct[] = [
  // ── 酱香 jiang ──────────────────────────────────────────────
  // Official guide price is ¥1,499; street retail sits far above it.
  { sku: 'MT-FT-53-500', name: '贵州茅台酒 飞天 53% 500ml', brand: '贵州茅台', series: '飞天', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 249900, vintage: null, active: true },
  { sku: 'MT-1935-53-500', name: '茅台1935 53% 500ml', brand: '贵州茅台', series: '茅台1935', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 99900, vintage: null, active: true },
  { sku: 'MT-WZ-53-500', name: '茅台王子酒 53% 500ml', brand: '贵州茅台', series: '王子酒', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 19900, vintage: null, active: true },
  // Collection items: zodiac releases carry their release year as vintage.
  { sku: 'MT-SX-2019-53-500', name: '贵州茅台酒 己亥猪年生肖纪念酒 53% 500ml', brand: '贵州茅台', series: '生肖纪念酒', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 329900, vintage: 2019, active: true },
  { sku: 'MT-SX-2024-53-500', name: '贵州茅台酒 甲辰龙年生肖纪念酒 53% 500ml', brand: '贵州茅台', series: '生肖纪念酒', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 269900, vintage: 2024, active: true },
  { sku: 'XJ-JP-53-500', name: '习酒 君品 53% 500ml', brand: '习酒', series: '君品', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 99900, vintage: null, active: true },
  { sku: 'XJ-JC1988-53-500', name: '习酒 窖藏1988 53% 500ml', brand: '习酒', series: '窖藏1988', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 59900, vintage: null, active: true },
  { sku: 'LJ-QHL-53-500', name: '郎酒 青花郎 53% 500ml', brand: '郎酒', series: '青花郎', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 109900, vintage: null, active: true },
  { sku: 'LJ-HHL15-53-500', name: '郎酒 红花郎15 53% 500ml', brand: '郎酒', series: '红花郎', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 49900, vintage: null, active: true },
  { sku: 'GT-GB-53-500', name: '国台 国标酒 53% 500ml', brand: '国台', series: '国标', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 45900, vintage: null, active: true },
  { sku: 'ZJ-Z15-53-500', name: '珍酒 珍十五 53% 500ml', brand: '珍酒', series: '珍十五', aroma: 'jiang', abv: 53, volumeMl: 500, priceFen: 55900, vintage: null, active: true },

  // ── 浓香 nong (洋河 绵柔浓香 counts as nong) ─────────────────
  { sku: 'WLY-PW8-52-500', name: '五粮液 第八代普五 52% 500ml', brand: '五粮液', series: '普五', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 99900, vintage: null, active: true },
  // Discontinued: replaced by the 8th generation in 2019; kept for order history only.
  { sku: 'WLY-PW7-52-500', name: '五粮液 第七代普五 52% 500ml', brand: '五粮液', series: '普五', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 99900, vintage: null, active: false },
  { sku: 'WLY-WLC-45-500', name: '五粮春 45% 500ml', brand: '五粮液', series: '五粮春', aroma: 'nong', abv: 45, volumeMl: 500, priceFen: 25900, vintage: null, active: true },
  { sku: 'LZLJ-GJ1573-52-500', name: '国窖1573 52% 500ml', brand: '泸州老窖', series: '国窖1573', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 96900, vintage: null, active: true },
  { sku: 'LZLJ-TQ-52-500', name: '泸州老窖 特曲 52% 500ml', brand: '泸州老窖', series: '特曲', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 29900, vintage: null, active: true },
  { sku: 'YH-M6P-52-550', name: '洋河 梦之蓝 M6+ 52% 550ml', brand: '洋河', series: '梦之蓝', aroma: 'nong', abv: 52, volumeMl: 550, priceFen: 66900, vintage: null, active: true },
  // Discontinued: the original M6 was superseded by M6+; kept for order history only.
  { sku: 'YH-M6-52-500', name: '洋河 梦之蓝 M6（旧版）52% 500ml', brand: '洋河', series: '梦之蓝', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 59900, vintage: null, active: false },
  { sku: 'YH-TZL-42-480', name: '洋河 天之蓝 42% 480ml', brand: '洋河', series: '蓝色经典', aroma: 'nong', abv: 42, volumeMl: 480, priceFen: 26900, vintage: null, active: true },
  { sku: 'YH-HZL-42-480', name: '洋河 海之蓝 42% 480ml', brand: '洋河', series: '蓝色经典', aroma: 'nong', abv: 42, volumeMl: 480, priceFen: 13900, vintage: null, active: true },
  { sku: 'JNC-SJJ-52-500', name: '剑南春 水晶剑 52% 500ml', brand: '剑南春', series: '水晶剑', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 43900, vintage: null, active: true },
  { sku: 'GJG-G20-52-500', name: '古井贡酒 年份原浆 古20 52% 500ml', brand: '古井贡酒', series: '年份原浆', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 56900, vintage: null, active: true },
  { sku: 'JSY-GY4K-42-500', name: '今世缘 国缘 四开 42% 500ml', brand: '今世缘', series: '国缘', aroma: 'nong', abv: 42, volumeMl: 500, priceFen: 42900, vintage: null, active: true },
  { sku: 'SD-PWSD-52-500', name: '舍得 品味舍得 52% 500ml', brand: '舍得', series: '品味舍得', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 46900, vintage: null, active: true },
  { sku: 'SJF-JT-52-500', name: '水井坊 井台 52% 500ml', brand: '水井坊', series: '井台', aroma: 'nong', abv: 52, volumeMl: 500, priceFen: 49900, vintage: null, active: true },

  // ── 清香 qing ───────────────────────────────────────────────
  { sku: 'FJ-QH20-53-500', name: '汾酒 青花汾酒20 53% 500ml', brand: '山西汾酒', series: '青花', aroma: 'qing', abv: 53, volumeMl: 500, priceFen: 41900, vintage: null, active: true },
  { sku: 'FJ-QH30-53-500', name: '汾酒 青花汾酒30 复兴版 53% 500ml', brand: '山西汾酒', series: '青花', aroma: 'qing', abv: 53, volumeMl: 500, priceFen: 89900, vintage: null, active: true },
  // 黄盖玻汾 is sold in a 475ml bottle.
  { sku: 'FJ-BF-53-475', name: '汾酒 黄盖玻汾 53% 475ml', brand: '山西汾酒', series: '玻汾', aroma: 'qing', abv: 53, volumeMl: 475, priceFen: 5900, vintage: null, active: true },
  { sku: 'NLS-CN-42-500', name: '牛栏山 二锅头 陈酿 42% 500ml', brand: '牛栏山', series: '二锅头', aroma: 'qing', abv: 42, volumeMl: 500, priceFen: 1800, vintage: null, active: true },
  { sku: 'HX-EGT-56-500', name: '红星 二锅头 56% 500ml', brand: '红星', series: '二锅头', aroma: 'qing', abv: 56, volumeMl: 500, priceFen: 2200, vintage: null, active: true },

  // ── 凤香 feng ───────────────────────────────────────────────
  { sku: 'XF-15-52-500', name: '西凤酒 15年 52% 500ml', brand: '西凤酒', series: '年份封藏', aroma: 'feng', abv: 52, volumeMl: 500, priceFen: 35900, vintage: null, active: true },
  { sku: 'XF-LP-55-500', name: '西凤酒 绿瓶 55% 500ml', brand: '西凤酒', series: '绿瓶', aroma: 'feng', abv: 55, volumeMl: 500, priceFen: 6900, vintage: null, active: true },

  // ── 米香 mi ─────────────────────────────────────────────────
  { sku: 'GLSH-52-480', name: '桂林三花酒 52% 480ml', brand: '桂林三花', series: null, aroma: 'mi', abv: 52, volumeMl: 480, priceFen: 3500, vintage: null, active: true },

  // ── 兼香 jian ───────────────────────────────────────────────
  { sku: 'BYB-12-42-500', name: '白云边 12年陈酿 42% 500ml', brand: '白云边', series: '陈酿', aroma: 'jian', abv: 42, volumeMl: 500, priceFen: 14900, vintage: null, active: true },
  { sku: 'KZJ-10-41-500', name: '口子窖 十年型 41% 500ml', brand: '口子窖', series: '年份型', aroma: 'jian', abv: 41, volumeMl: 500, priceFen: 35900, vintage: null, active: true },

  // ── 芝麻香 zhima ────────────────────────────────────────────
  { sku: 'JZ-YPJZ-52-500', name: '景芝 一品景芝 芝麻香 52% 500ml', brand: '景芝', series: '一品景芝', aroma: 'zhima', abv: 52, volumeMl: 500, priceFen: 19900, vintage: null, active: true },

  // ── 特香 te ─────────────────────────────────────────────────
  { sku: 'ST-DFY-52-500', name: '四特酒 东方韵 弘韵 52% 500ml', brand: '四特', series: '东方韵', aroma: 'te', abv: 52, volumeMl: 500, priceFen: 39900, vintage: null, active: true },

  // ── 豉香 chi ────────────────────────────────────────────────
  // 玉冰烧 is genuinely 29.5% in a 610ml bottle; abv is therefore not always an integer.
  { sku: 'SW-YBS-295-610', name: '石湾 玉冰烧 29.5% 610ml', brand: '石湾', series: '玉冰烧', aroma: 'chi', abv: 29.5, volumeMl: 610, priceFen: 2500, vintage: null, active: true },

  // ── 药香 yao ────────────────────────────────────────────────
  { sku: 'DJ-GM-54-500', name: '董酒 国密 54% 500ml', brand: '董酒', series: '国密', aroma: 'yao', abv: 54, volumeMl: 500, priceFen: 65900, vintage: null, active: true },

  // ── 老白干香 laobaigan ──────────────────────────────────────
  { sku: 'HSLBG-67-500', name: '衡水老白干 67% 500ml', brand: '衡水老白干', series: null, aroma: 'laobaigan', abv: 67, volumeMl: 500, priceFen: 6900, vintage: null, active: true },

  // ── 馥郁香 fuyu ─────────────────────────────────────────────
  { sku: 'JGJ-NC-52-500', name: '酒鬼酒 内参 52% 500ml', brand: '酒鬼酒', series: '内参', aroma: 'fuyu', abv: 52, volumeMl: 500, priceFen: 109900, vintage: null, active: true },
  { sku: 'JGJ-HT-52-500', name: '酒鬼酒 红坛 52% 500ml', brand: '酒鬼酒', series: '红坛', aroma: 'fuyu', abv: 52, volumeMl: 500, priceFen: 45900, vintage: null, active: true },
];

// Common surnames, roughly in order of frequency (single-character only, for simple name composition).
export const DEMO_SURNAMES: string[] = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周',
  '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹',
  '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
];

// Mixed male / female / gender-neutral given names, 1–2 characters.
export const DEMO_GIVEN_NAMES: string[] = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明',
  '静', '敏', '丽', '艳', '娟', '霞', '芳', '婷', '洁', '琳',
  '建国', '建华', '志强', '国平', '海涛', '晓东', '永刚', '德明', '文斌', '宏伟',
  '子轩', '浩然', '宇航', '俊杰', '博文', '天佑', '梓豪', '思远', '嘉懿', '一鸣',
  '晓燕', '秀英', '桂兰', '玉梅', '慧敏', '雅琴', '婉清', '欣怡', '诗涵', '雨桐',
  '子涵', '欣然', '梓萱', '若曦', '晨', '悦', '安然', '佳琪', '明轩', '书瑶',
];

// Mainland cities with strong baijiu consumption or production culture.
export const DEMO_CITIES: string[] = [
  '成都', '贵阳', '遵义', '宜宾', '泸州', '北京', '上海', '深圳', '广州', '杭州',
  '南京', '武汉', '长沙', '西安', '郑州', '济南', '合肥', '重庆', '太原', '石家庄',
];

export const DEMO_TAGS: string[] = [
  '企业客户', '收藏爱好者', '宴请需求', '送礼大户', '品鉴会常客',
  '新客户', '老客户', '团购', '年份酒', '茅台忠实',
];

export const DEMO_OCCASIONS = ['gifting', 'banquet', 'collection', 'personal'] as const;
export type DemoOccasion = (typeof DEMO_OCCASIONS)[number];

export const DEMO_CHANNELS = ['store', 'wechat', 'phone', 'event', 'online'] as const;
export type DemoChannel = (typeof DEMO_CHANNELS)[number];

export interface DemoStaffMember {
  email: string;
  name: string;
  role: 'manager' | 'butler';
}

export const DEMO_STAFF: DemoStaffMember[] = [
  { email: 'manager@demo.butler.local', name: '陈思远', role: 'manager' },
  { email: 'butler1@demo.butler.local', name: '林静怡', role: 'butler' },
  { email: 'butler2@demo.butler.local', name: '王浩然', role: 'butler' },
  { email: 'butler3@demo.butler.local', name: '周婉清', role: 'butler' },
];
