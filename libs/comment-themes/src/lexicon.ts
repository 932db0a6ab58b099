// What clients write about, and how they feel about it: the baijiu and service lexicon the tagger
// reads comments with. A word may name a theme (an aspect: 物流), carry a stance (an opinion: 慢),
// or both (辣喉 is a complaint about the taste). `weak` aspects (酒, 管家) count only in a clause
// that names no other theme: 管家回复太慢 is about responsiveness, 管家很热情 about attitude.

export const THEMES = [
  'taste',
  'packaging',
  'delivery',
  'price',
  'authenticity',
  'attitude',
  'responsiveness',
  'event',
  'other',
] as const;
export type Theme = (typeof THEMES)[number];
export const POLARITIES = ['positive', 'negative', 'neutral'] as const;
export type Polarity = (typeof POLARITIES)[number];

export interface Term {
  theme?: Exclude<Theme, 'other'>;
  // +1 praise, −1 complaint or worry; absent: a mention with no stance.
  polarity?: 1 | -1;
  weak?: true;
}

const aspects = (theme: Exclude<Theme, 'other'>, words: string): [string, Term][] =>
  words.split(/\s+/).map((w) => [w, { theme }]);
const opinions = (polarity: 1 | -1, words: string, theme?: Exclude<Theme, 'other'>): [string, Term][] =>
  words.split(/\s+/).map((w) => [w, theme ? { theme, polarity } : { polarity }]);

export const LEXICON: ReadonlyMap<string, Term> = new Map<string, Term>([
  // 口感 / 酒质
  ...aspects(
    'taste',
    '口感 酒质 味道 口味 入口 酒体 香气 香味 酒香 香型 余味 后味 尾净 尾味 酒味 品质 质量 口感上 喝起来 喝着 ' +
      '喝完 酒劲 度数 酱香 浓香 清香 兼香 窖香 陈香 风味 层次 层次感 入喉 下喉 挂杯 酒花 年份酒 老酒 新酒 ' +
      '酱香味 浓香味 粮食香 粮香味 回味 后劲 嗓子 喉咙 曲香 粮香 糟香 空杯留香 留香 酱味 焦香 花香 果香 酒精度 口感方面 酒的品质 喝法 ' +
      '口味上 味儿 酒味儿 香味儿 酒香味 醉酒 喝多 口感度',
  ),
  ['酒', { theme: 'taste', weak: true }],
  ['这酒', { theme: 'taste', weak: true }],
  ['白酒', { theme: 'taste', weak: true }],
  ...opinions(
    1,
    '好喝 顺滑 顺口 绵柔 绵甜 醇厚 醇香 醇正 醇和 柔和 清爽 甘甜 爽口 香醇 协调 回甘 饱满 细腻 圆润 浓郁 ' +
      '不上头 不辣喉 干净 纯正 丰满 悠长 回味无穷 好入口 正宗的味道 地道 丰富 层次丰富 醇 香 甜 绵 顺 柔 润 ' +
      '上口 入口柔 柔顺 丝滑 不呛 浓厚 厚重 绵长 回味悠长 香浓 好喝极了 顺喉 不口干 不烧心 醇厚饱满 甘冽 甘洌 ' +
      '净爽 爽净 绵软 芳香 酱香突出 香气扑鼻 入口绵 入口顺',
    'taste',
  ),
  ...opinions(
    -1,
    '难喝 辣喉 辣口 辣嗓子 刺喉 烧喉 上头 冲鼻 寡淡 苦涩 发苦 杂味 异味 怪味 酒精味 口干 头疼 头痛 ' +
      '变味 串味 跑味 水味 淡如水 寡 酸味 辛辣 呛 辣 淡 偏淡 偏辣 刺激 冲口 酒精感 单薄 糊味 焦糊味 浑浊 沉淀 ' +
      '杂质 絮状物 发酸 寡淡无味 ' +
      '后劲大 头晕 宿醉 烧心 烧胃 割喉 涩 涩口 发涩 苦 酸 酒精味重 勾兑味 香精味 没酒味 难以下咽 刺鼻 冲头 ' +
      '不合口味 不对口味 不合胃口 喝不来 辣嘴 辣舌头 不好喝 不如以前 不如上次 变淡 淡了 上头快 口感差 口感一般 喝不惯 不对味 味不对 味道不对',
    'taste',
  ),
  // 包装
  ...aspects(
    'packaging',
    '包装 礼盒 盒子 外盒 内盒 瓶子 酒瓶 瓶身 瓶盖 盖子 封口 封膜 手提袋 袋子 外观 设计 瓶装 小瓶 大瓶 小瓶装 ' +
      '规格 纸箱 泡沫 酒盒 包装盒 礼袋 标签 酒标 瓶口 胶帽 瓶塞 木塞 贺卡 内衬 ' +
      '包装袋 礼品袋 礼品装 礼盒装 酒版 小酒版 迷你装 分装 试饮装 品鉴装 定制礼盒 刻字 瓶型 颜值 印刷 烫金 丝带 ' +
      '泡沫垫 防震 珍珠棉 气泡膜 外包装 内包装 箱子 外箱 瓶颈 盒装 做工 标贴 木盒 铁盒 皮盒 纸盒 陶瓷瓶 瓷瓶 玻璃瓶 酒坛 坛子 提手 缎带 飘带 开箱 双支装 两支装 六支装 ' +
      '整箱装 套装 礼盒包装 包装设计 封条 收缩膜 塑封 ' +
      '包裝 禮盒 瓶蓋 提袋 纸袋 包装纸',
  ),
  ...opinions(
    1,
    '精美 漂亮 好看 精致 考究 美观 有质感 完好 完好无损 齐全 结实 牢固 严实 颜值高 有颜值 精巧 别致 厚实',
    'packaging',
  ),
  // How grand a gift looks, said of a box or of an evening (品鉴会很高端): the box's only in a clause
  // that names no other theme.
  ...opinions(
    1,
    '大气 高档 上档次 有档次 有面子 体面 高端 简约 典雅 喜庆 华丽 奢华 拿得出手 有格调 气派 端庄',
    'packaging',
  ).map(([w, t]): [string, Term] => [w, { ...t, weak: true }]),
  ...opinions(
    -1,
    '简陋 寒酸 廉价 漏酒 渗漏 渗酒 漏液 漏 破损 碎了 碎 变形 掉漆 划痕 松动 开裂 瘪 压坏 磨损 脏 旧 粗糙 掉色 ' +
      '褪色 太薄 不环保 塑料 松了 晃 晃动 ' +
      '掉档次 土气 俗气 老气 过时 太素 难看 丑 拧不开 难开 漏气 瘪了 凹陷 裂了 有裂缝 缺角 压扁 压瘪 撞坏 湿了 受潮 泡水 湿透 发霉 ' +
      '难拧 拧不动 不好开 难打开 拿不出手 廉价感 不上档次 没档次 显得廉价 寒碜',
    'packaging',
  ),
  // 物流 / 送货
  ...aspects(
    'delivery',
    '物流 快递 送货 到货 发货 配送 顺丰 邮寄 运输 快递员 送货员 快递小哥 送货小哥 派送 签收 收货 送达 送到 寄 ' +
      '寄来 寄到 ' +
      '运费 包邮 物流信息 单号 路上 在途 收到货 到手 送酒 上门 ' +
      '快递盒 送货速度 发货速度 物流速度 到货速度 次日达 当日达 同城 闪送 跑腿 自提 地址 代收 驿站 快递柜 丰巢 ' +
      '包裹 快件 运单 物流公司 快递公司 快递费 邮费 收件 取件 派件 揽收 揽件 发件 送件 配送费 菜鸟 中通 圆通 申通 韵达 德邦 ems 邮政 极兔 送货时间 配送时间 ' +
      '送酒上门 送过来 送来 发出 寄出 寄送 ' +
      '物流 快遞 發貨 運輸 到貨',
  ),
  ...opinions(
    1,
    '神速 准时 送货上门 加快 送到家 快递快 物流快 到得快 按时 送得快 发货快 发得快 到货快 准点 如期',
    'delivery',
  ),
  ...opinions(
    -1,
    '丢件 丢了 寄错 送错 发错 延误 漏发 少发 错发 送错地址 被签收 被代签 代签 晚到 迟到 压件 滞留 爆仓 磕碰 摔坏 暴力运输 暴力分拣',
    'delivery',
  ),
  // 价格 / 性价比
  ...aspects(
    'price',
    '价格 价钱 价位 售价 定价 性价比 折扣 打折 降价 价 钱 费用 会员价 团购价 报价 差价 价格上 花钱 优惠券 买赠 价格表 活动价 满减 ' +
      '优惠力度 力度 返现 返利 保价 退差价 一口价 原价 折后 团购 拼单 促销 特价 秒杀 满赠 券 价格方面 价格体系 ' +
      '市场价 零售价 出厂价 批发价 指导价 优惠价 内部价 价錢 價格 块钱 多块',
  ),
  ...opinions(
    1,
    '值回票价 便宜 实惠 划算 值 超值 物美价廉 公道 合理 值这个价 不贵 物有所值 优惠 价廉 价格透明 买得值 值得买 很值 太值了 价格美丽 良心价 亲民 实在价',
    'price',
  ),
  ...opinions(
    -1,
    '优惠活动 促销活动 打折活动 满减活动 秒杀活动 团购活动 涨 涨了 又涨了 小贵 肉痛 划不来 贵 偏贵 太贵 昂贵 涨价 不值 肉疼 坑钱 宰客 高价 溢价 虚高 价高 贵了 ' +
      '买贵了 乱价 价格混乱 不透明 价格不透明 杀熟 大数据杀熟 割韭菜 智商税 ' +
      '不值这个价 比外面贵 比网上贵 贵得离谱',
    'price',
  ),
  // 真伪
  ...aspects(
    'authenticity',
    '真伪 防伪 防伪码 溯源 溯源码 真假 鉴定 验真 防伪标 防伪标签 扫码 二维码 查验 核验 序列号 来源 渠道 授权 ' +
      '防伪查询 查真伪 验货 鉴别 专柜 官方授权 授权书 正规渠道 防伪芯片 芯片 nfc 防伪层 刮开 刮码 防伪贴 真伪查询 ' +
      '防偽 真偽',
  ),
  ...opinions(
    1,
    '正品 真品 正宗 原装 保真 假一赔十 官方正品 真货 是真的 货真价实 如假包换 放心喝 正规 官方渠道',
    'authenticity',
  ),
  ...opinions(
    -1,
    '假酒 假货 仿冒 山寨 冒牌 高仿 调包 掉包 假的 来路不明 水货 以假乱真 对不上 假冒 假冒伪劣 是假的 不像真的 不像正品 像假的 翻新 回收酒 灌装酒 被调包 已被查询 不是正品',
    'authenticity',
  ),
  // 管家态度
  ...aspects(
    'attitude',
    '态度 服务态度 语气 说话 沟通 为人 人品 素质 服务意识 言语 口气 脾气 性格 服务水平 服务质量 服务意识 ' +
      '待人 待客 接待 专业度 专业性 专业水平 专业知识 服务精神 态渡 服物 服务员 情商 礼数 礼节 分寸 销售方式',
  ),
  // Who the butler is, when named (顾问, 业务员): like 管家, the subject of the sentence.
  ...[
    '服务',
    '顾问',
    '专员',
    '业务员',
    '销售',
    '销售员',
    '客户经理',
    '对接人',
    '负责人',
    '工作人员',
    '解释',
    '解答',
    '讲解',
  ].map((w): [string, Term] => [w, { theme: 'attitude', weak: true }]),
  ['管家', { theme: 'attitude', weak: true }],
  // Putting a mishap right is the answer to it when a stance is given (补发得很及时), a log line when not (已安排补发).
  ...[
    '速度',
    '处理',
    '反馈',
    '跟进',
    '解决',
    '进度',
    '联系',
    '办事',
    '消息',
    '回',
    '售后',
    '售后服务',
    '补发',
    '补寄',
    '补送',
    '重发',
    '换新',
  ].map((w): [string, Term] => [w, { theme: 'responsiveness', weak: true }]),
  ['小伙子', { theme: 'attitude', weak: true }],
  // A shop as often as a courier: 比京东便宜 is about the price.
  ['京东', { theme: 'delivery', weak: true }],
  // 冲 of a drink is harsh, of a butler's words rude (说话很冲).
  ['冲', { theme: 'taste', polarity: -1, weak: true }],
  ['姑娘', { theme: 'attitude', weak: true }],
  ['客服', { theme: 'attitude', weak: true }],
  ...opinions(
    1,
    '热情 耐心 专业 贴心 周到 细心 用心 礼貌 客气 真诚 亲切 体贴 负责 认真 尽心 靠谱 和气 暖心 有礼貌 ' +
      '服务好 态度好 彬彬有礼 热心 不厌其烦 没得说 没话说 没的说 有耐心 客客气气 辛苦 辛苦了 重视 尊重 ' +
      '和蔼 和善 友善 友好 谦和 谦虚 温柔 温和 得体 有分寸 诚恳 诚心 实诚 厚道 老实 好说话 通情达理 善解人意 ' +
      '体谅 关怀 问候 照顾 照顾周到 嘘寒问暖 温暖 走心 有心 有心了 耐心细致 热情周到 贴心周到 ' +
      '细致周到 服务周到 服务到位 态度很好 态度诚恳 态度端正 情商高 会说话 敬业 尽职 尽责 尽职尽责 负责任 主动 ' +
      '积极 殷勤 周道 耐性 记得 记着 惦记 不卑不亢 有礼 文明 客气话 舒心',
    'attitude',
  ),
  // Manner words that also praise an event, a box or a courier (安排得很周到, 包装很用心): the
  // butler's only in a clause that names no other theme, or names the butler.
  ...opinions(
    1,
    '专业 贴心 周到 细心 用心 认真 上心 尽心 实在 懂行 懂酒 靠谱 精心 细致 热情 负责 周全 用心良苦 考虑周全 温馨 ' +
      '人很好 人不错 人挺好 人超好 人特别好 人真好 人蛮好 人挺不错 人很不错 人很实在 人好',
    'attitude',
  ).map(([w, t]): [string, Term] => [w, { ...t, weak: true }]),
  ...opinions(
    -1,
    '敷衍 冷淡 不耐烦 爱答不理 爱理不理 傲慢 推诿 推脱 粗鲁 冷漠 态度差 服务差 凶 甩脸 强推 推销 硬推 ' +
      '骚扰 不礼貌 不专业 忽悠 踢皮球 推卸 生硬 冲人 ' +
      '恶劣 态度恶劣 态度差劲 态度不好 蛮横 无礼 没礼貌 不客气 瞧不起 看不起 狗眼看人低 嫌弃 嫌麻烦 不情愿 没耐心 ' +
      '不热情 冷冰冰 冰冷 爱搭不理 爱理不睬 不理不睬 不搭理 敷衍了事 应付 应付了事 打发 糊弄 套路 画大饼 夸大 ' +
      '夸大其词 吹嘘 吹牛 不懂装懂 一问三不知 不懂酒 没经验 打扰 频繁打扰 强行推销 硬塞 逼单 催单 推销味 ' +
      '功利 势利 势利眼 没诚意 虚伪 假惺惺 油腻 油嘴滑舌 阴阳怪气 甩锅 推卸责任 推来推去 找借口 借口 狡辩 凶巴巴 ' +
      '发脾气 不屑 不负责 不负责任 不上心 不用心 粗心 马虎 粗心大意 敷敷衍衍 爽约 放鸽子 食言 说话不算话 不守信 ' +
      '不讲信用 不守时 失礼 不尊重 怠慢 爱答不理的 拉群 拉进群 广告 群发 刷屏 烦人 纠缠 缠着 死缠烂打 咄咄逼人 ' +
      '不友好 没素质 素质差 素质低 傲气 摆架子 官腔 打官腔 答不上来 说不清楚 讲不清楚 含糊其辞 支支吾吾 敷延 付衍',
    'attitude',
  ),
  // 响应速度
  ...aspects(
    'responsiveness',
    '回复 回消息 响应 答复 回电 回电话 效率 时效 处理速度 回应 回音 售后处理 处理结果 回复速度 ' +
      '回覆 回信 回话 回微信 回短信 响应速度 反应速度 办事效率 工作效率 处理效率 答复速度 接电话 在线 回得 回的',
  ),
  ...opinions(
    1,
    '秒回 高效 利索 麻利 雷厉风行 解决了 处理好了 搞定 效率高 回复快 回得快 ' +
      '秒复 速回 随叫随到 有求必应 有问必答 随时 干脆 痛快 爽快 效率很高 高效率 反应快 响应快 ' +
      '回复及时 处理及时 跟进及时 及时跟进 及时处理 及时回复 妥善解决 妥善处理 妥善 办妥 落实 跟进到位 处理得当 ' +
      '找得到人 随时找得到 联系得上 很快解决 很快处理 快速处理 快速解决 全天在线 24小时 随时在线 马上回 秒会 及时雨 解决问题',
    'responsiveness',
  ),
  // How fast, said of an answer or of a parcel (发货速度很快, 补发得很及时): the answer's only in a clause
  // that names no other theme.
  ...opinions(1, '及时 迅速 快速 很快 立刻 马上 第一时间 当天 即时 立马 立即 当场', 'responsiveness').map(
    ([w, t]): [string, Term] => [w, { ...t, weak: true }],
  ),
  ...opinions(
    -1,
    '没人理 没人管 不理 不回 不回复 石沉大海 杳无音信 没下文 占线 未读 已读不回 催 催了 催促 ' +
      '慢半拍 反应慢 回复慢 回得慢 效率低 低效 效率太低 杳无音讯 音讯全无 没回音 没消息 没反馈 ' +
      '没动静 没回应 没有回应 没有回复 未回复 未答复 没答复 没回 未回 不回消息 不接电话 不接 失联 玩消失 人间蒸发 ' +
      '置之不理 不闻不问 不管不问 搁置 晾着 耽搁 三催四请 ' +
      '催了好几次 多次催促 反复催促 一再催促 无人跟进 无人处理 无人回复 无人理会 没人跟进 没人负责 没人回 找不到人 ' +
      '联系不上 打不通 不及时 回复不及时 处理不及时 迟迟未 迟迟不 半天不回 好久不回 隔天才回 很久才回 不了了之',
    'responsiveness',
  ),
  // Dragging on, said of an answer or of a parcel (发货拖了一周): the answer's only in a clause that
  // names no other theme.
  ...opinions(
    -1,
    '拖延 拖拉 拖沓 一拖再拖 拖 拖了 拖着 拖拖拉拉 迟迟 磨蹭 磨磨蹭蹭 慢吞吞 没打来 没回电 没回电话 没解决 未解决 没有解决 还没解决 没处理 未处理 没有处理',
    'responsiveness',
  ).map(([w, t]): [string, Term] => [w, { ...t, weak: true }]),
  // 活动 / 品鉴
  ...aspects(
    'event',
    '品鉴会 品鉴 活动 晚宴 酒会 参观 酒厂 回厂游 沙龙 讲座 邀请 品酒会 封藏大典 回馈活动 会员日 年会 ' +
      '聚会 品酒 宴会 酒庄 工厂 游览 体验活动 茶话会 答谢会 私宴 鉴赏会 发布会 调酒 勾调 文化节 ' +
      '品鉴活动 品酒会 品鉴晚宴 答谢宴 酒宴 品鉴酒会 主持人 主持 嘉宾 场地 会场 行程 参观酒厂 厂区 ' +
      '车间 酒窖 窖池 开瓶仪式 封坛 封藏 线下活动 沙龙活动 晚会 宴席 课程 培训课 品酒课 酒会活动 游学 研学 ' +
      '回厂 溯源之旅 菜品 酒席 饭局 表演 抽奖 ' +
      '交流会 酒友会 品鉴课 线下聚会 线下交流 酒旅 参观学习 酿造 酿酒 制曲 踩曲 烤酒 酿酒工艺 酒文化 大师课 讲师 ' +
      '线下 聚餐 酒友 出游 家宴 团建 旅行 旅游 之旅 一日游 考察 茅台镇 产区 签到 座位 现场 见面会 联谊会 读书会 高尔夫 品鉴之旅 工厂参观 参观活动 活動 品鑒',
  ),
  ...opinions(
    1,
    '有意思 精彩 尽兴 难忘 开眼界 长见识 涨知识 有收获 热闹 隆重 大开眼界 受益匪浅 有趣 氛围好 气氛好 高大上 收获很大 收获满满 不虚此行 值得一去',
    'event',
  ),
  ...opinions(-1, '无聊 走过场 冷场 乱糟糟 混乱 枯燥 没意思 形式主义 敷衍了事的活动 拥挤 太挤 人太多 冷清', 'event'),
  // A stance with no theme of its own: it goes to the theme its clause names.
  ...opinions(
    1,
    '好 不错 满意 喜欢 赞 棒 优秀 完美 惊喜 快 舒服 放心 省心 开心 感谢 谢谢 感动 推荐 点赞 好评 挺好 ' +
      '很好 还行 还可以 可以 行 理想 给力 到位 稳 清楚 顺利 值得 认可 信赖 信任 信得过 周全 好用 没问题 表扬 ' +
      '肯定 满足 正好 高兴 喜出望外 放心了 踏实 靠得住 合适 全面 ' +
      'nice 👍 正 良心 震撼 精细 方便 兑现 很棒 超棒 太棒了 真棒 赞赞 点个赞 一百分 满分 五星 666 好极了 挺满意 非常满意 很满意 称心 如意 ' +
      '舒坦 妥妥的 妥 杠杠的 没毛病 无可挑剔 没得挑 挑不出毛病 感恩 多谢 谢了 辛苦啦 放一百个心',
  ),
  ...opinions(
    -1,
    '差 不好 慢 晚 迟 延迟 失望 糟糕 坑 垃圾 烂 麻烦 有问题 出问题 质量问题 投诉 退货 换货 退款 不满 生气 差劲 遗憾 可惜 ' +
      '损坏 坏 太久 久 一般 担心 怀疑 疑虑 不放心 不满意 后悔 郁闷 无语 气人 闹心 不爽 难受 心疼 吐槽 ' +
      '不行 没用 太差 过期 不对 不一样 不一致 缺 缺货 漏掉 忘 忘了 忘记 拖 等了 催 催了 着急 不靠谱 ' +
      '失误 错误 出错 不清楚 模糊 误导 不踏实 没底 心里没底 反感 烦 不信任 取消 耽误 没通知 没人通知 未通知 ' +
      '一般般 不怎么样 中规中矩 没啥特色 没特色 乱哄哄 乱 答非所问 错过 多付 频繁 太频繁 少了 ' +
      '久等 等半天 等了半天 等很久 等了很久 等了好久 等太久 离谱 差评 心累 窝火 恼火 伤心 寒心 扫兴 失落 不舒服 别扭 ' +
      '污渍 有污渍 歪了 提意见 提出意见 有意见 意见很大 不方便 还在等 一直等 干等 白等 听不懂 看不懂 没听懂 不合适 不理想 不到位 欠佳 堪忧 有待提高 有待改进 ' +
      '有待加强 需改进 不足 不满足 受不了 吃不消 压力大 未果 无果 ' +
      '没到账 未到账 ' +
      '不通知 没打招呼 不打招呼 没说一声 不说一声 也不说 不吭声',
  ),
]);

// Words that turn the stance after them (within a few words, in the same clause) around.
export const NEGATORS = new Set([
  '不',
  '没',
  '没有',
  '并不',
  '并没有',
  '并未',
  '不太',
  '不怎么',
  '不够',
  '未',
  '无',
  '毫无',
  '不是',
  '一点也不',
  '一点都不',
  '从不',
  '从没',
  '从来不',
  '从来没有',
  '绝不',
  '并非',
  '不算',
  '不大',
  '谈不上',
  '算不上',
  '不再',
  '没什么',
  '没啥',
  '不会',
  '不用',
  '免',
]);

// Degree words sit between a negator and its word (不是很好, 不太满意) and change nothing here.
export const DEGREE = new Set([
  '很',
  '太',
  '挺',
  '超',
  '非常',
  '特别',
  '有点',
  '有些',
  '比较',
  '较',
  '十分',
  '相当',
  '极',
  '极其',
  '真',
  '真的',
  '蛮',
  '好',
  '更',
  '最',
  '也',
  '都',
  '还',
  '又',
  '还是',
  '实在',
  '稍',
  '稍微',
  '略',
  '偏',
  '过于',
  '那么',
  '这么',
  '够',
  '得',
  '的',
  '是',
  '一点',
  '一些',
  '点',
]);

// A clause that asks or wishes (希望多办品鉴会, 能不能出小瓶装) mentions its theme with no stance.
export const REQUEST_MARKERS = [
  '希望',
  '建议',
  '能不能',
  '可不可以',
  '能否',
  '是否可以',
  '可否',
  '如果能',
  '要是能',
  '期待',
  '期望',
  '想要',
  '想请',
  '盼望',
  '最好能',
  '最好',
  '多办',
  '多搞',
  '多组织',
  '多举办',
  '多一些',
  '多点',
  '能再',
  '能多',
  '可以多',
  '可以搞',
  '可以办',
  '可以组织',
  '可以出',
  '可以提供',
  '可以增加',
  '可以再',
  '考虑',
  '增加',
  '出个',
  '出一款',
  '推出',
  '有没有',
  '需要',
  '想了解',
  '想参加',
  '想知道',
  '会不会',
  '是不是',
  '能否',
  '可以吗',
];

// Where one stance ends and the next may begin: punctuation, and the words that turn a sentence.
export const CLAUSE_BREAK = /[，。！？；,.!?;…\n\r~～]+|但是|不过|可是|然而|只是|就是|可惜|而且|另外|同时|并且/;

// Implicit mentions the words alone miss: "等了一周才到" is about delivery, "消息发了两天才回" about
// responsiveness, "扫码查不到" about authenticity. Checked on each clause's text.
export const PATTERNS: {
  re: RegExp;
  theme: Exclude<Theme, 'other'>;
  polarity: 1 | -1;
  always?: true;
  // Not in a comment about a parcel (等了大半天 is the courier's wait there).
  notInTransit?: true;
}[] = [
  { re: /等了.{0,6}(才到|才收到|还没到|没到|没收到|才送到)/, theme: 'delivery', polarity: -1 },
  {
    re: /(一周|一个星期|半个月|好几天|好多天|[三四五六七八九十]天).{0,4}(才到|才收到|还没到|没到|没收到|才送)/,
    theme: 'delivery',
    polarity: -1,
  },
  { re: /(第二天|隔天|次日|当天|一天|两天).{0,4}(就)?(到|收到|送到|送来)/, theme: 'delivery', polarity: 1 },
  { re: /(很快|这么快|真快).{0,3}(就)?(到|收到|送到|送来)/, theme: 'delivery', polarity: 1 },
  {
    re: /(发了|问了|打了|留言|找了|联系了).{0,8}(才回|没人回|没回|不回|没人接|没接|没反应|没动静)/,
    theme: 'responsiveness',
    polarity: -1,
  },
  {
    re: /(一直|始终|迟迟|至今|到现在|仍然|仍)(都|也|还|仍)*(没|没有|不|未)(人)?(回|处理|解决|联系|答复|给|跟进|下文|结果)/,
    theme: 'responsiveness',
    polarity: -1,
  },
  {
    re: /(马上|立刻|很快|及时|当天|第一时间|秒)(就)?(回|处理|解决|联系|答复|给我|帮我|安排)/,
    theme: 'responsiveness',
    polarity: 1,
  },
  {
    re: /(扫码|防伪码|查询|扫了|扫一扫|查了).{0,4}(查不到|扫不出|无效|不显示|显示异常|失败|不一致|对不上)/,
    theme: 'authenticity',
    polarity: -1,
  },
  // A question whether it is fake is a worry, not a neutral question.
  { re: /(是不是|会不会|是否|不会是).{0,4}(假|仿|真的|调包|掉包)/, theme: 'authenticity', polarity: -1, always: true },
  {
    re: /(联系不上|打不通|找不到人|没人接|不接电话|没结果|没下文|没有下文|不了了之)/,
    theme: 'responsiveness',
    polarity: -1,
  },
  { re: /(被查询|查询过|已被扫|扫过|被扫过)/, theme: 'authenticity', polarity: -1 },
  { re: /(喝了|喝完).{0,4}(头疼|头痛|难受|不舒服|口干)/, theme: 'taste', polarity: -1 },
  { re: /性价比(很|挺|超|非常|特别|还|也|比较|真|确实)*(高|好|不错|可以|没得说)/, theme: 'price', polarity: 1 },
  { re: /性价比(不高|低|差|一般|太低)/, theme: 'price', polarity: -1 },
  { re: /(价格|价钱|价位|售价|报价|卖得|卖的)(也|还|都)?比.{1,10}(高|低)/, theme: 'price', polarity: -1 },
  { re: /比.{1,10}(便宜|实惠|划算)/, theme: 'price', polarity: 1 },
  { re: /(价格|价位|价钱|售价|定价)(有点|太|偏|比较|很|挺|略|稍)*高/, theme: 'price', polarity: -1 },
  { re: /效率(很|挺|超|非常|特别|真)*高/, theme: 'responsiveness', polarity: 1 },
  {
    re: /(半天|两天|一天|好久|很久|隔天|几天|一周|半个月)才(回|处理|回复|答复|联系)/,
    theme: 'responsiveness',
    polarity: -1,
  },
  {
    re: /(分钟|马上|立刻|很快|秒|当天|第二天|一天|当场).{0,3}(就)?(回了|回复|回我|解决|处理|补发|补寄|办好|换了|退了)/,
    theme: 'responsiveness',
    polarity: 1,
  },
  { re: /催.{0,5}(才|还没|也没)/, theme: 'responsiveness', polarity: -1 },
  { re: /拖.{0,6}才(送|到|发)/, theme: 'delivery', polarity: -1 },
  { re: /(到现在|至今|还|几天了还|天了还)(没|没有|未)(到|收到|发货|发)/, theme: 'delivery', polarity: -1 },
  { re: /(验证|查询|核验|扫码|防伪).{0,6}(打不开|无法|不了|看不清|查不到|失败)/, theme: 'authenticity', polarity: -1 },
  {
    re: /(优惠券|折扣|团购价|优惠|活动价|会员价).{0,6}(用不了|不能用|未生效|没生效|没享受|未享受|未兑现|没兑现)/,
    theme: 'price',
    polarity: -1,
  },
  { re: /(物流|快递|单号|物流信息).{0,6}(没|不|未)(更新|动)/, theme: 'delivery', polarity: -1 },
  // How fast it came or was answered, said with 得: 到得挺快, 送得太慢, 回得很及时.
  {
    re: /(?<![补重])(到|送|发|寄|运)得(很|挺|真|特别|超|非常|蛮|相当|也|还|比较)*(快|及时|准时|早)/,
    theme: 'delivery',
    polarity: 1,
  },
  {
    re: /(?<![补重])(到|送|发|寄|运)得(很|挺|太|真|特别|有点|比较|也|还|超|非常)*(慢|晚|迟)/,
    theme: 'delivery',
    polarity: -1,
  },
  {
    re: /(回|复|处理|办|解决|补发|补寄|换)得(很|挺|真|特别|超|非常|蛮|相当|也|还|比较)*(快|及时|利索|迅速)/,
    theme: 'responsiveness',
    polarity: 1,
  },
  {
    re: /(回|复|处理|办|解决|补发|补寄|换)得(很|挺|太|真|特别|有点|比较|也|还|超|非常)*(慢|晚|迟)/,
    theme: 'responsiveness',
    polarity: -1,
  },
  { re: /(送|寄|发)(到|给)?(了)?(别人|邻居|错)|地址(写|填|弄)?错/, theme: 'delivery', polarity: -1 },
  // 才 before a parcel's step says it came late: 年后才发货, 催了才寄出.
  { re: /才(发货|发出|寄出|到货|送到|送来|收到货|发快递)/, theme: 'delivery', polarity: -1 },
  { re: /(当天|第二天|隔天|次日|马上|很快|立刻|立马)(就)?(发|发货|寄|寄出|发出)/, theme: 'delivery', polarity: 1 },
  { re: /(放|扔|丢)(在)?(驿站|门口|门卫|快递柜|丰巢|物业|楼下)/, theme: 'delivery', polarity: -1 },
  {
    re: /等(了)?(大|好|老)?(半天|好久|很久|一整天|好几天|几个小时|一上午|一下午)/,
    theme: 'responsiveness',
    polarity: -1,
    notInTransit: true,
  },
  { re: /(还|仍|都|也)(没|没有|未)(给)?(个)?(结果|说法|答复|交代|回音)/, theme: 'responsiveness', polarity: -1 },
  {
    re: /(防伪|封口|封条|瓶盖|标签|封膜).{0,4}(被撕|被动过|被打开|被拆|有拆封|拆过|撕过|开过)/,
    theme: 'authenticity',
    polarity: -1,
  },
  { re: /有(股|一股|种)?.{0,4}(香|香味|清香|酱香|粮香)/, theme: 'taste', polarity: 1 },
  // Nobody answering, said as a fact: 没人回, 半天都没人理, 消息也不回, 电话老是没人接.
  { re: /(没人|没有人|无人)(回|理|管|接|跟|处理|答复|负责|联系)/, theme: 'responsiveness', polarity: -1 },
  {
    re: new RegExp(
      '(半天|好久|很久|好几天|几天|一天|一整天|两天|三天|一周|一个星期|一上午|一下午|一晚上|一个月)(了)?(都|也|还)?' +
        '(没|不|没有|未)(人)?(回|理|答复|处理|消息|动静|反应|下文|回音|联系|跟进)',
    ),
    theme: 'responsiveness',
    polarity: -1,
  },
  {
    re: /(消息|微信|信息|电话|短信|留言)(也|都|总是|老是|经常|一直|从来|根本)?(不|没|没有|未)(人)?(回|接|读|看|理)/,
    theme: 'responsiveness',
    polarity: -1,
  },
  { re: /等.{0,6}(回复|答复|回音|回消息|回电|回话)/, theme: 'responsiveness', polarity: -1 },
  { re: /分钟(之内|以内|内)?(就)?(回|回复|答复|搞定|解决|处理|接)/, theme: 'responsiveness', polarity: 1 },
  { re: /一(发|问|打|找)(消息|微信|电话)?(就|马上|立马)(回|接|答|处理)/, theme: 'responsiveness', polarity: 1 },
  // What the butler remembers or keeps doing: 记得我父亲的生日 (care), 天天推销 (pushing).
  {
    re: /(记得|记住|记着|惦记)(我|我们|家里|我家|我父亲|我母亲|我爸|我妈|老人|孩子|家人)?.{0,6}(生日|口味|喜好|爱好|习惯|纪念日|喜欢)/,
    theme: 'attitude',
    polarity: 1,
  },
  {
    re: /(总是|老是|总|老|天天|每天|三天两头|隔三差五|一天到晚|频繁)(在.{0,4})?(发|打电话|打来|推|推销|催|问我买)/,
    theme: 'attitude',
    polarity: -1,
  },
  // Asking for another butler, or one who cares only for the sale, is a word on the butler.
  { re: /(换|更换|换掉)(个|一个|一位)?(管家|顾问|对接人)/, theme: 'attitude', polarity: -1, always: true },
  { re: /只(关心|在乎|顾|想|知道|惦记)(着)?(业绩|卖|推销|成交|提成|赚钱|下单|冲量)/, theme: 'attitude', polarity: -1 },
  // 才 before an answer says it came late: 第二天早上才回.
  { re: /(?<!刚)才(回|回复|回我|答复|回消息|回电|处理|联系我|跟进)/, theme: 'responsiveness', polarity: -1 },
  { re: /(联系|找|打电话|催)(了)?.{0,6}(未果|无果)/, theme: 'responsiveness', polarity: -1 },
  { re: /(像|跟|和)(朋友|家人|亲人|自家人)一样|当(朋友|家人|亲人)/, theme: 'attitude', polarity: 1 },
  { re: /说话(很|太|有点|比较|特别)?(冲|难听|不客气|不好听|刺耳|带刺)/, theme: 'attitude', polarity: -1 },
  { re: /(不想|不愿意|懒得|不肯)(搭理|理|回答|解释|帮忙|管)/, theme: 'attitude', polarity: -1 },
];

// Complaints said as a fact rather than a word (打不开, 用不了, 太薄了): a stance with no theme of its
// own, given to the clause's theme like any opinion.
export const STANCE_PATTERNS: { re: RegExp; polarity: 1 | -1 }[] = [
  { re: /打不开|登不上|登录不上|看不清|用不了|不能用|无法|没法|不好用|不显示|没反应|找不到/, polarity: -1 },
  { re: /太(薄|紧|远|厚|乱|少|多|频繁|小|大|重|简单|吵|挤|晚|久|难|贵|慢|差|淡|辣|冲|甜|烈)/, polarity: -1 },
];

// A problem or a need that may come, before whom to ask: 有问题找管家, 有事随时联系.
// Relief after a mishap (幸好没碎, 好在酒没事) is no stance: the clause ends there.
export const RELIEF = /(好在|幸好|还好|幸亏|所幸|万幸).*$/;
export const IF_NEEDED =
  /(有问题|有什么问题|有事儿?|有需要|遇到问题|有疑问)(的话)?(?=(就|都|可以|随时)*(找|联系|问|打|call|能|时|的时候))/g;

// Who delivers: a manner word about them (很客气, 态度好) is about the delivery, not the butler.
export const DELIVERY_PEOPLE = /快递员|快递小哥|送货员|送货的|送货小哥|配送员|师傅|小哥/;
// Common surnames, for a butler called by name: 小王, 小张 (jieba cuts them 小/王).
export const SURNAMES = new Set(
  '王张李刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶潘杜戴夏钟汪田任姜范姚谭廖邹熊金陆郝崔邱秦江顾侯邵孟段雷汤尹黎易常武乔贺赖龚'.split(
    '',
  ),
);
export const BUTLER_WORDS = new RegExp(`管家|客服|顾问|经理|小[${[...SURNAMES].join('')}]`);
// A butler by surname and title, a word jieba keeps whole: 李管家, 王经理, 张顾问.
export const BUTLER_TITLE = /^.(管家|经理|顾问|总)$/;

// Damage in a comment about the shipment (到货时碎了, 快递压坏了外盒) is the delivery's, not the packaging's.
export const IN_TRANSIT = /到货|运输|快递|物流|送货|寄|路上|配送|收到|补发/;
export const DAMAGE = new Set(
  '碎了 碎 压坏 破损 摔 摔坏 磕 磕坏 变形 瘪 瘪了 凹陷 裂了 有裂缝 开裂 缺角 磕碰 压扁 压瘪 撞坏 破了 湿了 受潮 泡水 湿透'.split(
    ' ',
  ),
);

// A wish for a new product (一款低度酒, 定制酒, 纪念酒) is about the range, not about a theme it names.
export const PRODUCT_WISH = /(一款|一个系列|系列|定制|纪念酒|纪念款|新品|新款|低度)/;
