import { parseFlatXml } from './callback-xml';

describe('parseFlatXml', () => {
  it("reads WeCom's event XML (CDATA and plain text)", () => {
    const xml = `<xml>
<ToUserName><![CDATA[ww123]]></ToUserName>
<CreateTime>1403610513</CreateTime>
<Event><![CDATA[change_external_contact]]></Event>
<ChangeType><![CDATA[del_follow_user]]></ChangeType>
<UserID><![CDATA[zhangsan]]></UserID>
<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA]]></ExternalUserID>
<State>a &amp; b</State>
</xml>`;
    expect(parseFlatXml(xml)).toEqual({
      ToUserName: 'ww123',
      CreateTime: '1403610513',
      Event: 'change_external_contact',
      ChangeType: 'del_follow_user',
      UserID: 'zhangsan',
      ExternalUserID: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA',
      State: 'a & b',
    });
  });

  it('refuses DTDs, nesting, junk and mismatched tags', () => {
    expect(parseFlatXml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>')).toBeNull();
    expect(parseFlatXml('<xml><A><B>1</B></A></xml>')).toBeNull();
    expect(parseFlatXml('<xml><A>1</B></xml>')).toBeNull();
    expect(parseFlatXml('not xml')).toBeNull();
    expect(parseFlatXml('{"Encrypt":"x"}')).toBeNull();
    expect(parseFlatXml(`<xml><A>${'x'.repeat(70_000)}</A></xml>`)).toBeNull();
  });
});
