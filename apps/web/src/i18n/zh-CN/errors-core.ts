// What the console must say before the rest of the error texts arrive: the generic answers, the
// network and the sign-in's own codes. They ship with the entry (the login route has a size
// budget); errors.ts, all the others, follows in a chunk of its own loaded at start (i18n/index.ts).
export default {
  network: '网络连接失败，请检查网络后重试',
  server: '服务器暂时无法处理，请稍后重试',
  unknown: '操作失败，请稍后重试',
  retry: '重试',
  codes: {
    BAD_REQUEST: '请求格式有误，请刷新页面后重试',
    UNAUTHORIZED: '登录已过期，请重新登录',
    FORBIDDEN: '您没有权限执行此操作',
    NOT_FOUND: '记录不存在或已被删除',
    CONFLICT: '数据已发生变化，请刷新后重试',
    PAYLOAD_TOO_LARGE: '提交的内容过大',
    UNSUPPORTED_MEDIA_TYPE: '不支持此文件或内容类型',
    UNPROCESSABLE: '请求无法处理，请检查后重试',
    RATE_LIMITED: '操作过于频繁，请稍后再试',
    INTERNAL_ERROR: '服务器暂时无法处理，请稍后重试',
    SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后重试',
    DATABASE_UNAVAILABLE: '服务暂时不可用，请稍后重试',
    VALIDATION_FAILED: '填写的内容有误，请按提示修改',
    LOGIN_FAILED: '邮箱或密码不正确',
    LOGIN_ACCOUNT_LOCKED: '该账号登录失败次数过多，请 {{minutes}} 分钟后再试',
    LOGIN_BUSY: '登录人数较多，请稍后再试',
  },
} as const;
