import { renderTemplate, textToHtml } from './templates';

describe('mail templates', () => {
  it('draws the survey link as a button, with the address below it, and links other addresses', () => {
    const surveyUrl = 'https://crm.example.com/s/abc?x=1&y=2';
    const mail = renderTemplate('survey-invitation', {
      salutation: '蔡先生',
      butlerName: '李娜',
      contactText: '接听我的回访',
      surveyUrl,
      expiryDays: 7,
    });
    expect(mail.text).toContain(surveyUrl);
    expect(mail.text).toMatch(/^尊敬的蔡先生，您好：\n\n感谢您接听我的回访。/);
    expect(mail.html).toMatch(
      /<a href="https:\/\/crm\.example\.com\/s\/abc\?x&#x3D;1&amp;y&#x3D;2" style="[^"]+">立即评价<\/a>/,
    );
    expect(mail.html).toContain('按钮无法打开时，请复制此链接到浏览器');
    expect(textToHtml('详见 https://example.com/a，谢谢')).toContain(
      '详见 <a href="https://example.com/a">https://example.com/a</a>，谢谢',
    );
  });

  it('escapes what the text holds, links included', () => {
    const html = textToHtml('<b>王</b>\nhttps://x.test/"><script>');
    expect(html).not.toMatch(/<script>|<b>/);
    expect(html).toContain('&lt;b&gt;王&lt;/b&gt;<br>');
  });
});
