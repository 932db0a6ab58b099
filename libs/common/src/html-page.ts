// Client-facing pages (unsubscribe, survey): server-rendered, Chinese, mobile first, usable
// without JavaScript. Every interpolated value goes through escapeHtml.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function htmlPage(title: string, bodyHtml: string, extraCss = ''): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; font-family: -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif;
    background: #f7f4ef; color: #222; }
  main { max-width: 32rem; margin: 0 auto; padding: 2rem 1.25rem; }
  h1 { font-size: 1.4rem; color: #7a1f1f; }
  p { line-height: 1.7; }
  button { font-size: 1rem; padding: .75rem 1.5rem; border: 0; border-radius: .4rem;
    background: #7a1f1f; color: #fff; cursor: pointer; }
  button:focus { outline: 3px solid #e0a84a; outline-offset: 2px; }
${extraCss}
</style>
</head>
<body><main>${bodyHtml}</main></body>
</html>`;
}
