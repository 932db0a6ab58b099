import { Readable } from 'node:stream';

import iconv from 'iconv-lite';

import { CsvDecoder, CsvEncoding, looksLikeUtf8 } from './csv-decoder';

// Feeds `bytes` in chunks of `size` (to cut characters in half) and returns what comes out.
async function decode(
  bytes: Buffer,
  encoding: CsvEncoding = 'auto',
  size = 7,
): Promise<{ text: string; encoding: string | null }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const decoder = new CsvDecoder(encoding);
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(decoder)) out.push(chunk as Buffer);
  return { text: Buffer.concat(out).toString('utf8'), encoding: decoder.encoding };
}

const TEXT = '姓名,手机\r\n欧阳娜娜,13812345678\r\n龍鳳祥,13912345678\r\n';

describe('CsvDecoder', () => {
  it('passes UTF-8 through, with or without a BOM (csv-parse drops the BOM)', async () => {
    expect(await decode(Buffer.from(TEXT))).toEqual({ text: TEXT, encoding: 'utf8' });
    expect(await decode(Buffer.from(`\uFEFF${TEXT}`))).toEqual({ text: `\uFEFF${TEXT}`, encoding: 'utf8' });
  });

  it('detects GB18030 and decodes it, characters cut across chunks included', async () => {
    for (const size of [1, 3, 7, 4096])
      expect(await decode(iconv.encode(TEXT, 'gb18030'), 'auto', size)).toEqual({ text: TEXT, encoding: 'gb18030' });
  });

  it('waits for the first non-ASCII byte, however far into the file', async () => {
    const text = `name,mobile\r\n${'Alice,13800000000\r\n'.repeat(2000)}王芳,13900000000\r\n`;
    expect(await decode(iconv.encode(text, 'gb18030'), 'auto', 1000)).toEqual({ text, encoding: 'gb18030' });
    expect(await decode(Buffer.from(text), 'auto', 1000)).toEqual({ text, encoding: 'utf8' });
  });

  it('decides at the end for a short file, and leaves plain ASCII undecided', async () => {
    expect(await decode(iconv.encode('王', 'gb18030'))).toEqual({ text: '王', encoding: 'gb18030' });
    expect(await decode(Buffer.from('a,b\r\n'))).toEqual({ text: 'a,b\r\n', encoding: null });
  });

  it('obeys an encoding named by the caller', async () => {
    expect(await decode(iconv.encode(TEXT, 'gb18030'), 'gb18030')).toEqual({ text: TEXT, encoding: 'gb18030' });
    expect((await decode(iconv.encode(TEXT, 'gb18030'), 'utf8')).text).not.toBe(TEXT);
  });
});

describe('looksLikeUtf8', () => {
  it('allows a character cut at the end only while more may follow', () => {
    const cut = Buffer.from('王').subarray(0, 2);
    expect(looksLikeUtf8(cut, false)).toBe(true);
    expect(looksLikeUtf8(cut, true)).toBe(false);
    expect(looksLikeUtf8(iconv.encode('王芳', 'gb18030'), false)).toBe(false);
  });
});
